/**
 * Text of backups (Settings → Backups, and the third choice of onboarding): every backup error and
 * the panel's words. English is the reference; Spanish has exactly the same keys and placeholders.
 */
export const backupEn = {
  'error.BACKUP_NOT_A_BACKUP': 'This file is not a Flash backup.',
  'error.BACKUP_DAMAGED':
    'This backup file is damaged or incomplete (changed or cut short). Nothing was changed. Try another copy.',
  'error.BACKUP_NEWER_VERSION':
    'This backup was made by a newer version of Flash. Update Flash, then restore it. Nothing was changed.',
  'error.BACKUP_WRONG_PASSWORD': 'That is not the password of this backup. Nothing was changed.',
  'error.BACKUP_RATE_LIMITED': 'Too many wrong backup passwords. Wait a little and try again.',
  'error.BACKUP_PROFILE_NOT_EMPTY':
    'This profile already holds accounts or money. A full restore needs a new profile; you can merge the backup into this one instead.',
  'error.BACKUP_FOLDER_UNAVAILABLE': 'The backup folder cannot be used: it is missing or not writable.',
  'error.BACKUP_DISK_FULL': 'The disk is full: the backup could not be written.',
  'error.BACKUP_FILE_NOT_FOUND': 'There is no backup file at that place.',
  'error.BACKUP_AUTO_KEY_MISSING': 'Automatic backups lost their key. Turn them off and on again.',

  'backup.title': 'Backups',
  'backup.intro':
    'One encrypted file brings back everything on a new computer: accounts and their words, labels and frozen coins, hardware accounts, your NOSTR key, contacts and messages, Lightning connections, store settings, eCash and settings.',
  'backup.last': 'Last backup: {when}, {size}.',
  'backup.none': 'No backup made yet.',
  'backup.lastFailed': 'The last automatic backup failed: {message}',
  'backup.progress': 'Working… {percent}%',
  'backup.phase.snapshot': 'Copying the database',
  'backup.phase.key': 'Deriving the key from the password',
  'backup.phase.seal': 'Encrypting',
  'backup.phase.open': 'Decrypting',
  'backup.phase.check': 'Checking the contents',
  'backup.phase.write': 'Writing',
  'backup.phase.ecash': 'Asking the mints which eCash is still unspent',
  'backup.phase.done': 'Done',

  'backup.make.title': 'Make a backup now',
  'backup.password': 'Backup password',
  'backup.passwordHint':
    'It can differ from the Flash password. Without it the file cannot be opened: keep it somewhere safe.',
  'backup.passwordRepeat': 'Repeat the backup password',
  'backup.passwordMismatch': 'The two passwords differ.',
  'backup.passwordShort': 'The backup password needs at least {min} characters.',
  'backup.folder': 'Folder',
  'backup.folderHint': 'A full path. Leave it as it is to use Flash’s backup folder.',
  'backup.choose': 'Choose…',
  'backup.make': 'Make backup',
  'backup.made': 'Saved {name} ({size}).',

  'backup.auto.title': 'Automatic backups',
  'backup.auto.off':
    'Off. When on, Flash writes a new encrypted backup after every change to money or keys, and at least once a day.',
  'backup.auto.on': 'On: into {folder}, keeping the last {keep}.',
  'backup.auto.keep': 'Backups to keep',
  'backup.auto.passwordHint':
    'Flash derives the key from this password once and keeps it sealed in its vault, so automatic backups never ask for it. You need it to restore.',
  'backup.auto.enable': 'Turn on automatic backups',
  'backup.auto.disable': 'Turn off',

  'backup.restore.title': 'Check or restore a backup',
  'backup.restore.intro':
    'Choose a backup file and type its password. Flash shows what the file holds before anything is written.',
  'backup.restore.files': 'Backup files in {folder}',
  'backup.restore.noFiles': 'No backup files in this folder.',
  'backup.restore.showFiles': 'Show files',
  'backup.restore.path': 'Backup file',
  'backup.restore.pathHint': 'A full path to a .flashbak file, or choose one from the list.',
  'backup.restore.check': 'Open and check',
  'backup.restore.ok': 'The file is whole and the password is right. It holds:',
  'backup.restore.confirm': 'Restore this backup',
  'backup.restore.done':
    'Restored. Flash locks now so that every part reloads the restored data: unlock it with your Flash password.',
  'backup.restore.mergeNote':
    'This profile already has accounts. A merge adds the backup’s single-key accounts (an account already here only once, with its words), their labels and frozen coins, its eCash mints and proofs (each checked with its mint: spent ones are left out, ones held here are not doubled) and its pinned Electrum certificates. Multisig accounts, NOSTR keys, contacts and messages, Lightning, store settings, the eCash history and the Electrum server choice stay as they are here.',
  'backup.restore.merge': 'Merge it into this profile',
  'backup.restore.merged':
    'Added {accounts} account(s) ({same} already here), {labels} label(s) and {frozen} frozen coin(s). The wallet syncs their history now.',
  'backup.restore.mergedEcash':
    'eCash: added {proofs} proof(s) worth {sats} sats and {mints} mint(s); {same} proof(s) were already here.',
  'backup.restore.mergedEcashOpen':
    '{count} eCash proof(s) belonged to an operation that was unfinished when the backup was made and were not added.',
  'backup.restore.mergedPins': 'Added {count} pinned Electrum certificate(s).',
  'backup.restore.ecashDropped': '{count} eCash proof(s) were already spent and are not counted.',
  'backup.restore.ecashUnchecked': 'These mints did not answer; their eCash is checked when used: {mints}',

  'backup.manifest.made': 'Made {when} by Flash {version}; networks: {networks}.',
  'backup.manifest.accounts': 'Accounts',
  'backup.manifest.watchOnlyAccounts': 'Watch-only accounts',
  'backup.manifest.hardwareAccounts': 'Hardware accounts',
  'backup.manifest.transactions': 'Transactions',
  'backup.manifest.labels': 'Labels',
  'backup.manifest.frozenCoins': 'Frozen coins',
  'backup.manifest.nostrIdentities': 'NOSTR keys',
  'backup.manifest.contacts': 'Contacts',
  'backup.manifest.messages': 'Messages',
  'backup.manifest.lightningConnections': 'Lightning connections',
  'backup.manifest.nwcConnections': 'Apps connected by NWC',
  'backup.manifest.merchantStores': 'Stores',
  'backup.manifest.ecashMints': 'eCash mints',
  'backup.manifest.ecashProofs': 'eCash proofs',
  'backup.manifest.ecashSats': 'eCash (sats)',
  'backup.manifest.secrets': 'Sealed secrets',

  'setup.fromBackup': 'Restore from a backup file',
  'setup.fromBackupDetail': 'A .flashbak file made by Flash: everything comes back, not only the words.',
  'statusbar.backupFailed': 'Backup failed',
} as const;

export const backupEs: Record<keyof typeof backupEn, string> = {
  'error.BACKUP_NOT_A_BACKUP': 'Este archivo no es una copia de seguridad de Flash.',
  'error.BACKUP_DAMAGED':
    'Esta copia de seguridad está dañada o incompleta (modificada o cortada). No se cambió nada. Prueba con otra copia.',
  'error.BACKUP_NEWER_VERSION':
    'Esta copia la hizo una versión más nueva de Flash. Actualiza Flash y restáurala después. No se cambió nada.',
  'error.BACKUP_WRONG_PASSWORD': 'Esa no es la contraseña de esta copia. No se cambió nada.',
  'error.BACKUP_RATE_LIMITED':
    'Demasiadas contraseñas de copia incorrectas. Espera un poco y vuelve a intentarlo.',
  'error.BACKUP_PROFILE_NOT_EMPTY':
    'Este perfil ya tiene cuentas o dinero. Una restauración completa necesita un perfil nuevo; en su lugar, puedes fusionar la copia con este.',
  'error.BACKUP_FOLDER_UNAVAILABLE':
    'No se puede usar la carpeta de copias: no existe o no se puede escribir.',
  'error.BACKUP_DISK_FULL': 'El disco está lleno: no se pudo escribir la copia.',
  'error.BACKUP_FILE_NOT_FOUND': 'No hay ningún archivo de copia en ese lugar.',
  'error.BACKUP_AUTO_KEY_MISSING':
    'Las copias automáticas perdieron su clave. Desactívalas y actívalas de nuevo.',

  'backup.title': 'Copias de seguridad',
  'backup.intro':
    'Un archivo cifrado lo devuelve todo en un ordenador nuevo: cuentas y sus palabras, etiquetas y monedas congeladas, cuentas de hardware, tu clave NOSTR, contactos y mensajes, conexiones Lightning, ajustes de la tienda, eCash y ajustes.',
  'backup.last': 'Última copia: {when}, {size}.',
  'backup.none': 'Todavía no hay ninguna copia.',
  'backup.lastFailed': 'La última copia automática falló: {message}',
  'backup.progress': 'Trabajando… {percent}%',
  'backup.phase.snapshot': 'Copiando la base de datos',
  'backup.phase.key': 'Derivando la clave de la contraseña',
  'backup.phase.seal': 'Cifrando',
  'backup.phase.open': 'Descifrando',
  'backup.phase.check': 'Comprobando el contenido',
  'backup.phase.write': 'Escribiendo',
  'backup.phase.ecash': 'Preguntando a las casas de moneda qué eCash sigue sin gastar',
  'backup.phase.done': 'Hecho',

  'backup.make.title': 'Hacer una copia ahora',
  'backup.password': 'Contraseña de la copia',
  'backup.passwordHint':
    'Puede ser distinta de la contraseña de Flash. Sin ella el archivo no se puede abrir: guárdala en un lugar seguro.',
  'backup.passwordRepeat': 'Repite la contraseña de la copia',
  'backup.passwordMismatch': 'Las dos contraseñas no coinciden.',
  'backup.passwordShort': 'La contraseña de la copia necesita al menos {min} caracteres.',
  'backup.folder': 'Carpeta',
  'backup.folderHint': 'Una ruta completa. Déjala como está para usar la carpeta de copias de Flash.',
  'backup.choose': 'Elegir…',
  'backup.make': 'Hacer copia',
  'backup.made': 'Guardada {name} ({size}).',

  'backup.auto.title': 'Copias automáticas',
  'backup.auto.off':
    'Desactivadas. Activadas, Flash escribe una copia cifrada nueva tras cada cambio de dinero o claves, y al menos una vez al día.',
  'backup.auto.on': 'Activadas: en {folder}, guardando las últimas {keep}.',
  'backup.auto.keep': 'Copias que guardar',
  'backup.auto.passwordHint':
    'Flash deriva la clave de esta contraseña una sola vez y la guarda sellada en su bóveda, así las copias automáticas nunca la piden. La necesitas para restaurar.',
  'backup.auto.enable': 'Activar copias automáticas',
  'backup.auto.disable': 'Desactivar',

  'backup.restore.title': 'Comprobar o restaurar una copia',
  'backup.restore.intro':
    'Elige un archivo de copia y escribe su contraseña. Flash muestra lo que contiene antes de escribir nada.',
  'backup.restore.files': 'Copias en {folder}',
  'backup.restore.noFiles': 'No hay copias en esta carpeta.',
  'backup.restore.showFiles': 'Mostrar archivos',
  'backup.restore.path': 'Archivo de copia',
  'backup.restore.pathHint': 'Una ruta completa a un archivo .flashbak, o elige uno de la lista.',
  'backup.restore.check': 'Abrir y comprobar',
  'backup.restore.ok': 'El archivo está completo y la contraseña es correcta. Contiene:',
  'backup.restore.confirm': 'Restaurar esta copia',
  'backup.restore.done':
    'Restaurada. Flash se bloquea ahora para que cada parte cargue los datos restaurados: desbloquéalo con tu contraseña de Flash.',
  'backup.restore.mergeNote':
    'Este perfil ya tiene cuentas. Una fusión añade las cuentas de una sola clave de la copia (una cuenta que ya está aquí, solo una vez, con sus palabras), sus etiquetas y monedas congeladas, sus casas de moneda y pruebas de eCash (cada una comprobada con su casa de moneda: las gastadas se dejan fuera, las que ya están aquí no se duplican) y sus certificados de Electrum fijados. Las cuentas multifirma, las claves, contactos y mensajes de NOSTR, Lightning, los ajustes de la tienda, el historial de eCash y el servidor Electrum elegido quedan como están aquí.',
  'backup.restore.merge': 'Fusionarla con este perfil',
  'backup.restore.merged':
    'Se añadieron {accounts} cuenta(s) ({same} ya estaban aquí), {labels} etiqueta(s) y {frozen} moneda(s) congelada(s). La cartera sincroniza ahora su historial.',
  'backup.restore.mergedEcash':
    'eCash: se añadieron {proofs} prueba(s) por {sats} sats y {mints} casa(s) de moneda; {same} prueba(s) ya estaban aquí.',
  'backup.restore.mergedEcashOpen':
    '{count} prueba(s) de eCash pertenecían a una operación sin terminar cuando se hizo la copia y no se añadieron.',
  'backup.restore.mergedPins': 'Se añadieron {count} certificado(s) de Electrum fijado(s).',
  'backup.restore.ecashDropped': '{count} prueba(s) de eCash ya estaban gastadas y no se cuentan.',
  'backup.restore.ecashUnchecked':
    'Estas casas de moneda no respondieron; su eCash se comprueba al usarlo: {mints}',

  'backup.manifest.made': 'Hecha {when} por Flash {version}; redes: {networks}.',
  'backup.manifest.accounts': 'Cuentas',
  'backup.manifest.watchOnlyAccounts': 'Cuentas de solo lectura',
  'backup.manifest.hardwareAccounts': 'Cuentas de hardware',
  'backup.manifest.transactions': 'Transacciones',
  'backup.manifest.labels': 'Etiquetas',
  'backup.manifest.frozenCoins': 'Monedas congeladas',
  'backup.manifest.nostrIdentities': 'Claves NOSTR',
  'backup.manifest.contacts': 'Contactos',
  'backup.manifest.messages': 'Mensajes',
  'backup.manifest.lightningConnections': 'Conexiones Lightning',
  'backup.manifest.nwcConnections': 'Apps conectadas por NWC',
  'backup.manifest.merchantStores': 'Tiendas',
  'backup.manifest.ecashMints': 'Casas de moneda eCash',
  'backup.manifest.ecashProofs': 'Pruebas de eCash',
  'backup.manifest.ecashSats': 'eCash (sats)',
  'backup.manifest.secrets': 'Secretos sellados',

  'setup.fromBackup': 'Restaurar desde un archivo de copia',
  'setup.fromBackupDetail': 'Un archivo .flashbak hecho por Flash: vuelve todo, no solo las palabras.',
  'statusbar.backupFailed': 'La copia falló',
};
