import { describe, expect, it } from 'vitest';
import { FlashError } from '../../shared/errors';
import { openPcscReaders, pcscProblem } from '../../main/merchant/nfc/pcsc-readers';

describe('PC/SC readers (nfc-pcsc, loaded lazily)', () => {
  it('says in words that pcscd is not running instead of freezing on its missing socket', () => {
    let err: unknown;
    try {
      openPcscReaders({ platform: 'linux', pcscdSocket: '/nonexistent/pcscd.comm' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FlashError);
    expect((err as FlashError).code).toBe('MERCHANT_NFC_UNAVAILABLE');
    expect(String((err as FlashError).details?.['reason'])).toMatch(/pcscd/);
  });

  it('turns a missing or unbuilt native module into words', () => {
    expect(pcscProblem(new Error("Cannot find module 'nfc-pcsc'"))).toMatch(/not installed/);
    expect(pcscProblem(new Error('libpcsclite.so.1: cannot open shared object file'))).toMatch(
      /could not load/,
    );
    expect(pcscProblem(new Error('SCardEstablishContext error: Service not available.(0x8010001d)'))).toMatch(
      /pcscd/,
    );
  });
});
