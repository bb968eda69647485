import { cbc } from '@noble/ciphers/aes.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { HDKey } from '@scure/bip32';
import { describe, expect, it } from 'vitest';
import { FlashError } from '../../shared/errors';
import { deriveLinkingKey, linkingPathSuffix, signChallenge } from '../../main/lightning/lnurl/auth';
import { decryptAesAction, payParamsFrom, withParams } from '../../main/lightning/lnurl/pay';
import { parseMetadata } from '../../main/lightning/lnurl/responses';
import { withdrawParamsFrom } from '../../main/lightning/lnurl/withdraw';

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof FlashError ? err.code : 'UNTYPED';
  }
}

describe('LNURL', () => {
  it('LUD-05: the test vector path suffix for site.com', () => {
    const hashingKey = Buffer.from('7d417a6a5e9a6a4a879aeaba11a11838764c8fa2b959c242d43dea682b3e409b', 'hex');
    expect(linkingPathSuffix(hashingKey, 'site.com')).toEqual([1588488367, 2659270754, 38110259, 4136336762]);
  });

  it('LUD-05: a linking key per domain, stable for the same root', () => {
    const root = HDKey.fromMasterSeed(new Uint8Array(32).fill(7));
    const a = deriveLinkingKey(root, 'site.com');
    const b = deriveLinkingKey(root, 'site.com');
    const c = deriveLinkingKey(root, 'other.com');
    expect(Buffer.from(a.publicKey).toString('hex')).toBe(Buffer.from(b.publicKey).toString('hex'));
    expect(Buffer.from(a.publicKey).toString('hex')).not.toBe(Buffer.from(c.publicKey).toString('hex'));
  });

  it('LUD-04: the spec signature example verifies, and ours verifies the same way', () => {
    const k1 = 'e2af6254a8df433264fa23f67eb8188635d15ce883e8fc020989d5f82ae6f11e';
    const key = '02c3b844b8104f0c1b15c507774c9ba7fc609f58f343b9b149122e944dd20c9362';
    const sig =
      '304402203767faf494f110b139293d9bab3c50e07b3bf33c463d4aa767256cd09132dc5102205821f8efacdb5c595b92ada255876d9201e126e2f31a140d44561cc1f7e9e43d';
    const verify = (s: string, k: string) =>
      secp256k1.verify(Buffer.from(s, 'hex'), Buffer.from(k1, 'hex'), Buffer.from(k, 'hex'), {
        prehash: false,
        format: 'der',
      });
    expect(verify(sig, key)).toBe(true);
    const priv = secp256k1.utils.randomSecretKey();
    const ours = signChallenge(k1, priv);
    expect(verify(ours, Buffer.from(secp256k1.getPublicKey(priv)).toString('hex'))).toBe(true);
  });

  it('LUD-06: metadata needs exactly one text/plain entry; images and identifiers are read', () => {
    const m = parseMetadata(
      JSON.stringify([
        ['text/plain', 'lorem ipsum'],
        ['text/long-desc', 'longer'],
        ['image/png;base64', 'iVBORw0KGgo='],
        ['text/identifier', 'satoshi@bitcoin.org'],
        ['future/type', { any: 'thing' }],
      ]),
      'x.com',
    );
    expect(m).toEqual({
      description: 'lorem ipsum',
      longDescription: 'longer',
      image: 'data:image/png;base64,iVBORw0KGgo=',
      identifier: 'satoshi@bitcoin.org',
    });
    expect(code(() => parseMetadata('[["text/plain","a"],["text/plain","b"]]', 'x.com'))).toBe(
      'LNURL_BAD_RESPONSE',
    );
    expect(code(() => parseMetadata('{"a":1}', 'x.com'))).toBe('LNURL_BAD_RESPONSE');
    expect(code(() => parseMetadata('not json', 'x.com'))).toBe('LNURL_BAD_RESPONSE');
  });

  it('LUD-06: payRequest answers are checked, and a service ERROR keeps its reason', () => {
    const good = {
      tag: 'payRequest',
      callback: 'https://x.com/cb?id=1',
      minSendable: 1000,
      maxSendable: 2000,
      metadata: '[["text/plain","hi"]]',
      commentAllowed: 10,
    };
    expect(payParamsFrom(good, 'https://x.com/lnurlp', null)).toMatchObject({
      minSendableMsat: 1000n,
      commentAllowed: 10,
    });
    expect(code(() => payParamsFrom({ ...good, minSendable: 3000 }, 'https://x.com/p', null))).toBe(
      'LNURL_BAD_RESPONSE',
    );
    expect(code(() => payParamsFrom({ ...good, minSendable: 1.5 }, 'https://x.com/p', null))).toBe(
      'LNURL_BAD_RESPONSE',
    );
    expect(code(() => payParamsFrom({ status: 'ERROR', reason: 'nope' }, 'https://x.com/p', null))).toBe(
      'LNURL_SERVICE_ERROR',
    );
    // LUD-06 step 4: `&` when the callback already has a query string.
    expect(withParams('https://x.com/cb?id=1', { amount: '1000' })).toBe('https://x.com/cb?id=1&amount=1000');
  });

  it('LUD-03: withdrawRequest answers are checked', () => {
    const w = withdrawParamsFrom(
      {
        tag: 'withdrawRequest',
        callback: 'https://x.com/w',
        k1: 'abc',
        defaultDescription: 'Faucet',
        minWithdrawable: 0,
        maxWithdrawable: 5000,
      },
      'https://x.com/lnurlw',
    );
    expect(w).toMatchObject({ k1: 'abc', maxWithdrawableMsat: 5000n, domain: 'x.com' });
    expect(
      code(() =>
        withdrawParamsFrom(
          {
            tag: 'withdrawRequest',
            callback: 'https://x.com/w',
            k1: 'a',
            minWithdrawable: 10,
            maxWithdrawable: 5,
          },
          'https://x.com/w',
        ),
      ),
    ).toBe('LNURL_BAD_RESPONSE');
  });

  it('LUD-10: AES-256-CBC with the preimage as key; garbage decrypts to null, never a crash', () => {
    const preimage = '11'.repeat(32);
    const iv = new Uint8Array(16).fill(3);
    const ciphertext = cbc(Buffer.from(preimage, 'hex'), iv).encrypt(new TextEncoder().encode('Secret data'));
    const action = {
      ciphertext: Buffer.from(ciphertext).toString('base64'),
      iv: Buffer.from(iv).toString('base64'),
    };
    expect(decryptAesAction(action, preimage)).toBe('Secret data');
    expect(decryptAesAction(action, '22'.repeat(32))).toBeNull();
    expect(decryptAesAction({ ...action, ciphertext: 'AAAA' }, preimage)).toBeNull();
    expect(decryptAesAction({ ...action, iv: 'short' }, preimage)).toBeNull();
  });
});
