/**
 * Text of LNURL links and Lightning addresses in Messages: the "Open" cards that ask nothing until
 * pressed, and the claim card of a withdraw link (a merchant's reward). English is the reference;
 * Spanish has exactly the same keys.
 */
export const lnClaimEn = {
  'lnclaim.link.title': 'Lightning link',
  'lnclaim.link.privacy':
    'Flash asks the service behind this link what it is only when you open it, so the sender does not learn that you read it.',
  'lnclaim.link.open': 'Open',
  'lnclaim.link.opening': 'Opening…',
  'lnclaim.link.sent': 'You sent this link: it is for the person you sent it to.',
  'lnclaim.address.title': 'Lightning address',
  'lnclaim.address.privacy':
    'Flash asks {domain} how to pay this address only when you open it, so the sender does not learn that you read it.',
  'lnclaim.address.sent': 'You sent this Lightning address: the person you sent it to can pay you with it.',
  'lnclaim.address.unknown': '{domain} does not know this Lightning address.',
  'lnclaim.address.refused': '{domain} gave no payment details for this address: {reason}',
  'lnclaim.title': 'Lightning withdrawal',
  'lnclaim.from': 'Sats to claim from {domain}',
  'lnclaim.range': '{min} to {max} sats',
  'lnclaim.claim': 'Claim {sats} sats',
  'lnclaim.claiming': 'Claiming…',
  'lnclaim.waiting': 'Claim sent. Waiting for {domain} to pay…',
  'lnclaim.claimed': 'Claimed {sats} sats ✓',
  'lnclaim.unpaid': '{domain} accepted the claim but did not pay it. Nothing was received.',
  'lnclaim.problem.noProvider':
    'To claim sats you need a Lightning wallet. Connect one in Settings → Lightning, then press Claim again.',
  'lnclaim.problem.expired': 'This link has expired: {domain} no longer pays it.',
  'lnclaim.problem.alreadyClaimed': 'This link was already claimed: {domain} has nothing left to pay.',
  'lnclaim.problem.unreachable': 'Can’t reach {domain} right now. Try again later.',
  'lnclaim.problem.refused': '{domain} refused the claim: {reason}',
};

export const lnClaimEs: Record<keyof typeof lnClaimEn, string> = {
  'lnclaim.link.title': 'Enlace Lightning',
  'lnclaim.link.privacy':
    'Flash pregunta al servicio de este enlace qué es solo cuando lo abres, así quien lo envió no sabe que lo leíste.',
  'lnclaim.link.open': 'Abrir',
  'lnclaim.link.opening': 'Abriendo…',
  'lnclaim.link.sent': 'Enviaste este enlace: es para la persona a quien se lo enviaste.',
  'lnclaim.address.title': 'Dirección Lightning',
  'lnclaim.address.privacy':
    'Flash pregunta a {domain} cómo pagar esta dirección solo cuando la abres, así quien la envió no sabe que la leíste.',
  'lnclaim.address.sent':
    'Enviaste esta dirección Lightning: la persona a quien se la enviaste puede pagarte con ella.',
  'lnclaim.address.unknown': '{domain} no conoce esta dirección Lightning.',
  'lnclaim.address.refused': '{domain} no dio datos de pago para esta dirección: {reason}',
  'lnclaim.title': 'Retiro Lightning',
  'lnclaim.from': 'Sats para cobrar de {domain}',
  'lnclaim.range': 'De {min} a {max} sats',
  'lnclaim.claim': 'Cobrar {sats} sats',
  'lnclaim.claiming': 'Cobrando…',
  'lnclaim.waiting': 'Cobro enviado. Esperando a que {domain} pague…',
  'lnclaim.claimed': 'Cobrados {sats} sats ✓',
  'lnclaim.unpaid': '{domain} aceptó el cobro pero no lo pagó. No se recibió nada.',
  'lnclaim.problem.noProvider':
    'Para cobrar sats necesitas una billetera Lightning. Conecta una en Ajustes → Lightning y vuelve a pulsar Cobrar.',
  'lnclaim.problem.expired': 'Este enlace ha caducado: {domain} ya no lo paga.',
  'lnclaim.problem.alreadyClaimed': 'Este enlace ya se cobró: {domain} no tiene nada más que pagar.',
  'lnclaim.problem.unreachable': 'No se puede conectar con {domain} ahora. Inténtalo más tarde.',
  'lnclaim.problem.refused': '{domain} rechazó el cobro: {reason}',
};
