/**
 * Text of the send safeguards: absurd fees, payments a fee bump cancels, payments waiting to be
 * broadcast, and the send errors behind them. English is the reference; Spanish has the same keys.
 */
export const sendguardEn = {
  'sendguard.fee.title': 'This fee looks like a mistake',
  'sendguard.fee.rate':
    'The fee is {fee} sats, {rate} sat/vB. Flash stops any fee above {limitRate} sat/vB: no block needs that much, so it is almost always a typo or a PSBT built to take your money.',
  'sendguard.fee.share':
    'The fee is {fee} sats: more than {limitSats} sats and more than a quarter of the {leaving} sats leaving your wallet. The miners would get a large part of this payment.',
  'sendguard.fee.typeBack': 'To send it anyway, type the fee in sats exactly as shown above.',
  'sendguard.fee.input': 'Fee in sats',
  'sendguard.fee.accept': 'Accept this fee',
  'sendguard.fee.accepted': 'You confirmed the fee of {fee} sats.',
  'sendguard.evicts.title': 'This speed-up cancels later payments',
  'sendguard.evicts.explain':
    'These payments of yours spend the change of the transaction being replaced. Replacing it cancels them: they will not be sent. Send them again after the speed-up confirms if you still mean to.',
  'sendguard.evicts.item': '{amount} to {address}',
  'sendguard.evicts.itemLabel': '{amount} to {address} ({label})',
  'sendguard.evicts.unknownAddress': 'a non-standard output',
  'sendguard.pending.title': 'Waiting to broadcast',
  'sendguard.pending.item': '{amount} · transaction {txid}',
  'sendguard.pending.retryIn': 'Waiting to broadcast, retrying in {seconds} s.',
  'sendguard.pending.retryingNow': 'Waiting to broadcast, retrying now…',
  'sendguard.pending.noServer': 'Waiting to broadcast until a server is connected.',
  'sendguard.pending.reason': 'Last answer: {reason}',
  'sendguard.pending.kept':
    'Flash keeps these payments and their coins reserved until the network takes them or their coins are spent elsewhere. Do not send them again.',
  'send.error.FEE_ABSURD':
    'This fee looks like a mistake ({feeSats} sats). Type the fee back on the review screen to send it anyway.',
  'send.error.FEE_CONFIRMATION_MISMATCH': 'That is not the fee. Type {feeSats} exactly, in sats.',
  'send.error.INPUT_AMOUNT_UNKNOWN':
    'This PSBT spends a coin Flash cannot check ({outpoint}): it is not in this wallet and the PSBT does not carry its previous transaction. Flash will not sign a fee it cannot verify.',
  'send.error.INPUT_AMOUNT_MISMATCH':
    'This PSBT misstates the amount of a coin ({outpoint}): it says {claimedSats} sats, the coin holds {actualSats} sats. Do not sign it.',
} satisfies Record<string, string>;

export const sendguardEs: Record<keyof typeof sendguardEn, string> = {
  'sendguard.fee.title': 'Esta comisión parece un error',
  'sendguard.fee.rate':
    'La comisión es de {fee} sats, {rate} sat/vB. Flash detiene toda comisión por encima de {limitRate} sat/vB: ningún bloque necesita tanto, así que casi siempre es un error de tecleo o un PSBT hecho para quedarse con tu dinero.',
  'sendguard.fee.share':
    'La comisión es de {fee} sats: más de {limitSats} sats y más de la cuarta parte de los {leaving} sats que salen de tu billetera. Los mineros se llevarían una gran parte de este pago.',
  'sendguard.fee.typeBack':
    'Para enviarlo de todos modos, escribe la comisión en sats exactamente como aparece arriba.',
  'sendguard.fee.input': 'Comisión en sats',
  'sendguard.fee.accept': 'Aceptar esta comisión',
  'sendguard.fee.accepted': 'Confirmaste la comisión de {fee} sats.',
  'sendguard.evicts.title': 'Esta aceleración cancela pagos posteriores',
  'sendguard.evicts.explain':
    'Estos pagos tuyos gastan el cambio de la transacción que se reemplaza. Reemplazarla los cancela: no se enviarán. Vuelve a enviarlos cuando la aceleración se confirme, si todavía quieres hacerlos.',
  'sendguard.evicts.item': '{amount} a {address}',
  'sendguard.evicts.itemLabel': '{amount} a {address} ({label})',
  'sendguard.evicts.unknownAddress': 'una salida no estándar',
  'sendguard.pending.title': 'Esperando para transmitir',
  'sendguard.pending.item': '{amount} · transacción {txid}',
  'sendguard.pending.retryIn': 'Esperando para transmitir, se reintenta en {seconds} s.',
  'sendguard.pending.retryingNow': 'Esperando para transmitir, reintentando ahora…',
  'sendguard.pending.noServer': 'Esperando para transmitir hasta que haya un servidor conectado.',
  'sendguard.pending.reason': 'Última respuesta: {reason}',
  'sendguard.pending.kept':
    'Flash guarda estos pagos y mantiene reservadas sus monedas hasta que la red los acepte o sus monedas se gasten en otra transacción. No los envíes de nuevo.',
  'send.error.FEE_ABSURD':
    'Esta comisión parece un error ({feeSats} sats). Escribe la comisión en la pantalla de revisión para enviarla de todos modos.',
  'send.error.FEE_CONFIRMATION_MISMATCH': 'Esa no es la comisión. Escribe {feeSats} exactamente, en sats.',
  'send.error.INPUT_AMOUNT_UNKNOWN':
    'Este PSBT gasta una moneda que Flash no puede comprobar ({outpoint}): no está en esta billetera y el PSBT no trae su transacción anterior. Flash no firmará una comisión que no puede verificar.',
  'send.error.INPUT_AMOUNT_MISMATCH':
    'Este PSBT declara mal el importe de una moneda ({outpoint}): dice {claimedSats} sats y la moneda tiene {actualSats} sats. No lo firmes.',
};
