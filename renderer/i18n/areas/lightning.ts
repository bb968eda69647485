/**
 * Text of the Lightning area: the pay box and what it understands, receiving, providers in
 * Settings, the unified activity feed, and every Lightning and LNURL error. English is the
 * reference; Spanish has exactly the same keys (and placeholders).
 */
export const lightningEn = {
  'error.LIGHTNING_UNRECOGNIZED':
    'Flash does not recognise this. Paste a Lightning invoice (lnbc…), an offer (lno…), an LNURL, a Lightning address (name@domain) or a bitcoin: link.',
  'error.LIGHTNING_BAD_CHECKSUM': 'This code has a typo: its checksum does not match. Copy or scan it again.',
  'error.LIGHTNING_MALFORMED': 'This Lightning code is damaged or incomplete ({reason}). Ask for a new one.',
  'error.LIGHTNING_BAD_SIGNATURE':
    'The invoice’s signature does not check out, so Flash cannot tell who would be paid. Do not pay it; ask for a new one.',
  'error.LIGHTNING_UNKNOWN_FEATURE':
    'This invoice requires a Lightning feature Flash does not know (bit {bit}). Ask the payee for an ordinary invoice.',
  'error.LIGHTNING_WRONG_NETWORK':
    'This is for {found}, but this wallet is on {expected}. Paying it would not work.',
  'error.LIGHTNING_NO_ROUTE':
    'No route to the recipient was found within the fee limit. Try a smaller amount, a higher fee limit, or later.',
  'error.LIGHTNING_INSUFFICIENT_BALANCE':
    'Not enough Lightning balance for this amount plus the routing fee.',
  'error.LIGHTNING_EXPIRED': 'This invoice has expired. Ask the recipient for a new one.',
  'error.LIGHTNING_AMOUNT_OUT_OF_LIMITS': 'The amount is outside what can be paid or received here.',
  'error.LIGHTNING_AMOUNT_REQUIRED': 'This request has no amount: enter how much to send.',
  'error.LIGHTNING_ALREADY_PAID': 'This invoice was already paid. Flash will not pay it twice.',
  'error.LIGHTNING_PAYMENT_IN_FLIGHT':
    'A payment of this invoice is still in progress. Wait for it to finish; Flash will not pay it twice.',
  'error.LIGHTNING_INVOICE_INVALID': 'The Lightning node refused this invoice as invalid.',
  'error.LIGHTNING_TIMEOUT': 'The Lightning node did not answer in time.',
  'error.LIGHTNING_UNAUTHORIZED':
    'The Lightning node refused the credentials (macaroon or key), or they do not allow this action.',
  'error.LIGHTNING_NOT_SUPPORTED': 'This Lightning connection cannot do that.',
  'error.LIGHTNING_QUOTA_EXCEEDED': 'The wallet’s spending budget does not allow this payment.',
  'error.LIGHTNING_UNREACHABLE':
    'Can’t reach the Lightning node or wallet. Check that it is running and reachable.',
  'error.LIGHTNING_PROVIDER_ERROR': 'The Lightning node or wallet reported an error.',
  'error.LIGHTNING_NO_PROVIDER': 'No Lightning wallet is connected yet. Connect one in Settings → Lightning.',
  'error.LIGHTNING_PROVIDER_NOT_FOUND': 'That Lightning connection does not exist any more.',
  'error.LIGHTNING_PREPARED_NOT_FOUND':
    'This payment was already sent or its preview expired. Start again from the pay box.',
  'error.LIGHTNING_PAYMENT_NOT_FOUND': 'Flash knows no payment with that hash.',
  'error.LIGHTNING_CERT_MISMATCH':
    'The node’s TLS certificate is not the one you gave Flash. Copy tls.cert from the node again; if it did not change, someone may be in the middle.',
  'error.LIGHTNING_BAD_CONNECTION':
    'Check the connection details: host and port, the node’s tls.cert (PEM text), and the macaroon (hex or file), or one lndconnect:// link.',
  'error.LNURL_UNREACHABLE': 'Can’t reach the LNURL service at {domain}.',
  'error.LNURL_REFUSED':
    'Flash will not contact {domain}: it is on this computer or a private network, uses an unusual port, or is not HTTPS.',
  'error.LNURL_BAD_RESPONSE': 'The LNURL service at {domain} answered something Flash cannot use.',
  'error.LNURL_SERVICE_ERROR': 'The service at {domain} said: {reason}',
  'error.LNURL_METADATA_MISMATCH':
    'The invoice from {domain} does not commit to the payment details you saw. Nothing was paid.',
  'error.LNURL_AMOUNT_MISMATCH':
    'The invoice from {domain} is for a different amount than you chose. Nothing was paid.',
  'error.LNURL_COMMENT_TOO_LONG': 'The comment is too long: this service accepts at most {max} characters.',
  'error.LNURL_UNSUPPORTED': 'Flash does not support this kind of LNURL ({what}).',
} satisfies Record<string, string>;

export const lightningEs: Record<keyof typeof lightningEn, string> = {
  'error.LIGHTNING_UNRECOGNIZED':
    'Flash no reconoce esto. Pega una factura Lightning (lnbc…), una oferta (lno…), un LNURL, una dirección Lightning (nombre@dominio) o un enlace bitcoin:.',
  'error.LIGHTNING_BAD_CHECKSUM':
    'Este código tiene un error: su suma de comprobación no coincide. Cópialo o escanéalo de nuevo.',
  'error.LIGHTNING_MALFORMED': 'Este código Lightning está dañado o incompleto ({reason}). Pide uno nuevo.',
  'error.LIGHTNING_BAD_SIGNATURE':
    'La firma de la factura no es válida, así que Flash no puede saber a quién se pagaría. No la pagues; pide una nueva.',
  'error.LIGHTNING_UNKNOWN_FEATURE':
    'Esta factura exige una función de Lightning que Flash no conoce (bit {bit}). Pide al cobrador una factura normal.',
  'error.LIGHTNING_WRONG_NETWORK':
    'Esto es para {found}, pero esta billetera está en {expected}. El pago no funcionaría.',
  'error.LIGHTNING_NO_ROUTE':
    'No se encontró una ruta hasta el destinatario dentro del límite de comisión. Prueba con un importe menor, un límite mayor o más tarde.',
  'error.LIGHTNING_INSUFFICIENT_BALANCE':
    'No hay saldo Lightning suficiente para este importe más la comisión de enrutamiento.',
  'error.LIGHTNING_EXPIRED': 'Esta factura ha caducado. Pide una nueva al destinatario.',
  'error.LIGHTNING_AMOUNT_OUT_OF_LIMITS': 'El importe está fuera de lo que se puede pagar o recibir aquí.',
  'error.LIGHTNING_AMOUNT_REQUIRED': 'Esta solicitud no tiene importe: indica cuánto enviar.',
  'error.LIGHTNING_ALREADY_PAID': 'Esta factura ya se pagó. Flash no la pagará dos veces.',
  'error.LIGHTNING_PAYMENT_IN_FLIGHT':
    'Hay un pago de esta factura todavía en curso. Espera a que termine; Flash no la pagará dos veces.',
  'error.LIGHTNING_INVOICE_INVALID': 'El nodo Lightning rechazó esta factura por no ser válida.',
  'error.LIGHTNING_TIMEOUT': 'El nodo Lightning no respondió a tiempo.',
  'error.LIGHTNING_UNAUTHORIZED':
    'El nodo Lightning rechazó las credenciales (macaroon o clave), o no permiten esta acción.',
  'error.LIGHTNING_NOT_SUPPORTED': 'Esta conexión Lightning no puede hacer eso.',
  'error.LIGHTNING_QUOTA_EXCEEDED': 'El presupuesto de gasto de la billetera no permite este pago.',
  'error.LIGHTNING_UNREACHABLE':
    'No se puede conectar con el nodo o la billetera Lightning. Comprueba que esté en marcha y accesible.',
  'error.LIGHTNING_PROVIDER_ERROR': 'El nodo o la billetera Lightning informó de un error.',
  'error.LIGHTNING_NO_PROVIDER':
    'Todavía no hay ninguna billetera Lightning conectada. Conecta una en Ajustes → Lightning.',
  'error.LIGHTNING_PROVIDER_NOT_FOUND': 'Esa conexión Lightning ya no existe.',
  'error.LIGHTNING_PREPARED_NOT_FOUND':
    'Este pago ya se envió o su vista previa caducó. Empieza de nuevo desde el cuadro de pago.',
  'error.LIGHTNING_PAYMENT_NOT_FOUND': 'Flash no conoce ningún pago con ese hash.',
  'error.LIGHTNING_CERT_MISMATCH':
    'El certificado TLS del nodo no es el que diste a Flash. Copia de nuevo tls.cert del nodo; si no cambió, alguien podría estar interceptando la conexión.',
  'error.LIGHTNING_BAD_CONNECTION':
    'Revisa los datos de conexión: host y puerto, el tls.cert del nodo (texto PEM) y el macaroon (hex o archivo), o un enlace lndconnect://.',
  'error.LNURL_UNREACHABLE': 'No se puede conectar con el servicio LNURL en {domain}.',
  'error.LNURL_REFUSED':
    'Flash no contactará con {domain}: está en este equipo o en una red privada, usa un puerto poco habitual o no es HTTPS.',
  'error.LNURL_BAD_RESPONSE': 'El servicio LNURL en {domain} respondió algo que Flash no puede usar.',
  'error.LNURL_SERVICE_ERROR': 'El servicio en {domain} dijo: {reason}',
  'error.LNURL_METADATA_MISMATCH':
    'La factura de {domain} no corresponde a los detalles del pago que viste. No se pagó nada.',
  'error.LNURL_AMOUNT_MISMATCH':
    'La factura de {domain} es por un importe distinto del que elegiste. No se pagó nada.',
  'error.LNURL_COMMENT_TOO_LONG':
    'El comentario es demasiado largo: este servicio acepta como máximo {max} caracteres.',
  'error.LNURL_UNSUPPORTED': 'Flash no admite este tipo de LNURL ({what}).',
};
