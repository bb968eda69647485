import type { Messages } from './en';

/** Spanish. Typed as `Messages`, so a missing or extra key fails to compile. */
export const es: Messages = {
  'number.group': '.',
  'number.decimal': ',',
  'amount.btc': '{value} BTC',
  'amount.sats': '{value} sats',

  'common.continue': 'Continuar',
  'common.back': 'Atrás',
  'common.cancel': 'Cancelar',
  'common.confirm': 'Confirmar',
  'common.tryAgain': 'Reintentar',
  'common.saved': 'Guardado.',
  'common.advanced': 'Avanzado',
  'common.technicalDetails': 'Detalles técnicos',

  'app.loading': 'Iniciando Flash…',
  'app.startFailed': 'Flash no pudo iniciarse',
  'connection.reconnecting': 'Se perdió la conexión con Flash. Reconectando…',

  'noToken.title': 'Abre Flash desde el enlace de tu terminal',
  'noToken.explain':
    'Flash se está ejecutando en modo navegador. Por tu seguridad solo habla con la página abierta con el enlace secreto que mostró al iniciarse.',
  'noToken.howTo':
    'Inícialo con el comando de abajo y abre la dirección completa que muestra, incluida la parte después de «#».',
  'noToken.example': 'La dirección tiene esta forma: http://127.0.0.1:PUERTO/#token=…',
  'noToken.rejectedTitle': 'Este enlace ya no es válido',
  'noToken.rejected':
    'Flash rechazó la conexión porque el secreto del enlace no coincide. Puede que Flash se haya reiniciado con un enlace nuevo.',

  'store.title': 'No se pudieron abrir los datos de tu monedero',
  'store.explain.STORE_CORRUPT':
    'El archivo de la base de datos del monedero está dañado o no es una base de datos de Flash.',
  'store.explain.STORE_NEWER_VERSION':
    'Los datos del monedero se guardaron con una versión más nueva de Flash, que esta versión no puede leer.',
  'store.explain.STORE_UNAVAILABLE':
    'No se pudo leer ni escribir la carpeta de datos del monedero (no existe, faltan permisos, el disco está lleno u otro Flash la está usando).',
  'store.advice.STORE_CORRUPT':
    'Guarda una copia de este archivo. Puedes recuperar tu dinero en un perfil nuevo con tus palabras de recuperación.',
  'store.advice.STORE_NEWER_VERSION': 'Instala la versión más nueva de Flash para abrirlos.',
  'store.advice.STORE_UNAVAILABLE':
    'Revisa la carpeta y sus permisos, cierra cualquier otro Flash y vuelve a intentarlo.',
  'store.path': 'Ubicación',
  'store.untouched': 'No se cambió ni se sobrescribió nada: tus datos están exactamente como estaban.',

  'onboarding.label': 'Configurar Flash',
  'onboarding.welcome.title': 'Te damos la bienvenida a Flash',
  'onboarding.welcome.intro':
    'Flash es un monedero de Bitcoin para tu ordenador. Tus claves se quedan en este ordenador, cifradas con una contraseña que solo tú conoces.',
  'onboarding.welcome.next':
    'Primero elige una contraseña; después crea un monedero nuevo o restaura uno con sus palabras de recuperación.',
  'onboarding.password.title': 'Elige una contraseña',
  'onboarding.password.intro':
    'Esta contraseña desbloquea Flash en este ordenador y cifra tus claves. Nadie puede restablecerla: si la olvidas, necesitarás tus palabras de recuperación.',
  'onboarding.password.new': 'Nueva contraseña',
  'onboarding.password.repeat': 'Repite la contraseña',
  'onboarding.password.rule':
    'Al menos {min} caracteres. Unas cuantas palabras sin relación forman una contraseña fuerte.',
  'onboarding.password.strength.tooShort': 'Demasiado corta',
  'onboarding.password.strength.weak': 'Seguridad: débil',
  'onboarding.password.strength.fair': 'Seguridad: aceptable',
  'onboarding.password.strength.strong': 'Seguridad: fuerte',
  'onboarding.password.tooShort': 'La contraseña debe tener al menos {min} caracteres.',
  'onboarding.password.mismatch': 'Las dos contraseñas no coinciden.',

  'network.mainnet': 'Mainnet',
  'network.testnet': 'Testnet',
  'network.signet': 'Signet',
  'network.regtest': 'Regtest',
  'network.walletWillBeOn': 'Este monedero estará en {network}.',
  'network.realMoney': 'Guarda bitcoin real.',
  'network.testMoney': 'Sus monedas son de prueba y no tienen valor.',

  'setup.title': 'Configura tu monedero',
  'setup.intro': 'Crea un monedero nuevo o recupera uno que ya tengas con sus palabras de recuperación.',
  'setup.create': 'Crear un monedero nuevo',
  'setup.createDetail': 'Flash genera palabras de recuperación nuevas para que las anotes.',
  'setup.restore': 'Restaurar con palabras de recuperación',
  'setup.restoreDetail': 'Escribe las 12 a 24 palabras de un monedero que ya tienes.',

  'create.title': 'Crear un monedero nuevo',
  'create.lengthLegend': '¿Cuántas palabras de recuperación?',
  'create.wordsOption': '{count} palabras',
  'create.lengthHint': '12 palabras bastan para la mayoría; 24 también están bien.',
  'create.wordsTitle': 'Anota tus palabras de recuperación',
  'create.wordsWarning':
    'Escribe estas palabras en papel, en este orden, y guárdalas en un lugar seguro. Quien las tenga puede llevarse tu dinero; sin ellas nadie podrá ayudarte a recuperarlo.',
  'create.wordsOnce':
    'No se vuelven a mostrar durante la configuración. Más adelante solo podrás verlas en Ajustes, tras escribir tu contraseña.',
  'create.written': 'Ya las he anotado',
  'create.confirmTitle': 'Comprueba tus palabras de recuperación',
  'create.confirmIntro': 'Escribe, según tu copia en papel, las palabras de estas posiciones.',
  'create.wordNumber': 'Palabra n.º {n}',
  'create.showAgain': 'Ver las palabras otra vez',

  'restore.title': 'Restaurar con palabras de recuperación',
  'restore.intro': 'Escribe tus palabras de recuperación en orden. Verás sugerencias mientras escribes.',
  'restore.countLabel': 'Número de palabras',
  'restore.wordLabel': 'Palabra {n}',
  'restore.notAWord': 'No es una palabra de recuperación',
  'restore.pasteHint': 'También puedes pegar todas las palabras a la vez en la primera casilla.',
  'restore.checksumOk': 'Estas palabras de recuperación son válidas.',
  'restore.checksumBad':
    'Todas las palabras están en la lista, pero juntas no forman una frase de recuperación válida (la suma de control no coincide). Revisa el orden y la ortografía.',
  'restore.someInvalid': '{count} palabra(s) no están en la lista de palabras de recuperación.',
  'restore.submit': 'Restaurar monedero',

  'passphrase.label': 'Frase de contraseña (opcional)',
  'passphrase.hint':
    'Un secreto adicional que se suma a las palabras de recuperación. Déjalo vacío salvo que sepas que lo necesitas: sin la frase exacta el dinero no se puede recuperar.',

  'wallet.defaultName': 'Mi monedero',
  'wallet.nameLabel': 'Nombre del monedero',
  'wallet.loading': 'Cargando el monedero…',
  'wallet.fingerprint': 'Huella {fingerprint}',

  'lock.title': 'Flash está bloqueado',
  'lock.intro': 'Escribe tu contraseña para desbloquear tu monedero.',
  'lock.password': 'Contraseña',
  'lock.unlock': 'Desbloquear',
  'lock.rateLimited': 'Demasiadas contraseñas incorrectas. Podrás volver a intentarlo en {seconds} s.',

  'nav.label': 'Principal',
  'nav.wallet': 'Monedero',
  'nav.lightning': 'Lightning',
  'nav.ecash': 'eCash',
  'nav.messages': 'Mensajes',
  'nav.merchant': 'Comercio',
  'nav.devices': 'Dispositivos',
  'nav.settings': 'Ajustes',
  'nav.lock': 'Bloquear',

  'planned.title': 'Aún no disponible',
  'planned.lightning.what':
    'Envía y recibe bitcoin por Lightning: pagos rápidos y pequeños con comisiones bajas.',
  'planned.lightning.how':
    'Funcionará con el Breez SDK (Liquid) integrado en Flash, o conectando un monedero Lightning que ya uses mediante Nostr Wallet Connect (NWC).',
  'planned.ecash.what':
    'Lleva eCash chaumiano (Cashu): fichas privadas emitidas por las casas de moneda que elijas.',
  'planned.ecash.how':
    'Podrás añadir casas de moneda, enviar y recibir fichas y mover dinero entre eCash y Lightning. Cada operación queda registrada para que nada se pierda si Flash se detiene a medias.',
  'planned.messages.what': 'Mensajes privados por NOSTR con tu propia identidad NOSTR.',
  'planned.messages.how':
    'Los mensajes directos usarán la mensajería privada NIP-17, además de chats de grupo, a través de los relés que elijas.',
  'planned.merchant.what': 'Una caja de punto de venta para tu tienda de BTCPay Server.',
  'planned.merchant.how':
    'Conéctala con una clave de la API Greenfield para cobrar en el mostrador, imprimir recibos, ofrecer recompensas y usar tarjetas Bolt.',
  'planned.devices.what': 'Guarda tus ahorros en un monedero físico Ledger o Trezor.',
  'planned.devices.how':
    'Conecta un dispositivo, comprueba las direcciones de recepción en su pantalla y aprueba cada pago en el propio dispositivo.',
  'planned.honest': 'Esta página no muestra datos porque la función aún no existe; aquí no se simula nada.',

  'status.label': 'Estado de la conexión',
  'status.electrum': 'Electrum:',
  'status.loading': 'comprobando…',
  'status.unknown': 'estado desconocido',
  'status.tipHeight': 'Bloque {height}',
  'status.retryingIn': 'reintentando en {seconds} s',
  'status.retryNow': 'Reintentar ahora',
  'electrum.state.idle': 'Sin conexión',
  'electrum.state.connecting': 'Conectando…',
  'electrum.state.connected': 'Conectado',
  'electrum.state.backoff': 'Reconectando',

  'cert.title': 'El certificado del servidor Electrum ha cambiado',
  'cert.explain':
    'El servidor {server} presenta ahora un certificado TLS distinto del que Flash aceptó antes. Flash dejó de comunicarse con él.',
  'cert.advice':
    'Puede ser una renovación normal o alguien interceptando tu conexión. Confía en el certificado nuevo solo si sabes que el servidor lo cambió.',
  'cert.trust': 'Confiar en el certificado nuevo',

  'toast.depositReceived': 'Depósito recibido: {amount} sats (sin confirmar)',
  'toast.depositConfirmed': 'Depósito confirmado: {amount} sats',
  'toast.dismiss': 'Cerrar',

  'sync.starting': 'Sincronizando…',
  'sync.progress': 'Sincronizando… {done} de {total}',
  'sync.synced': 'Al día',
  'sync.syncedAt': 'Al día · última sincronización {time}',
  'sync.offline':
    'Sin conexión: se muestra lo que Flash guardó. Se sincronizará cuando el servidor Electrum esté disponible.',
  'sync.idle': 'Aún sin sincronizar',

  'balance.title': 'Saldo',
  'balance.confirmed': 'Confirmado',
  'balance.unconfirmed': 'Sin confirmar',

  'receive.title': 'Recibir',
  'receive.addressLabel': 'Tu dirección de bitcoin',
  'receive.qrAlt': 'Código QR de {address}',
  'receive.copy': 'Copiar dirección',
  'receive.path': 'Ruta de derivación:',
  'receive.note': 'Flash muestra una dirección nueva en cuanto esta recibe dinero.',
  'copy.copied': 'Copiado',
  'copy.failed': 'No se pudo copiar; selecciona el texto y cópialo a mano.',

  'activity.title': 'Actividad',
  'activity.empty': 'Todavía no hay transacciones.',
  'activity.type': 'Tipo',
  'activity.amount': 'Importe',
  'activity.status': 'Estado',
  'activity.date': 'Fecha',
  'activity.transaction': 'Transacción',
  'activity.direction.in': 'Recibido',
  'activity.direction.out': 'Enviado',
  'activity.direction.self': 'A ti mismo',
  'activity.unconfirmed': 'Sin confirmar',
  'activity.confirmations.one': '1 confirmación',
  'activity.confirmations.other': '{count} confirmaciones',
  'activity.showMore': 'Mostrar más',

  'words.listLabel': 'Palabras de recuperación',

  'settings.loading': 'Cargando ajustes…',
  'settings.appearance': 'Idioma y apariencia',
  'settings.language': 'Idioma',
  'settings.theme': 'Tema',
  'settings.theme.system': 'Igual que el sistema',
  'settings.theme.light': 'Claro',
  'settings.theme.dark': 'Oscuro',
  'settings.networkTitle': 'Red',
  'settings.network': 'Red',
  'settings.networkHint': 'Cada red tiene sus propios monederos y su propio servidor Electrum.',
  'settings.electrumTitle': 'Servidor Electrum para {network}',
  'settings.electrumHost': 'Servidor',
  'settings.electrumPort': 'Puerto',
  'settings.electrumTransport': 'Tipo de conexión',
  'settings.electrumTls': 'TLS (cifrada)',
  'settings.electrumTcp': 'TCP (sin cifrar)',
  'settings.electrumTcpWarning':
    'Sin TLS, cualquiera en el camino de la red puede ver por qué direcciones preguntas. Usa TCP solo con un servidor en este ordenador o en tu propia red.',
  'settings.electrumInvalid': 'Escribe un nombre de servidor o una dirección IP y un puerto de 1 a 65535.',
  'settings.electrumSave': 'Guardar servidor',
  'settings.security': 'Seguridad',
  'settings.autoLockTitle': 'Bloqueo automático',
  'settings.autoLockLabel': 'Bloquear automáticamente tras (minutos)',
  'settings.autoLockHint': 'Flash se bloquea tras estos minutos sin uso. 0 desactiva el bloqueo automático.',
  'settings.autoLockInvalid': 'Escribe un número entero de minutos entre 0 y {max}.',
  'settings.autoLockSave': 'Guardar tiempo',
  'settings.passwordTitle': 'Cambiar la contraseña',
  'settings.currentPassword': 'Contraseña actual',
  'settings.newPassword': 'Contraseña nueva',
  'settings.repeatPassword': 'Repite la contraseña nueva',
  'settings.changePassword': 'Cambiar contraseña',
  'settings.passwordChanged': 'Contraseña cambiada.',

  'recovery.title': 'Palabras de recuperación',
  'recovery.intro':
    'Las palabras que restauran este monedero en cualquier lugar. Asegúrate de que nadie vea tu pantalla.',
  'recovery.noWallet': 'Todavía no hay ningún monedero en esta red.',
  'recovery.show': 'Mostrar palabras de recuperación',
  'recovery.askPassword': 'Vuelve a escribir tu contraseña para ver las palabras de recuperación.',
  'recovery.showWords': 'Mostrar palabras',
  'recovery.warning': 'Quien vea estas palabras puede llevarse tu dinero. Ocúltalas cuando termines.',
  'recovery.hasPassphrase':
    'Este monedero usa además una frase de contraseña, que no se muestra. También la necesitas para restaurarlo.',
  'recovery.hide': 'Ocultar',

  'about.title': 'Acerca de Flash',
  'about.version': 'Versión',
  'about.mode': 'Modo',
  'about.mode.electron': 'Aplicación de escritorio',
  'about.mode.browser': 'Modo navegador',
  'about.platform': 'Plataforma',
  'about.profile': 'Perfil',
  'about.dataDir': 'Carpeta de datos',

  'error.BAD_INPUT': 'Flash no pudo aceptar esos datos. Revisa los campos y vuelve a intentarlo.',
  'error.UNKNOWN_METHOD': 'Esta versión de Flash no conoce esa acción.',
  'error.FORBIDDEN_SENDER': 'Flash rechazó una petición de una página inesperada.',
  'error.INTERNAL': 'Algo falló dentro de Flash. Vuelve a intentarlo.',
  'error.STORE_CORRUPT': 'La base de datos del monedero está dañada.',
  'error.STORE_NEWER_VERSION': 'Los datos del monedero son de una versión más nueva de Flash.',
  'error.STORE_UNAVAILABLE': 'No se puede usar la carpeta de datos del monedero.',
  'error.VAULT_NOT_SET_UP': 'Flash aún no tiene contraseña. Termina primero la configuración.',
  'error.VAULT_ALREADY_SET_UP': 'Flash ya tiene una contraseña.',
  'error.VAULT_LOCKED': 'Flash está bloqueado. Desbloquéalo y vuelve a intentarlo.',
  'error.VAULT_WRONG_PASSWORD': 'Contraseña incorrecta. Vuelve a intentarlo.',
  'error.VAULT_RATE_LIMITED': 'Demasiadas contraseñas incorrectas. Espera un momento y vuelve a intentarlo.',
  'error.VAULT_WEAK_PASSWORD': 'Esa contraseña es demasiado débil. Elige una más larga.',
  'error.WALLET_NOT_FOUND': 'Ese monedero ya no existe.',
  'error.WALLET_EXISTS': 'Este monedero ya está en Flash.',
  'error.MNEMONIC_BAD_LENGTH': 'Una frase de recuperación tiene 12, 15, 18, 21 o 24 palabras.',
  'error.MNEMONIC_UNKNOWN_WORD': 'Una de las palabras no está en la lista de palabras de recuperación.',
  'error.MNEMONIC_BAD_CHECKSUM':
    'Estas palabras no forman una frase de recuperación válida (la suma de control no coincide).',
  'error.DRAFT_NOT_FOUND':
    'Estas palabras nuevas caducaron (Flash se bloqueó o se reinició). Vuelve atrás y empieza de nuevo.',
  'error.CONFIRMATION_MISMATCH':
    'Las palabras que escribiste no coinciden. Revisa tu copia en papel y vuelve a intentarlo.',
  'error.ELECTRUM_UNREACHABLE': 'No se puede contactar con el servidor Electrum.',
  'error.ELECTRUM_TIMEOUT': 'El servidor Electrum tardó demasiado en responder.',
  'error.ELECTRUM_PROTOCOL': 'El servidor Electrum envió una respuesta que Flash no entiende.',
  'error.ELECTRUM_CERT_CHANGED': 'El certificado del servidor Electrum ha cambiado.',
  'error.ELECTRUM_NOT_CONNECTED': 'No hay conexión con un servidor Electrum.',
  'error.NOSTR_NO_IDENTITY': 'Todavía no hay ninguna identidad NOSTR configurada.',
  'error.NOSTR_IDENTITY_EXISTS': 'Ya existe una identidad NOSTR.',
  'error.NOSTR_INVALID_KEY': 'Esa clave NOSTR (npub, nsec, ncryptsec o palabras) no es válida.',
  'error.NOSTR_WRONG_PASSWORD': 'Contraseña incorrecta para esta clave NOSTR cifrada.',
  'error.NOSTR_INVALID_EVENT': 'Un evento NOSTR estaba mal formado o su firma no era válida.',
  'error.NOSTR_DECRYPT_FAILED': 'No se pudo descifrar un mensaje NOSTR.',
  'error.NOSTR_CONTENT_TOO_LARGE': 'El mensaje es demasiado largo.',
  'error.NOSTR_NO_RELAYS': 'No hay relays NOSTR configurados para esto.',
  'error.NOSTR_RELAY_UNREACHABLE': 'No se puede contactar con el relay NOSTR.',
  'error.NOSTR_PUBLISH_FAILED': 'Ningún relay NOSTR aceptó el mensaje.',
  'error.NOSTR_CONVERSATION_NOT_FOUND': 'Esa conversación no existe.',
  'error.NOSTR_NIP05_FAILED': 'No se pudo verificar la dirección NOSTR (NIP-05).',
  'error.DESCRIPTOR_INVALID':
    'Ese descriptor de salida no es válido. Cópialo de nuevo tal como lo exportó tu otro monedero.',
  'error.DESCRIPTOR_BAD_CHECKSUM':
    'La suma de control del descriptor no coincide: se modificó o se escribió mal. Cópialo de nuevo.',
  'error.XPUB_INVALID':
    'Esa no es una clave pública extendida válida (xpub, ypub o zpub). Cópiala de nuevo desde tu otro monedero.',
  'error.XPUB_BAD_CHECKSUM':
    'Esa clave pública extendida tiene un error de escritura (la suma de control no coincide). Cópiala de nuevo desde tu otro monedero.',
  'error.XPUB_WRONG_NETWORK':
    'Esa clave es de una red distinta a la de este monedero (mainnet frente a testnet).',
  'error.XPUB_IS_PRIVATE':
    'Esa es una clave privada, que permite gastar el dinero. Una cuenta de solo lectura necesita solo la clave pública; para gastar, restaura el monedero con sus palabras de recuperación.',
  'error.XPUB_TYPE_MISMATCH':
    'Esa clave es para un tipo de dirección distinto del elegido. Elige el tipo de cuenta que corresponde.',
  'error.ACCOUNT_TYPE_UNSUPPORTED':
    'Flash no admite este tipo de cuenta. Usa una cuenta de una sola clave: Legacy, SegWit anidado, SegWit nativo o Taproot.',
  'error.MULTISIG_UNSUPPORTED':
    'Las cuentas multifirma aún no son compatibles. Importa una cuenta de una sola firma.',
};
