import { describe, expect, it } from 'vitest';
import { AddressError } from '../../shared/bitcoin/address';
import type { UriErrorReason } from '../../shared/bitcoin/uri';
import {
  buildBitcoinUri,
  formatBtcAmount,
  parseBitcoinUri,
  parseBtcAmount,
  UriError,
} from '../../shared/bitcoin/uri';

// BIP21's own example address (175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W) fails its base58 checksum (bitcoinjs agrees).
const BIP21_EXAMPLE = '175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W';
const MAIN = '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2';
const SEGWIT = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';

function reason(fn: () => unknown): UriErrorReason | string {
  try {
    fn();
    return 'no error';
  } catch (err) {
    if (err instanceof UriError || err instanceof AddressError) return err.reason;
    throw err;
  }
}

describe('BIP21 amounts', () => {
  it('turns decimal BTC into exact sats', () => {
    expect(parseBtcAmount('50')).toBe(5_000_000_000);
    expect(parseBtcAmount('20.3')).toBe(2_030_000_000);
    expect(parseBtcAmount('0.00000001')).toBe(1);
    expect(parseBtcAmount('.5')).toBe(50_000_000);
    expect(parseBtcAmount('1.')).toBe(100_000_000);
    expect(parseBtcAmount('0.1')).toBe(10_000_000); // 0.1 is not exact in binary; here it is
    expect(parseBtcAmount('21000000')).toBe(2_100_000_000_000_000);
  });

  it.each([
    '1.123456789',
    '-1',
    '1e-8',
    '1E3',
    '1,5',
    '',
    '.',
    ' 1',
    '0x10',
    '21000000.00000001',
    'abc',
    '0',
  ])('rejects %j', (a) => {
    expect(reason(() => parseBtcAmount(a))).toBe('BAD_AMOUNT');
  });

  it('formats back to the shortest exact decimal', () => {
    expect(formatBtcAmount(2_030_000_000)).toBe('20.3');
    expect(formatBtcAmount(1)).toBe('0.00000001');
    expect(formatBtcAmount(5_000_000_000)).toBe('50');
  });
});

describe('BIP21 / BIP321 URIs', () => {
  it('parses the BIP21 examples', () => {
    const u = parseBitcoinUri(
      `bitcoin:${MAIN}?amount=50&label=Luke-Jr&message=Donation%20for%20project%20xyz`,
      'mainnet',
    );
    expect(u.address?.address).toBe(MAIN);
    expect(u.amountSats).toBe(5_000_000_000);
    expect(u.label).toBe('Luke-Jr');
    expect(u.message).toBe('Donation for project xyz');
    const v = parseBitcoinUri(`bitcoin:${MAIN}?amount=20.3&label=Luke-Jr`, 'mainnet');
    expect(v.amountSats).toBe(2_030_000_000);
    expect(parseBitcoinUri(`bitcoin:${MAIN}`, 'mainnet').amountSats).toBeNull();
  });

  it('rejects unknown req- params and keeps unknown optional ones', () => {
    expect(
      reason(() => parseBitcoinUri(`bitcoin:${MAIN}?req-somethingyoudontunderstand=50`, 'mainnet')),
    ).toBe('UNKNOWN_REQUIRED_PARAM');
    const u = parseBitcoinUri(
      `bitcoin:${MAIN}?somethingyoudontunderstand=50&somethingelseyoudontget=999`,
      'mainnet',
    );
    expect(u.unknownParams).toEqual({ somethingyoudontunderstand: '50', somethingelseyoudontget: '999' });
  });

  it('is case-insensitive in scheme and keys, accepts uppercase bech32 (QR codes)', () => {
    const u = parseBitcoinUri(`BITCOIN:${SEGWIT.toUpperCase()}?AMOUNT=0.001`, 'mainnet');
    expect(u.address?.address).toBe(SEGWIT);
    expect(u.amountSats).toBe(100_000);
  });

  it('supports lightning= and BIP321 address params, with or without a body address', () => {
    const u = parseBitcoinUri(`bitcoin:${SEGWIT}?lightning=lnbc1xyz&amount=0.0001`, 'mainnet');
    expect(u.lightning).toBe('lnbc1xyz');
    const only = parseBitcoinUri('bitcoin:?lightning=lnbc1xyz', 'mainnet');
    expect(only.address).toBeNull();
    expect(only.lightning).toBe('lnbc1xyz');
    const bc = parseBitcoinUri(`bitcoin:?bc=${SEGWIT}&lno=lno1abc`, 'mainnet');
    expect(bc.extraAddresses[0]?.type).toBe('p2wpkh');
    expect(bc.otherInstructions).toEqual([{ key: 'lno', value: 'lno1abc' }]);
  });

  it('gives precise errors', () => {
    expect(reason(() => parseBitcoinUri(`bitcoin:${BIP21_EXAMPLE}?amount=50`, 'mainnet'))).toBe(
      'BAD_CHECKSUM',
    );
    expect(reason(() => parseBitcoinUri(`bitcoin:${SEGWIT}`, 'regtest'))).toBe('WRONG_NETWORK');
    expect(reason(() => parseBitcoinUri(`bitcoin:${SEGWIT}?amount=1&amount=2`, 'mainnet'))).toBe(
      'DUPLICATE_PARAM',
    );
    expect(reason(() => parseBitcoinUri(`bitcoin:${SEGWIT}?amount=1e-8`, 'mainnet'))).toBe('BAD_AMOUNT');
    expect(reason(() => parseBitcoinUri(`bitcoin:${SEGWIT}?label=%E0%A4%A`, 'mainnet'))).toBe('BAD_ENCODING');
    expect(reason(() => parseBitcoinUri('bitcoin:', 'mainnet'))).toBe('NO_PAYMENT_INSTRUCTION');
    expect(reason(() => parseBitcoinUri(SEGWIT, 'mainnet'))).toBe('NOT_A_BITCOIN_URI');
  });

  it('round-trips through buildBitcoinUri', () => {
    const uri = buildBitcoinUri({
      address: SEGWIT,
      amountSats: 2_030_000_000,
      label: 'Café & co',
      message: 'a=b?',
    });
    const u = parseBitcoinUri(uri, 'mainnet');
    expect(u.amountSats).toBe(2_030_000_000);
    expect(u.label).toBe('Café & co');
    expect(u.message).toBe('a=b?');
  });
});
