/**
 * Text of the eCash area: every eCash error, and the words the screens use for operation states.
 * English is the reference; Spanish has exactly the same keys (and placeholders).
 */
export const ecashEn = {
  'error.ECASH_NO_SEED':
    'eCash needs an account with recovery words in Flash (not watch-only or a hardware wallet).',
  'error.ECASH_BAD_MINT_URL': 'That is not a mint address. It looks like https://mint.example.com.',
  'error.ECASH_MINT_UNREACHABLE':
    'The mint cannot be reached right now. Your eCash there is still held; Flash finishes what was started when the mint answers.',
  'error.ECASH_MINT_ERROR': 'The mint refused or answered something Flash cannot use.',
  'error.ECASH_MINT_NOT_FOUND':
    'This mint is not in your list. Add it first (a mint holds the money behind its tokens).',
  'error.ECASH_MINT_HAS_BALANCE':
    'This mint still holds your eCash. Move or spend it before removing the mint.',
  'error.ECASH_UNIT_NOT_SUPPORTED': 'This mint does not offer that unit.',
  'error.ECASH_NOT_SUPPORTED': 'This mint or operation cannot do that.',
  'error.ECASH_INSUFFICIENT_BALANCE': 'Not enough eCash for this amount and its fees.',
  'error.ECASH_AMOUNT_OUT_OF_RANGE': 'The mint does not accept this amount.',
  'error.ECASH_PROOFS_BUSY': 'Some of this eCash is being used by another operation. Try again in a moment.',
  'error.ECASH_PROOFS_PENDING': 'This eCash is in a payment that is still going on.',
  'error.ECASH_ALREADY_SPENT': 'This eCash was already spent (the token was claimed before).',
  'error.ECASH_OUTPUTS_SIGNED':
    'The mint had already signed these outputs (from an earlier wallet with the same words). Flash moved past them: try again.',
  'error.ECASH_BAD_SIGNATURES':
    'The mint sent signatures that do not check out. Nothing is lost: Flash will ask the mint again.',
  'error.ECASH_TOKEN_INVALID': 'This is not a valid Cashu token.',
  'error.ECASH_DLEQ_INVALID':
    'The token’s signatures do not check out (DLEQ): it is not real eCash of that mint.',
  'error.ECASH_LOCKED_TO_OTHER': 'This token is locked to someone else’s key.',
  'error.ECASH_BAD_LOCK': 'Lock to a public key (02… or 03…, 66 characters) or an npub.',
  'error.ECASH_OFFLINE_NOT_POSSIBLE':
    'No eCash you hold adds up to exactly this amount. Sending it needs the mint (go online) or another amount.',
  'error.ECASH_NOT_RECLAIMABLE': 'Only a token that is still pending can be taken back.',
  'error.ECASH_QUOTE_NOT_PAID': 'The invoice has not been paid yet.',
  'error.ECASH_QUOTE_EXPIRED': 'The quote expired. Start again.',
  'error.ECASH_PAYMENT_FAILED': 'The mint could not pay the invoice. Your eCash is back.',
  'error.ECASH_OPERATION_NOT_FOUND': 'Flash knows no such eCash operation.',
  'error.ECASH_PREPARED_NOT_FOUND': 'This payment was already sent or its preview expired. Start again.',
  'error.ECASH_REQUEST_INVALID': 'This is not a Cashu payment request Flash can pay.',
  'error.ECASH_NO_COMMON_MINT':
    'You hold no eCash, or not enough, at a mint the other side accepts. Add one of their mints or move funds there.',
  'error.ECASH_NUTZAP_NOT_ACCEPTED': 'This person has not published where to receive eCash (NIP-61).',
  'error.ECASH_DELIVERY_FAILED':
    'The eCash could not be delivered. It stays pending: send it again or take it back.',
  'error.ECASH_NO_BACKUP': 'No eCash wallet backup (NIP-60) was found on your relays.',
  'ecash.mintWarning':
    'A mint holds the bitcoin behind its tokens. Only keep there what you would trust its operator with.',
  'ecash.state.unpaid': 'Waiting for payment',
  'ecash.state.paid': 'Paid, minting',
  'ecash.state.issuing': 'Minting',
  'ecash.state.done': 'Done',
  'ecash.state.expired': 'Expired',
  'ecash.state.failed': 'Failed',
  'ecash.state.melting': 'Paying',
  'ecash.state.swapping': 'Preparing',
  'ecash.state.pending': 'Waiting to be claimed',
  'ecash.state.claimed': 'Claimed',
  'ecash.state.reclaimed': 'Taken back',
  'ecash.state.cancelled': 'Cancelled',
  'ecash.state.stored': 'Received, not yet claimed',
  'ecash.state.claiming': 'Claiming',
  'ecash.state.quoting': 'Starting',
  'ecash.state.minting': 'Minting at the destination',
  'ecash.mint.down': 'Unreachable: its balance is still held',
};

export const ecashEs: Record<keyof typeof ecashEn, string> = {
  'error.ECASH_NO_SEED':
    'eCash necesita una cuenta con palabras de recuperación en Flash (no de solo lectura ni de monedero físico).',
  'error.ECASH_BAD_MINT_URL': 'Eso no es la dirección de un mint. Se parece a https://mint.ejemplo.com.',
  'error.ECASH_MINT_UNREACHABLE':
    'No se puede contactar con el mint ahora. Tu eCash allí sigue guardado; Flash termina lo empezado cuando el mint responda.',
  'error.ECASH_MINT_ERROR': 'El mint se negó o respondió algo que Flash no puede usar.',
  'error.ECASH_MINT_NOT_FOUND':
    'Este mint no está en tu lista. Añádelo primero (un mint guarda el dinero que respalda sus tokens).',
  'error.ECASH_MINT_HAS_BALANCE': 'Este mint aún guarda tu eCash. Muévelo o gástalo antes de quitar el mint.',
  'error.ECASH_UNIT_NOT_SUPPORTED': 'Este mint no ofrece esa unidad.',
  'error.ECASH_NOT_SUPPORTED': 'Este mint u operación no puede hacer eso.',
  'error.ECASH_INSUFFICIENT_BALANCE': 'No hay suficiente eCash para este importe y sus comisiones.',
  'error.ECASH_AMOUNT_OUT_OF_RANGE': 'El mint no acepta este importe.',
  'error.ECASH_PROOFS_BUSY': 'Parte de este eCash lo usa otra operación. Vuelve a intentarlo en un momento.',
  'error.ECASH_PROOFS_PENDING': 'Este eCash está en un pago que aún no ha terminado.',
  'error.ECASH_ALREADY_SPENT': 'Este eCash ya se gastó (el token ya se había cobrado).',
  'error.ECASH_OUTPUTS_SIGNED':
    'El mint ya había firmado estas salidas (de un monedero anterior con las mismas palabras). Flash las ha saltado: vuelve a intentarlo.',
  'error.ECASH_BAD_SIGNATURES':
    'El mint envió firmas que no cuadran. No se pierde nada: Flash volverá a preguntar al mint.',
  'error.ECASH_TOKEN_INVALID': 'Esto no es un token Cashu válido.',
  'error.ECASH_DLEQ_INVALID': 'Las firmas del token no cuadran (DLEQ): no es eCash auténtico de ese mint.',
  'error.ECASH_LOCKED_TO_OTHER': 'Este token está bloqueado a la clave de otra persona.',
  'error.ECASH_BAD_LOCK': 'Bloquea a una clave pública (02… o 03…, 66 caracteres) o a un npub.',
  'error.ECASH_OFFLINE_NOT_POSSIBLE':
    'Ningún eCash que tengas suma exactamente este importe. Enviarlo necesita al mint (conéctate) u otro importe.',
  'error.ECASH_NOT_RECLAIMABLE': 'Solo se puede recuperar un token que aún está pendiente.',
  'error.ECASH_QUOTE_NOT_PAID': 'La factura aún no se ha pagado.',
  'error.ECASH_QUOTE_EXPIRED': 'La cotización caducó. Empieza de nuevo.',
  'error.ECASH_PAYMENT_FAILED': 'El mint no pudo pagar la factura. Tu eCash ha vuelto.',
  'error.ECASH_OPERATION_NOT_FOUND': 'Flash no conoce esa operación de eCash.',
  'error.ECASH_PREPARED_NOT_FOUND': 'Este pago ya se envió o su vista previa caducó. Empieza de nuevo.',
  'error.ECASH_REQUEST_INVALID': 'Esta no es una solicitud de pago Cashu que Flash pueda pagar.',
  'error.ECASH_NO_COMMON_MINT':
    'No tienes eCash, o no suficiente, en un mint que la otra parte acepte. Añade uno de sus mints o mueve fondos allí.',
  'error.ECASH_NUTZAP_NOT_ACCEPTED': 'Esta persona no ha publicado dónde recibir eCash (NIP-61).',
  'error.ECASH_DELIVERY_FAILED':
    'No se pudo entregar el eCash. Sigue pendiente: envíalo de nuevo o recupéralo.',
  'error.ECASH_NO_BACKUP': 'No se encontró ninguna copia del monedero eCash (NIP-60) en tus relés.',
  'ecash.mintWarning':
    'Un mint guarda los bitcoin que respaldan sus tokens. Guarda allí solo lo que confiarías a quien lo opera.',
  'ecash.state.unpaid': 'Esperando el pago',
  'ecash.state.paid': 'Pagado, acuñando',
  'ecash.state.issuing': 'Acuñando',
  'ecash.state.done': 'Hecho',
  'ecash.state.expired': 'Caducado',
  'ecash.state.failed': 'Fallido',
  'ecash.state.melting': 'Pagando',
  'ecash.state.swapping': 'Preparando',
  'ecash.state.pending': 'Esperando a que lo cobren',
  'ecash.state.claimed': 'Cobrado',
  'ecash.state.reclaimed': 'Recuperado',
  'ecash.state.cancelled': 'Cancelado',
  'ecash.state.stored': 'Recibido, aún sin cobrar',
  'ecash.state.claiming': 'Cobrando',
  'ecash.state.quoting': 'Empezando',
  'ecash.state.minting': 'Acuñando en el destino',
  'ecash.mint.down': 'Sin conexión: su saldo sigue guardado',
};
