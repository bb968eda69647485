/**
 * Account screens' text (several accounts, watch-only import, descriptors, gap limits). English
 * is the reference; Spanish must have exactly the same keys (the type below fails to compile
 * otherwise) and the same placeholders (unit test).
 */
export const accountsEn = {
  'accounts.title': 'Accounts',
  'accounts.switch': 'Account',
  'accounts.manage': 'Accounts…',
  'accounts.type': 'Account type',
  'accounts.restoreTypeHint':
    'Native SegWit unless the wallet you restore from used another type. You can add more accounts later.',
  'accounts.type.bip84': 'Native SegWit (BIP84)',
  'accounts.type.bip86': 'Taproot (BIP86)',
  'accounts.type.bip49': 'Nested SegWit (BIP49)',
  'accounts.type.bip44': 'Legacy (BIP44)',
  'accounts.signer.seed': 'Recovery words',
  'accounts.signer.watch': 'Watch-only',
  'accounts.signer.ledger': 'Ledger',
  'accounts.signer.trezor': 'Trezor',
  'accounts.origin': 'Fingerprint {fingerprint} · path {path}',
  'accounts.name': 'Name',
  'accounts.rename': 'Rename',
  'accounts.settings': 'Account settings',
  'accounts.holdsWords':
    'This account holds the recovery words the other accounts derive from, so it cannot be removed.',
  'accounts.remove': 'Remove account',
  'accounts.remove.confirm':
    'Remove “{name}” from Flash? Its coins stay on the blockchain; add the account again to see them.',
  'accounts.remove.yes': 'Remove',
  'accounts.gap.receive': 'Receive gap limit',
  'accounts.gap.change': 'Change gap limit',
  'accounts.gap.save': 'Save gap limits',
  'accounts.gap.invalid': 'A gap limit is a whole number from 1 to 1000.',
  'accounts.gap.explain':
    'How many unused addresses Flash watches after the last used one. Raise it if another wallet handed out many addresses nobody paid.',
  'accounts.export.show': 'Show key and descriptors',
  'accounts.export.hide': 'Hide key and descriptors',
  'accounts.export.explain':
    'Public data only: with it, another wallet can watch this account’s balance, but not spend.',
  'accounts.export.key': 'Extended public key',
  'accounts.export.copyKey': 'Copy key',
  'accounts.export.origin': 'Master fingerprint {fingerprint} · derivation path {path}',
  'accounts.export.multipath': 'Descriptor (receive and change)',
  'accounts.export.receive': 'Receive descriptor',
  'accounts.export.change': 'Change descriptor',
  'accounts.export.copy': 'Copy {what}',
  'accounts.export.qrAlt': 'QR code of the account descriptor',
  'accounts.defaultName': '{type} #{index}',
  'accounts.add.title': 'Add an account from your recovery words',
  'accounts.add.explain':
    'Each type and account number is a separate set of addresses from the same words. Most people need only one.',
  'accounts.add.words': 'Recovery words',
  'accounts.add.index': 'Account number',
  'accounts.add.indexHint': '0 is the first account of each type; other wallets count the same way.',
  'accounts.add.indexInvalid': 'The account number is a whole number from 0 to 1000.',
  'accounts.add.submit': 'Add account',
  'accounts.add.busy': 'Adding…',
  'accounts.add.noWords': 'No recovery words are stored in Flash on this network yet.',
  'accounts.watch.title': 'Watch an account',
  'accounts.watch.explain':
    'Paste an extended public key (xpub, ypub, zpub, or tpub, upub, vpub) or an output descriptor. Flash shows the balance and prepares PSBTs; your hardware or air-gapped wallet signs them.',
  'accounts.watch.key': 'Extended public key or descriptor',
  'accounts.watch.typeHint': 'A ypub, zpub or descriptor already says its type; a plain xpub needs it.',
  'accounts.watch.typeAuto': 'From the key (Native SegWit for a plain xpub)',
  'accounts.watch.origin': 'Key origin (for signers)',
  'accounts.watch.fingerprint': 'Master fingerprint (8 hex digits)',
  'accounts.watch.fingerprintInvalid': 'A master fingerprint is 8 hex digits, like 73c5da0a.',
  'accounts.watch.path': 'Derivation path',
  'accounts.watch.submit': 'Watch this account',
  'accounts.watch.defaultName': 'Watch-only',
  'error.WATCH_ONLY':
    'This account is watch-only or signed by a hardware device: Flash holds no keys for it. Export the PSBT and sign it with your device or signer, then import the signed PSBT.',
  'error.ACCOUNT_HOLDS_WORDS':
    'This is the account that holds the recovery words, so it cannot be removed. Remove the other accounts instead.',
} satisfies Record<string, string>;

export const accountsEs: Record<keyof typeof accountsEn, string> = {
  'accounts.title': 'Cuentas',
  'accounts.switch': 'Cuenta',
  'accounts.manage': 'Cuentas…',
  'accounts.type': 'Tipo de cuenta',
  'accounts.restoreTypeHint':
    'SegWit nativo, salvo que la cartera de origen usara otro tipo. Puedes añadir más cuentas después.',
  'accounts.type.bip84': 'SegWit nativo (BIP84)',
  'accounts.type.bip86': 'Taproot (BIP86)',
  'accounts.type.bip49': 'SegWit anidado (BIP49)',
  'accounts.type.bip44': 'Legacy (BIP44)',
  'accounts.signer.seed': 'Palabras de recuperación',
  'accounts.signer.watch': 'Solo lectura',
  'accounts.signer.ledger': 'Ledger',
  'accounts.signer.trezor': 'Trezor',
  'accounts.origin': 'Huella {fingerprint} · ruta {path}',
  'accounts.name': 'Nombre',
  'accounts.rename': 'Renombrar',
  'accounts.settings': 'Ajustes de la cuenta',
  'accounts.holdsWords':
    'Esta cuenta guarda las palabras de recuperación de las que derivan las demás, así que no se puede eliminar.',
  'accounts.remove': 'Eliminar cuenta',
  'accounts.remove.confirm':
    '¿Eliminar «{name}» de Flash? Sus monedas siguen en la cadena de bloques; añade la cuenta otra vez para verlas.',
  'accounts.remove.yes': 'Eliminar',
  'accounts.gap.receive': 'Límite de huecos de recepción',
  'accounts.gap.change': 'Límite de huecos de cambio',
  'accounts.gap.save': 'Guardar límites',
  'accounts.gap.invalid': 'Un límite de huecos es un número entero de 1 a 1000.',
  'accounts.gap.explain':
    'Cuántas direcciones sin usar vigila Flash tras la última usada. Súbelo si otra cartera entregó muchas direcciones que nadie pagó.',
  'accounts.export.show': 'Mostrar clave y descriptores',
  'accounts.export.hide': 'Ocultar clave y descriptores',
  'accounts.export.explain':
    'Solo datos públicos: con ellos otra cartera puede ver el saldo de esta cuenta, pero no gastar.',
  'accounts.export.key': 'Clave pública extendida',
  'accounts.export.copyKey': 'Copiar clave',
  'accounts.export.origin': 'Huella maestra {fingerprint} · ruta de derivación {path}',
  'accounts.export.multipath': 'Descriptor (recepción y cambio)',
  'accounts.export.receive': 'Descriptor de recepción',
  'accounts.export.change': 'Descriptor de cambio',
  'accounts.export.copy': 'Copiar {what}',
  'accounts.export.qrAlt': 'Código QR del descriptor de la cuenta',
  'accounts.defaultName': '{type} n.º {index}',
  'accounts.add.title': 'Añadir una cuenta con tus palabras de recuperación',
  'accounts.add.explain':
    'Cada tipo y número de cuenta es un conjunto distinto de direcciones de las mismas palabras. La mayoría solo necesita una.',
  'accounts.add.words': 'Palabras de recuperación',
  'accounts.add.index': 'Número de cuenta',
  'accounts.add.indexHint': '0 es la primera cuenta de cada tipo; otras carteras cuentan igual.',
  'accounts.add.indexInvalid': 'El número de cuenta es un número entero de 0 a 1000.',
  'accounts.add.submit': 'Añadir cuenta',
  'accounts.add.busy': 'Añadiendo…',
  'accounts.add.noWords': 'Aún no hay palabras de recuperación guardadas en Flash en esta red.',
  'accounts.watch.title': 'Vigilar una cuenta',
  'accounts.watch.explain':
    'Pega una clave pública extendida (xpub, ypub, zpub, o tpub, upub, vpub) o un descriptor de salida. Flash muestra el saldo y prepara PSBT; tu cartera de hardware o aislada los firma.',
  'accounts.watch.key': 'Clave pública extendida o descriptor',
  'accounts.watch.typeHint':
    'Una ypub, zpub o un descriptor ya indican su tipo; una xpub simple lo necesita.',
  'accounts.watch.typeAuto': 'Según la clave (SegWit nativo para una xpub simple)',
  'accounts.watch.origin': 'Origen de la clave (para firmantes)',
  'accounts.watch.fingerprint': 'Huella maestra (8 dígitos hexadecimales)',
  'accounts.watch.fingerprintInvalid': 'Una huella maestra son 8 dígitos hexadecimales, como 73c5da0a.',
  'accounts.watch.path': 'Ruta de derivación',
  'accounts.watch.submit': 'Vigilar esta cuenta',
  'accounts.watch.defaultName': 'Solo lectura',
  'error.WATCH_ONLY':
    'Esta cuenta es de solo lectura o la firma un dispositivo: Flash no guarda sus claves. Exporta el PSBT, fírmalo con tu dispositivo o firmante y luego importa el PSBT firmado.',
  'error.ACCOUNT_HOLDS_WORDS':
    'Esta es la cuenta que guarda las palabras de recuperación, así que no se puede eliminar. Elimina las otras cuentas.',
};
