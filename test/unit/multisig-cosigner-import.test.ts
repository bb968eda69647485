import { UR, UREncoder } from '@ngraveio/bc-ur';
import { describe, expect, it } from 'vitest';
import { readCosigner } from '../../main/bitcoin/multisig/cosigner-import';
import { AIRGAP_WORDS, cosignerOf, rootOf } from '../fixtures/multisig/keys';

/** A minimal CBOR writer for the test's own UR payloads (the reader under test is separate). */
type V = number | boolean | Uint8Array | V[] | Map<number, V> | { tag: number; value: V };
function cbor(v: V): number[] {
  const head = (major: number, n: number): number[] =>
    n < 24
      ? [(major << 5) | n]
      : n < 0x100
        ? [(major << 5) | 24, n]
        : n < 0x10000
          ? [(major << 5) | 25, n >> 8, n & 0xff]
          : [(major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  if (typeof v === 'number') return head(0, v);
  if (typeof v === 'boolean') return [v ? 0xf5 : 0xf4];
  if (v instanceof Uint8Array) return [...head(2, v.length), ...v];
  if (Array.isArray(v)) return [...head(4, v.length), ...v.flatMap(cbor)];
  if (v instanceof Map)
    return [...head(5, v.size), ...[...v].flatMap(([k, x]) => [...head(0, k), ...cbor(x)])];
  return [...head(6, v.tag), ...cbor(v.value)];
}

/** crypto-hdkey (BCR-2020-007) of the air-gapped seed's BIP48 key for `script`. */
function hdkey(script: 'wsh' | 'sh-wsh', opts: { withSource: boolean }): V {
  const root = rootOf(AIRGAP_WORDS);
  const step = script === 'wsh' ? 2 : 1;
  const node = root.derive(`m/48'/1'/0'/${step}'`);
  const keypath = new Map<number, V>([[1, [48, true, 1, true, 0, true, step, true]]]);
  if (opts.withSource) keypath.set(2, root.fingerprint >>> 0);
  return {
    tag: 303,
    value: new Map<number, V>([
      [3, node.publicKey!],
      [4, node.chainCode!],
      [5, { tag: 305, value: new Map<number, V>([[2, 1]]) }],
      [6, { tag: 304, value: keypath }],
      [8, node.parentFingerprint],
    ]),
  };
}

const urOf = (type: string, v: V) => UREncoder.encodeSinglePart(new UR(Buffer.from(cbor(v)), type));

describe('cosigner keys from air-gapped signers', () => {
  it('a scanned ur:crypto-hdkey gives the BIP48 key with its origin', () => {
    const want = cosignerOf(AIRGAP_WORDS, 'wsh');
    const v = hdkey('wsh', { withSource: true }) as { value: V };
    expect(readCosigner(urOf('crypto-hdkey', v.value), 'wsh', 'regtest')).toEqual(want);
  });

  it('a ur:crypto-account picks the entry for the script: wsh, or sh(wsh), skipping single-key ones', () => {
    const root = rootOf(AIRGAP_WORDS);
    const single = {
      tag: 404,
      value: {
        tag: 303,
        value: new Map<number, V>([
          [3, new Uint8Array(33).fill(2)],
          [4, new Uint8Array(32)],
          [6, { tag: 304, value: new Map<number, V>([[1, [84, true, 1, true, 0, true]]]) }],
        ]),
      },
    };
    const account = {
      tag: 311,
      value: new Map<number, V>([
        [1, root.fingerprint >>> 0],
        [
          2,
          [
            single,
            { tag: 400, value: { tag: 401, value: hdkey('sh-wsh', { withSource: false }) } },
            { tag: 401, value: hdkey('wsh', { withSource: false }) },
          ],
        ],
      ]),
    };
    const text = urOf('crypto-account', account.value);
    expect(readCosigner(text, 'wsh', 'regtest')).toEqual(cosignerOf(AIRGAP_WORDS, 'wsh'));
    expect(readCosigner(text, 'sh-wsh', 'regtest')).toEqual(cosignerOf(AIRGAP_WORDS, 'sh-wsh'));
    expect(() => readCosigner(text, 'tr', 'regtest')).toThrow(
      expect.objectContaining({ code: 'MULTISIG_FORMAT_UNKNOWN' }),
    );
  });

  it('a Coldcard/Passport multisig export file and [fingerprint/path]xpub text give the same key', () => {
    const k = cosignerOf(AIRGAP_WORDS, 'wsh');
    const json = JSON.stringify({
      xfp: k.fingerprint.toUpperCase(),
      p2wsh: k.xpub,
      p2wsh_deriv: "m/48'/1'/0'/2'",
    });
    expect(readCosigner(json, 'wsh', 'regtest')).toEqual(k);
    expect(readCosigner(`[${k.fingerprint}/48h/1h/0h/2h]${k.xpub}`, 'wsh', 'regtest')).toEqual(k);
  });

  it('refuses a private key, a key without origin, another UR type and broken text', () => {
    const v = hdkey('wsh', { withSource: true }) as { value: Map<number, V> };
    const priv = new Map(v.value);
    priv.set(2, true);
    expect(() => readCosigner(urOf('crypto-hdkey', priv), 'wsh', 'regtest')).toThrow(
      expect.objectContaining({ code: 'XPUB_IS_PRIVATE' }),
    );
    const noOrigin = new Map(v.value);
    noOrigin.delete(6);
    expect(() => readCosigner(urOf('crypto-hdkey', noOrigin), 'wsh', 'regtest')).toThrow(
      expect.objectContaining({ code: 'MULTISIG_FORMAT_UNKNOWN' }),
    );
    expect(() => readCosigner(urOf('crypto-psbt', new Uint8Array(4)), 'wsh', 'regtest')).toThrow(
      /crypto-psbt/,
    );
    expect(() => readCosigner('ur:crypto-hdkey/zzzz', 'wsh', 'regtest')).toThrow(
      expect.objectContaining({ code: 'MULTISIG_FORMAT_UNKNOWN' }),
    );
    expect(() => readCosigner('not a key', 'wsh', 'regtest')).toThrow(
      expect.objectContaining({ code: 'MULTISIG_FORMAT_UNKNOWN' }),
    );
  });
});
