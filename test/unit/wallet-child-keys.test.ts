import { HDKey } from '@scure/bip32';
import { describe, expect, it } from 'vitest';
import { curveBackend, publicChildDeriver } from '../../main/bitcoin/accounts/child-keys';
import { createAccountAddressDeriver } from '../../main/bitcoin/accounts/addresses';
import { deriveAccount } from '../../main/bitcoin/wallet/derivation';

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('public child keys (BIP32 CKDpub)', () => {
  const account = HDKey.fromExtendedKey(deriveAccount(WORDS, '', 'regtest').xpub, {
    public: 0x043587cf,
    private: 0x04358394,
  });
  const receive = account.deriveChild(0);

  it('loads libsecp256k1 (native) here', () => {
    expect(curveBackend()).toBe('native');
  });

  it.each(['native', 'wasm', 'js'] as const)(
    'derives the same keys as @scure/bip32 with the %s curve',
    (backend) => {
      const child = publicChildDeriver(
        receive.publicKey as Uint8Array,
        receive.chainCode as Uint8Array,
        backend,
      );
      for (const index of [0, 1, 2, 19, 20, 999, 1000, 0x7fffffff]) {
        expect(Buffer.from(child(index)).toString('hex')).toBe(
          Buffer.from(receive.deriveChild(index).publicKey as Uint8Array).toString('hex'),
        );
      }
    },
  );

  it('refuses a hardened or negative index', () => {
    const child = publicChildDeriver(receive.publicKey as Uint8Array, receive.chainCode as Uint8Array);
    expect(() => child(0x80000000)).toThrow(RangeError);
    expect(() => child(-1)).toThrow(RangeError);
  });

  it('gives the BIP84 test vector addresses (first receive and change)', () => {
    const mainnet = deriveAccount(WORDS, '', 'mainnet');
    const d = createAccountAddressDeriver(mainnet.xpub, 'wpkh', 'mainnet');
    expect(d.derive(0, 0).address).toBe('bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu');
    expect(d.derive(0, 1).address).toBe('bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g');
    expect(d.derive(1, 0).address).toBe('bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el');
  });
});
