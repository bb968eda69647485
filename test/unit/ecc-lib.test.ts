import { initEccLib, payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { ecc } from '../../main/bitcoin/ecc-lib';

describe('the EC library given to bitcoinjs-lib', () => {
  it('is registered once the module is imported: Taproot payments work', () => {
    const internal = Buffer.from('cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115', 'hex');
    const { address } = payments.p2tr({ internalPubkey: internal });
    // BIP-86's first receive address of the test mnemonic ("abandon ... about").
    expect(address).toBe('bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr');
  });

  it('passes bitcoinjs-lib’s own self-test (which the app skips at start-up)', () => {
    // Clearing first makes initEccLib treat it as new, so it runs its verification.
    initEccLib(undefined);
    expect(() => initEccLib(ecc)).not.toThrow();
  });
});
