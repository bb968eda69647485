/**
 * hardware screens' text. English is the reference; Spanish must have exactly the same keys
 * (the type below fails to compile otherwise) and the same placeholders (unit test).
 */
export const hardwareEn = {
  'error.HW_NO_DEVICE': 'No hardware wallet found. Plug it in, unlock it and try again.',
  'error.HW_LOCKED': 'The device is locked. Unlock it with its PIN, then try again.',
  'error.HW_WRONG_APP':
    'Open the Bitcoin app on the device (on a test network: “Bitcoin Test”), then try again.',
  'error.HW_APP_TOO_OLD':
    'The Bitcoin app on the device is too old. Update it (Ledger: version 2.1 or newer), then try again.',
  'error.HW_REJECTED': 'You rejected the request on the device. Nothing was signed.',
  'error.HW_TIMEOUT': 'The device did not answer in time. Nothing was signed; try again.',
  'error.HW_DISCONNECTED': 'The device was disconnected. Nothing was lost: plug it back in and try again.',
  'error.HW_UNSUPPORTED_SCRIPT': 'The device cannot sign this kind of address or transaction.',
  'error.HW_FINGERPRINT_MISMATCH':
    'This device holds different keys than the account (another device, seed or passphrase). Connect the right one.',
  'error.HW_WRONG_NETWORK': 'The device or its app is set up for another network than Flash.',
  'error.HW_NOT_ACCESSIBLE':
    'The device is plugged in but Flash may not open it. On Linux, install the udev rules for Ledger and Trezor, then plug it in again.',
  'error.HW_PSBT_REFUSED': 'The device refused to sign this transaction. Nothing was sent.',
  'error.HW_ADDRESS_MISMATCH': 'The device shows a different address than Flash. Do not use this address.',
  'error.HW_BUSY': 'The device is busy with another request or program. Finish it there, then try again.',
  'error.HW_CANCELLED': 'Cancelled. Nothing was signed; the payment draft is kept.',
  'hardware.send.cancel': 'Cancel',
  'hardware.title': 'Devices',
  'hardware.intro': 'Keep your keys on a Ledger or Trezor: Flash watches the account and the device signs.',
  'hardware.refresh': 'Look for devices',
  'hardware.searching': 'Looking for devices…',
  'hardware.none': 'No device found. Plug in your Ledger or Trezor and unlock it.',
  'hardware.udevHint':
    'A hardware wallet is plugged in but this user may not open it. On Linux, install the udev rules for Ledger and Trezor (see the README), then unplug it and plug it in again.',
  'hardware.simulated': 'Simulated (test only)',
  'hardware.state.detected': 'Not connected',
  'hardware.state.ready': 'Connected',
  'hardware.state.locked': 'Locked: enter the PIN on the device',
  'hardware.state.wrong_app': 'Open the Bitcoin app on the device',
  'hardware.state.app_too_old': 'Bitcoin app too old: update it',
  'hardware.state.not_accessible': 'Not accessible (udev rules missing)',
  'hardware.state.busy': 'Busy: another program uses it',
  'hardware.connect': 'Connect',
  'hardware.connecting': 'Connecting…',
  'hardware.fingerprint': 'Fingerprint {fingerprint}',
  'hardware.app': 'App {app}',
  'hardware.import.title': 'Add an account from this device',
  'hardware.import.type': 'Account type',
  'hardware.import.index': 'Account number',
  'hardware.import.name': 'Account name',
  'hardware.import.defaultName': '{vendor} {type}',
  'hardware.import.submit': 'Import as watch-only account',
  'hardware.import.working': 'Reading the account from the device…',
  'hardware.import.done': 'Account “{name}” added. The device signs its payments.',
  'hardware.import.open': 'Open the account',
  'hardware.prefs.title': 'Address checks',
  'hardware.prefs.alwaysVerify': 'Always verify receive addresses on the device before showing them',
  'hardware.verify.button': 'Verify address on device',
  'hardware.verify.working': 'Check that the device shows exactly this address, then confirm it there.',
  'hardware.verify.ok': 'Verified on the device.',
  'hardware.verify.required': 'Verify this address on your device before you share it.',
  'hardware.verify.hidden': 'The address is hidden until the device confirms it.',
  'hardware.send.title': 'Check, then confirm on your device',
  'hardware.send.explain':
    'Your {vendor} signs this payment. Nothing leaves Flash until the device approves it.',
  'hardware.send.sign': 'Confirm on device',
  'hardware.send.waitingTitle': 'Confirm on your device',
  'hardware.send.waiting':
    'Check on the device screen that it shows these amounts and addresses, then approve:',
  'hardware.send.checkRecipient': 'Send {amount} to {address}',
  'hardware.send.checkFee': 'Fee {fee}',
  'hardware.send.checkChange': 'Change {amount} back to your account (the device may not show it)',
  'hardware.send.broadcasting': 'Signed. Sending…',
  'hardware.send.retry': 'Try again',
  'hardware.send.kept': 'The payment draft is kept: fix the problem and try again.',
} satisfies Record<string, string>;

export const hardwareEs: Record<keyof typeof hardwareEn, string> = {
  'error.HW_NO_DEVICE':
    'No se encontró ninguna cartera de hardware. Conéctala, desbloquéala y vuelve a intentarlo.',
  'error.HW_LOCKED': 'El dispositivo está bloqueado. Desbloquéalo con su PIN y vuelve a intentarlo.',
  'error.HW_WRONG_APP':
    'Abre la app Bitcoin en el dispositivo (en una red de pruebas: «Bitcoin Test») y vuelve a intentarlo.',
  'error.HW_APP_TOO_OLD':
    'La app Bitcoin del dispositivo es demasiado antigua. Actualízala (Ledger: versión 2.1 o posterior) y vuelve a intentarlo.',
  'error.HW_REJECTED': 'Rechazaste la solicitud en el dispositivo. No se firmó nada.',
  'error.HW_TIMEOUT': 'El dispositivo no respondió a tiempo. No se firmó nada; vuelve a intentarlo.',
  'error.HW_DISCONNECTED':
    'El dispositivo se desconectó. No se perdió nada: vuelve a conectarlo e inténtalo de nuevo.',
  'error.HW_UNSUPPORTED_SCRIPT': 'El dispositivo no puede firmar este tipo de dirección o transacción.',
  'error.HW_FINGERPRINT_MISMATCH':
    'Este dispositivo tiene claves distintas a las de la cuenta (otro dispositivo, semilla o frase de contraseña). Conecta el correcto.',
  'error.HW_WRONG_NETWORK': 'El dispositivo o su app está configurado para otra red distinta a la de Flash.',
  'error.HW_NOT_ACCESSIBLE':
    'El dispositivo está conectado pero Flash no puede abrirlo. En Linux, instala las reglas udev de Ledger y Trezor y vuelve a conectarlo.',
  'error.HW_PSBT_REFUSED': 'El dispositivo se negó a firmar esta transacción. No se envió nada.',
  'error.HW_ADDRESS_MISMATCH':
    'El dispositivo muestra una dirección distinta a la de Flash. No uses esta dirección.',
  'error.HW_BUSY':
    'El dispositivo está ocupado con otra solicitud u otro programa. Termina allí y vuelve a intentarlo.',
  'error.HW_CANCELLED': 'Cancelado. No se firmó nada; el borrador del pago se conserva.',
  'hardware.send.cancel': 'Cancelar',
  'hardware.title': 'Dispositivos',
  'hardware.intro': 'Guarda tus claves en un Ledger o Trezor: Flash vigila la cuenta y el dispositivo firma.',
  'hardware.refresh': 'Buscar dispositivos',
  'hardware.searching': 'Buscando dispositivos…',
  'hardware.none': 'No se encontró ningún dispositivo. Conecta tu Ledger o Trezor y desbloquéalo.',
  'hardware.udevHint':
    'Hay una cartera de hardware conectada pero este usuario no puede abrirla. En Linux, instala las reglas udev de Ledger y Trezor (ver el README), desconéctala y vuelve a conectarla.',
  'hardware.simulated': 'Simulado (solo pruebas)',
  'hardware.state.detected': 'Sin conectar',
  'hardware.state.ready': 'Conectado',
  'hardware.state.locked': 'Bloqueado: introduce el PIN en el dispositivo',
  'hardware.state.wrong_app': 'Abre la app Bitcoin en el dispositivo',
  'hardware.state.app_too_old': 'App Bitcoin demasiado antigua: actualízala',
  'hardware.state.not_accessible': 'Sin acceso (faltan las reglas udev)',
  'hardware.state.busy': 'Ocupado: otro programa lo está usando',
  'hardware.connect': 'Conectar',
  'hardware.connecting': 'Conectando…',
  'hardware.fingerprint': 'Huella {fingerprint}',
  'hardware.app': 'App {app}',
  'hardware.import.title': 'Añadir una cuenta de este dispositivo',
  'hardware.import.type': 'Tipo de cuenta',
  'hardware.import.index': 'Número de cuenta',
  'hardware.import.name': 'Nombre de la cuenta',
  'hardware.import.defaultName': '{vendor} {type}',
  'hardware.import.submit': 'Importar como cuenta de solo lectura',
  'hardware.import.working': 'Leyendo la cuenta del dispositivo…',
  'hardware.import.done': 'Cuenta «{name}» añadida. El dispositivo firma sus pagos.',
  'hardware.import.open': 'Abrir la cuenta',
  'hardware.prefs.title': 'Comprobación de direcciones',
  'hardware.prefs.alwaysVerify':
    'Verificar siempre en el dispositivo las direcciones de recepción antes de mostrarlas',
  'hardware.verify.button': 'Verificar dirección en el dispositivo',
  'hardware.verify.working':
    'Comprueba que el dispositivo muestra exactamente esta dirección y confírmala allí.',
  'hardware.verify.ok': 'Verificada en el dispositivo.',
  'hardware.verify.required': 'Verifica esta dirección en tu dispositivo antes de compartirla.',
  'hardware.verify.hidden': 'La dirección queda oculta hasta que el dispositivo la confirme.',
  'hardware.send.title': 'Revisa y confirma en tu dispositivo',
  'hardware.send.explain':
    'Tu {vendor} firma este pago. Nada sale de Flash hasta que el dispositivo lo apruebe.',
  'hardware.send.sign': 'Confirmar en el dispositivo',
  'hardware.send.waitingTitle': 'Confirma en tu dispositivo',
  'hardware.send.waiting':
    'Comprueba en la pantalla del dispositivo que muestra estos importes y direcciones, y aprueba:',
  'hardware.send.checkRecipient': 'Enviar {amount} a {address}',
  'hardware.send.checkFee': 'Comisión {fee}',
  'hardware.send.checkChange':
    'Cambio de {amount} de vuelta a tu cuenta (puede que el dispositivo no lo muestre)',
  'hardware.send.broadcasting': 'Firmado. Enviando…',
  'hardware.send.retry': 'Reintentar',
  'hardware.send.kept': 'El borrador del pago se conserva: soluciona el problema y vuelve a intentarlo.',
};
