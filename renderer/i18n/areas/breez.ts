/**
 * Text of the Breez parts: connecting Breez in Settings, what the recovery words mean for its
 * Lightning balance (also said at onboarding), and swaps between Lightning and a Bitcoin address
 * (limits, fees, refunds, accepting a changed fee). Spanish has exactly the same keys.
 */
export const breezEn = {
  'breez.words':
    'These words also restore the Lightning balance Flash keeps with Breez: it is held under keys made from the same words.',
  'breez.connect.title': 'Breez (built into Flash)',
  'breez.connect.explain':
    'Breez runs inside Flash, self-custodial, on the recovery words of the wallet you are using: your Lightning balance is kept under keys from those same words, so restoring the words on another computer brings it back. There are no channels to manage: payments are swaps, and their fee is shown before you confirm.',
  'breez.connect.apiKey': 'Breez API key',
  'breez.connect.apiKeyHint':
    'Needed on mainnet and testnet (Breez gives it for free); not needed on regtest. It is sealed in Flash’s vault.',
  'breez.connect.submit': 'Connect Breez',
  'breez.connect.done': 'Breez is connected.',

  'breez.swaps.title': 'Swaps with a Bitcoin address',
  'breez.swaps.intro':
    'Breez moves money between your Lightning balance and ordinary Bitcoin addresses through a swap. Each swap has limits and a fee, shown before anything moves.',
  'breez.limits': 'Limits: {min} to {max}.',

  'breez.in.title': 'Receive to a Bitcoin address',
  'breez.in.amount': 'Amount the sender pays (sats, optional)',
  'breez.in.create': 'Get a Bitcoin address',
  'breez.in.qrAlt': 'Bitcoin address of the swap',
  'breez.in.fee': 'Swap fee: {fee}',
  'breez.in.feeRate': 'Swap fee: {fee} plus {percent}% of what arrives',
  'breez.in.receive': 'Arrives on Lightning: {amount}',
  'breez.in.limits':
    'Send between {min} and {max} to this address. Outside that, the coins wait to be refunded.',
  'breez.in.waiting': 'Waiting for the coins… they join your Lightning balance after the swap.',
  'breez.in.copy': 'Copy address',
  'breez.in.new': 'Another address',

  'breez.out.title': 'Pay a Bitcoin address from Lightning',
  'breez.out.address': 'Bitcoin address',
  'breez.out.amount': 'Amount to arrive (sats)',
  'breez.out.review': 'Review',
  'breez.out.arrives': 'Arrives at the address',
  'breez.out.fee': 'Swap and network fees',
  'breez.out.total': 'Taken from Lightning',
  'breez.out.confirm': 'Send now',
  'breez.out.cancel': 'Cancel',
  'breez.out.sent': 'Sent: the swap is under way. It shows in Activity.',

  'breez.refunds.title': 'Swaps to refund',
  'breez.refunds.none': 'No swap is waiting for a refund.',
  'breez.refunds.what':
    'These coins reached a swap address but the swap could not complete (for example the amount was outside the limits). Send them back to a Bitcoin address of yours.',
  'breez.refunds.item': '{amount} at {address}',
  'breez.refunds.to': 'Refund to address',
  'breez.refunds.feeRate': 'Network fee rate (sat/vB)',
  'breez.refunds.preview': 'Preview refund',
  'breez.refunds.fee': 'Network fee {fee}; you receive {amount}.',
  'breez.refunds.confirm': 'Refund now',
  'breez.refunds.sent': 'Refund sent: transaction {txid}.',
  'breez.refunds.again': 'A refund was sent ({txid}); a new one with a higher fee replaces it.',

  'breez.fees.title': 'Swaps waiting for your decision',
  'breez.fees.what':
    'The sender paid a different amount, or the swap’s fee changed since it was quoted. Accept the new fee to finish the swap, or leave it.',
  'breez.fees.item': 'Swap received {amount}',
  'breez.fees.review': 'See the new fee',
  'breez.fees.paid': 'Sender paid',
  'breez.fees.fee': 'New fee',
  'breez.fees.receive': 'You receive',
  'breez.fees.accept': 'Accept the fee',
  'breez.fees.accepted': 'Accepted: the swap completes shortly.',

  'breez.invoiceFee': 'Breez’s swap fee for receiving this: {fee}.',
} as const;

export const breezEs: Record<keyof typeof breezEn, string> = {
  'breez.words':
    'Estas palabras también recuperan el saldo Lightning que Flash guarda con Breez: está bajo claves hechas con estas mismas palabras.',
  'breez.connect.title': 'Breez (integrado en Flash)',
  'breez.connect.explain':
    'Breez funciona dentro de Flash, sin custodia, con las palabras de recuperación de la billetera que estás usando: tu saldo Lightning queda bajo claves de esas mismas palabras, así que al restaurar las palabras en otro ordenador vuelve contigo. No hay canales que gestionar: los pagos son intercambios (swaps) y su comisión se muestra antes de confirmar.',
  'breez.connect.apiKey': 'Clave de API de Breez',
  'breez.connect.apiKeyHint':
    'Hace falta en mainnet y testnet (Breez la da gratis); no en regtest. Se guarda sellada en la bóveda de Flash.',
  'breez.connect.submit': 'Conectar Breez',
  'breez.connect.done': 'Breez está conectado.',

  'breez.swaps.title': 'Intercambios con una dirección Bitcoin',
  'breez.swaps.intro':
    'Breez mueve dinero entre tu saldo Lightning y direcciones Bitcoin normales mediante un intercambio. Cada intercambio tiene límites y una comisión, que se muestran antes de mover nada.',
  'breez.limits': 'Límites: de {min} a {max}.',

  'breez.in.title': 'Recibir en una dirección Bitcoin',
  'breez.in.amount': 'Importe que paga quien envía (sats, opcional)',
  'breez.in.create': 'Obtener una dirección Bitcoin',
  'breez.in.qrAlt': 'Dirección Bitcoin del intercambio',
  'breez.in.fee': 'Comisión del intercambio: {fee}',
  'breez.in.feeRate': 'Comisión del intercambio: {fee} más el {percent}% de lo que llegue',
  'breez.in.receive': 'Llega a Lightning: {amount}',
  'breez.in.limits':
    'Envía entre {min} y {max} a esta dirección. Fuera de ese rango, las monedas esperan un reembolso.',
  'breez.in.waiting': 'Esperando las monedas… se suman a tu saldo Lightning tras el intercambio.',
  'breez.in.copy': 'Copiar dirección',
  'breez.in.new': 'Otra dirección',

  'breez.out.title': 'Pagar a una dirección Bitcoin desde Lightning',
  'breez.out.address': 'Dirección Bitcoin',
  'breez.out.amount': 'Importe que debe llegar (sats)',
  'breez.out.review': 'Revisar',
  'breez.out.arrives': 'Llega a la dirección',
  'breez.out.fee': 'Comisiones del intercambio y de la red',
  'breez.out.total': 'Se descuenta de Lightning',
  'breez.out.confirm': 'Enviar ahora',
  'breez.out.cancel': 'Cancelar',
  'breez.out.sent': 'Enviado: el intercambio está en marcha. Aparece en Actividad.',

  'breez.refunds.title': 'Intercambios por reembolsar',
  'breez.refunds.none': 'Ningún intercambio espera un reembolso.',
  'breez.refunds.what':
    'Estas monedas llegaron a una dirección de intercambio, pero el intercambio no pudo completarse (por ejemplo, el importe estaba fuera de los límites). Devuélvelas a una dirección Bitcoin tuya.',
  'breez.refunds.item': '{amount} en {address}',
  'breez.refunds.to': 'Reembolsar a la dirección',
  'breez.refunds.feeRate': 'Tarifa de red (sat/vB)',
  'breez.refunds.preview': 'Ver el reembolso',
  'breez.refunds.fee': 'Comisión de red {fee}; recibes {amount}.',
  'breez.refunds.confirm': 'Reembolsar ahora',
  'breez.refunds.sent': 'Reembolso enviado: transacción {txid}.',
  'breez.refunds.again': 'Ya se envió un reembolso ({txid}); uno nuevo con más comisión lo sustituye.',

  'breez.fees.title': 'Intercambios que esperan tu decisión',
  'breez.fees.what':
    'Quien envía pagó otro importe, o la comisión del intercambio cambió desde que se calculó. Acepta la nueva comisión para terminar el intercambio, o déjalo.',
  'breez.fees.item': 'Intercambio recibido: {amount}',
  'breez.fees.review': 'Ver la nueva comisión',
  'breez.fees.paid': 'Pagado por quien envía',
  'breez.fees.fee': 'Nueva comisión',
  'breez.fees.receive': 'Recibes',
  'breez.fees.accept': 'Aceptar la comisión',
  'breez.fees.accepted': 'Aceptada: el intercambio termina en breve.',

  'breez.invoiceFee': 'Comisión de Breez por recibir esto: {fee}.',
};
