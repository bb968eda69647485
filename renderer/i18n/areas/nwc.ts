/**
 * Text of Nostr Wallet Connect (a wallet connected by URI, and Flash as a wallet for other apps)
 * and of zaps in Messages. English is the reference; Spanish has exactly the same keys.
 */
export const nwcEn = {
  'error.NWC_INVALID_URI':
    'That is not a Nostr Wallet Connect link. It starts with nostr+walletconnect:// and names a relay and a secret.',
  'error.NWC_CONNECTION_NOT_FOUND': 'That app connection does not exist any more.',
  'error.NWC_BAD_CONNECTION': 'Check the connection: give it a name, a budget and at least one permission.',
  'error.ZAP_NO_LIGHTNING_ADDRESS':
    'This person has no Lightning address in their profile, so they cannot be zapped.',
  'error.ZAP_NOT_SUPPORTED':
    'Their Lightning address does not accept zaps (no NOSTR support, or an amount outside its limits).',
  'error.ZAP_BAD_INVOICE':
    'Their Lightning server sent an invoice that does not match the zap (amount or description). Nothing was paid.',
};

export const nwcEs: Record<keyof typeof nwcEn, string> = {
  'error.NWC_INVALID_URI':
    'Eso no es un enlace de Nostr Wallet Connect. Empieza por nostr+walletconnect:// e indica un relé y un secreto.',
  'error.NWC_CONNECTION_NOT_FOUND': 'Esa conexión de aplicación ya no existe.',
  'error.NWC_BAD_CONNECTION': 'Revisa la conexión: dale un nombre, un presupuesto y al menos un permiso.',
  'error.ZAP_NO_LIGHTNING_ADDRESS':
    'Esta persona no tiene dirección Lightning en su perfil, así que no se le pueden enviar zaps.',
  'error.ZAP_NOT_SUPPORTED':
    'Su dirección Lightning no acepta zaps (no admite NOSTR, o el importe está fuera de sus límites).',
  'error.ZAP_BAD_INVOICE':
    'Su servidor Lightning envió una factura que no corresponde al zap (importe o descripción). No se pagó nada.',
};
