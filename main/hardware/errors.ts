import type { ErrorCode } from '../../shared/errors';
import { FlashError, isFlashError } from '../../shared/errors';

export type HwErrorCode = Extract<ErrorCode, `HW_${string}`>;

/** English fallbacks; the renderer shows the translated `error.HW_*` text. */
const MESSAGES: Record<HwErrorCode, string> = {
  HW_NO_DEVICE: 'No hardware wallet found. Plug it in, unlock it and try again.',
  HW_LOCKED: 'The device is locked. Unlock it with its PIN and try again.',
  HW_WRONG_APP: 'Open the Bitcoin app on the device and try again.',
  HW_APP_TOO_OLD: 'The Bitcoin app on the device is too old. Update it, then try again.',
  HW_REJECTED: 'The request was rejected on the device.',
  HW_TIMEOUT: 'The device did not answer in time. Nothing was signed; try again.',
  HW_DISCONNECTED: 'The device was disconnected. Nothing was lost: plug it back in and try again.',
  HW_UNSUPPORTED_SCRIPT: 'The device cannot sign this kind of address or transaction.',
  HW_FINGERPRINT_MISMATCH: 'This device holds different keys than the account (its fingerprint differs).',
  HW_WRONG_NETWORK: 'The device is set up for another network than Flash.',
  HW_NOT_ACCESSIBLE:
    'The device is plugged in but this user may not open it (Linux: install the udev rules).',
  HW_PSBT_REFUSED: 'The device refused to sign this transaction.',
  HW_ADDRESS_MISMATCH: 'The device shows a different address than Flash. Do not use this address.',
  HW_BUSY: 'The device is busy with another request or program. Finish it, then try again.',
  HW_CANCELLED: 'Cancelled in Flash. Nothing was signed.',
};

export function hwError(
  code: HwErrorCode,
  detail?: string,
  details?: Record<string, string | number | boolean | null>,
): FlashError {
  return new FlashError(code, detail ? `${MESSAGES[code]} (${detail})` : MESSAGES[code], details);
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return String(err);
}

/** Linux `open()` refusals from node-hid/libusb: the udev rules are missing. */
export const ACCESS_DENIED = /cannot open device|permission denied|EACCES|LIBUSB_ERROR_ACCESS/i;

/**
 * Ledger transport and app errors -> typed errors. Status words from the app-bitcoin-new and BOLOS
 * documentation: 0x6985 denied by the user, 0x5515 locked, 0x6e00/0x6d00/0x6e01/0x6511 the app that
 * is open does not understand Bitcoin APDUs, 0x6a80/0x6a82/0x6b00 the app refused the data.
 */
export function mapLedgerError(err: unknown): FlashError {
  if (isFlashError(err)) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    statusCode?: unknown;
    id?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : null;
  const text = messageOf(err);
  if (name === 'LockedDeviceError' || status === 0x5515 || status === 0x6982) return hwError('HW_LOCKED');
  if (status === 0x6985) return hwError('HW_REJECTED');
  if (status === 0x6e00 || status === 0x6d00 || status === 0x6e01 || status === 0x6511 || status === 0x6d02) {
    return hwError('HW_WRONG_APP', undefined, { statusCode: status });
  }
  if (status === 0x6a80 || status === 0x6a82 || status === 0x6b00 || status === 0x6a86) {
    return hwError('HW_PSBT_REFUSED', text, { statusCode: status });
  }
  if (
    /^Disconnected/.test(name) ||
    /disconnected|could not read from HID device|device was unplugged/i.test(text)
  ) {
    return hwError('HW_DISCONNECTED');
  }
  if (name === 'TransportRaceCondition' || /race condition|device is busy|LIBUSB_ERROR_BUSY/i.test(text)) {
    return hwError('HW_BUSY');
  }
  if (ACCESS_DENIED.test(text)) return hwError('HW_NOT_ACCESSIBLE');
  if (/NoDevice|no device found|device not found/i.test(`${name} ${text}`)) return hwError('HW_NO_DEVICE');
  if (/not supported with the legacy Bitcoin app/i.test(text)) return hwError('HW_APP_TOO_OLD');
  if (/unsupported|account type|address format/i.test(text)) return hwError('HW_UNSUPPORTED_SCRIPT', text);
  return hwError('HW_PSBT_REFUSED', text.slice(0, 200));
}

/** Trezor Connect's `{ success: false, payload: { error, code } }` -> typed errors. */
export function mapTrezorError(payload: { error: string; code?: string | undefined }): FlashError {
  const code = payload.code ?? '';
  const text = payload.error;
  switch (code) {
    case 'Failure_ActionCancelled':
    case 'Method_Cancel':
    case 'Method_PermissionsNotGranted':
      return hwError('HW_REJECTED');
    case 'Method_Interrupted':
      return hwError('HW_TIMEOUT');
    case 'Failure_PinCancelled':
    case 'Failure_PinExpected':
    case 'Failure_PinInvalid':
    case 'Failure_PinMismatch':
      return hwError('HW_LOCKED');
    case 'Device_Disconnected':
      return hwError('HW_DISCONNECTED');
    case 'Device_NotFound':
    case 'Transport_Missing':
      return hwError('HW_NO_DEVICE');
    case 'Device_UsedElsewhere':
    case 'Device_CallInProgress':
    case 'Failure_Busy':
      return hwError('HW_BUSY');
    case 'Device_InvalidState':
      return hwError('HW_FINGERPRINT_MISMATCH', 'passphrase');
    case 'Method_UnknownCoin':
    case 'Device_MissingCapability':
    case 'Device_MissingCapabilityBtcOnly':
      return hwError('HW_WRONG_NETWORK', text);
    case 'Method_AddressNotMatch':
      return hwError('HW_ADDRESS_MISMATCH');
    case 'Failure_DataError':
    case 'Failure_ProcessError':
    case 'Failure_SyntaxError':
    case 'Method_InvalidParameter':
      return hwError('HW_PSBT_REFUSED', text.slice(0, 200));
    case 'Device_FwException':
      return hwError('HW_APP_TOO_OLD', text);
  }
  if (ACCESS_DENIED.test(text)) return hwError('HW_NOT_ACCESSIBLE');
  if (/disconnected/i.test(text)) return hwError('HW_DISCONNECTED');
  if (/forbidden key path|unsupported|script type/i.test(text)) return hwError('HW_UNSUPPORTED_SCRIPT', text);
  return hwError('HW_PSBT_REFUSED', text.slice(0, 200));
}

/**
 * Runs `op` with a deadline. On expiry `onTimeout` is called (the driver cancels the device
 * request: Trezor Connect otherwise waits forever) and HW_TIMEOUT is thrown.
 */
export async function withTimeout<T>(
  op: Promise<T>,
  ms: number,
  onTimeout: () => Promise<void> | void,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      Promise.resolve()
        .then(onTimeout)
        .catch(() => undefined)
        .finally(() => reject(hwError('HW_TIMEOUT', undefined, { timeoutMs: ms })));
    }, ms);
  });
  try {
    return await Promise.race([op, deadline]);
  } finally {
    clearTimeout(timer);
    // The losing promise may reject later (e.g. the cancelled device call): never unhandled.
    op.catch(() => undefined);
  }
}
