import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { en } from '../../renderer/i18n/en';
import { es } from '../../renderer/i18n/es';
import { hwError, mapLedgerError, mapTrezorError, withTimeout } from '../../main/hardware/errors';
import type { HwErrorCode } from '../../main/hardware/errors';
import { hasInaccessibleDevice } from '../../main/hardware/linux-access';

const status = (statusCode: number) =>
  Object.assign(new Error(`Ledger device: status 0x${statusCode.toString(16)}`), {
    name: 'TransportStatusError',
    statusCode,
  });
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

describe('Ledger errors -> typed errors', () => {
  it.each<[string, unknown, HwErrorCode]>([
    ['locked (0x5515)', status(0x5515), 'HW_LOCKED'],
    ['LockedDeviceError', named('LockedDeviceError'), 'HW_LOCKED'],
    ['rejected (0x6985)', status(0x6985), 'HW_REJECTED'],
    ['CLA not supported (0x6e00): other app', status(0x6e00), 'HW_WRONG_APP'],
    ['INS not supported (0x6d00)', status(0x6d00), 'HW_WRONG_APP'],
    ['app not open (0x6511)', status(0x6511), 'HW_WRONG_APP'],
    ['bad data (0x6a80)', status(0x6a80), 'HW_PSBT_REFUSED'],
    ['unplugged mid-way', named('DisconnectedDeviceDuringOperation'), 'HW_DISCONNECTED'],
    ['HID read failure', new Error('Could not read from HID device'), 'HW_DISCONNECTED'],
    ['another program has it', named('TransportRaceCondition'), 'HW_BUSY'],
    ['Linux permissions', new Error('cannot open device with path /dev/hidraw3'), 'HW_NOT_ACCESSIBLE'],
    ['no device', new Error('NoDevice'), 'HW_NO_DEVICE'],
    [
      'legacy app',
      new TypeError('signPsbtBuffer is not supported with the legacy Bitcoin app'),
      'HW_APP_TOO_OLD',
    ],
    [
      'unsupported account type',
      new Error('Unsupported address format for account type'),
      'HW_UNSUPPORTED_SCRIPT',
    ],
  ])('%s', (_label, err, code) => {
    expect(mapLedgerError(err).code).toBe(code);
  });

  it('keeps a FlashError as it is', () => {
    const e = hwError('HW_FINGERPRINT_MISMATCH');
    expect(mapLedgerError(e)).toBe(e);
  });
});

describe('Trezor Connect failures -> typed errors', () => {
  it.each<[string, HwErrorCode]>([
    ['Failure_ActionCancelled', 'HW_REJECTED'],
    ['Method_Cancel', 'HW_REJECTED'],
    ['Method_Interrupted', 'HW_TIMEOUT'],
    ['Failure_PinInvalid', 'HW_LOCKED'],
    ['Failure_PinCancelled', 'HW_LOCKED'],
    ['Device_Disconnected', 'HW_DISCONNECTED'],
    ['Device_NotFound', 'HW_NO_DEVICE'],
    ['Transport_Missing', 'HW_NO_DEVICE'],
    ['Device_UsedElsewhere', 'HW_BUSY'],
    ['Device_CallInProgress', 'HW_BUSY'],
    ['Device_InvalidState', 'HW_FINGERPRINT_MISMATCH'],
    ['Method_UnknownCoin', 'HW_WRONG_NETWORK'],
    ['Method_AddressNotMatch', 'HW_ADDRESS_MISMATCH'],
    ['Failure_DataError', 'HW_PSBT_REFUSED'],
    ['Device_FwException', 'HW_APP_TOO_OLD'],
  ])('%s', (code, expected) => {
    expect(mapTrezorError({ error: 'x', code }).code).toBe(expected);
  });

  it('reads libusb access errors and unsupported paths from the text', () => {
    expect(mapTrezorError({ error: 'LIBUSB_ERROR_ACCESS' }).code).toBe('HW_NOT_ACCESSIBLE');
    expect(mapTrezorError({ error: 'Forbidden key path' }).code).toBe('HW_UNSUPPORTED_SCRIPT');
  });
});

describe('every hardware error has a clear message in both languages', () => {
  it('English and Spanish texts exist and differ from the code', () => {
    const hw = ERROR_CODES.filter((c) => c.startsWith('HW_'));
    expect(hw.length).toBe(15);
    for (const code of hw) {
      const key = `error.${code}` as keyof typeof en;
      expect(en[key], code).toMatch(/\w{3,}.*\./);
      expect(es[key], code).toMatch(/\w{3,}.*\./);
      expect(en[key]).not.toBe(es[key]);
    }
  });
});

describe('withTimeout', () => {
  it('cancels the device request and throws HW_TIMEOUT', async () => {
    let cancelled = false;
    const never = new Promise<string>(() => undefined);
    await expect(
      withTimeout(never, 20, () => {
        cancelled = true;
      }),
    ).rejects.toMatchObject({ code: 'HW_TIMEOUT' });
    expect(cancelled).toBe(true);
  });

  it('passes a fast answer through untouched', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, () => undefined)).resolves.toBe(7);
  });
});

describe('Linux udev check (sysfs only)', () => {
  function fakeSys(vendor: string, product: string) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-sys-'));
    const dev = path.join(root, 'sys/bus/usb/devices/1-2');
    fs.mkdirSync(path.join(dev, '1-2:1.0/0003:2C97:5011.0001/hidraw/hidraw3'), { recursive: true });
    fs.writeFileSync(path.join(dev, 'idVendor'), `${vendor}\n`);
    fs.writeFileSync(path.join(dev, 'idProduct'), `${product}\n`);
    fs.writeFileSync(path.join(dev, 'busnum'), '1\n');
    fs.writeFileSync(path.join(dev, 'devnum'), '7\n');
    return { sysRoot: path.join(root, 'sys'), devRoot: path.join(root, 'dev') };
  }

  it('flags a Ledger whose USB or hidraw node this user cannot open', () => {
    const roots = fakeSys('2c97', '5011');
    expect(hasInaccessibleDevice({ ...roots, canOpen: () => false })).toBe(true);
    expect(hasInaccessibleDevice({ ...roots, canOpen: (f) => !f.endsWith('hidraw3') })).toBe(true);
    expect(hasInaccessibleDevice({ ...roots, canOpen: () => true })).toBe(false);
  });

  it('ignores other USB devices, and pid.codes devices that are not a Trezor', () => {
    expect(hasInaccessibleDevice({ ...fakeSys('046d', 'c52b'), canOpen: () => false })).toBe(false);
    expect(hasInaccessibleDevice({ ...fakeSys('1209', '0001'), canOpen: () => false })).toBe(false);
    expect(hasInaccessibleDevice({ ...fakeSys('1209', '53c1'), canOpen: () => false })).toBe(true);
  });
});
