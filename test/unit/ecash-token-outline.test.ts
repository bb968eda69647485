import { Amount, getDecodedToken, getEncodedToken } from '@cashu/cashu-ts';
import { describe, expect, it } from 'vitest';
import { tokenOutline } from '../../main/ecash/tokens';
import { FlashError } from '../../shared/errors';

// A v2 keyset id (NUT-02: version byte 01 + 32 bytes): a cashuB token carries only its short form.
const KEYSET = `01${'ab'.repeat(32)}`;
const C = `02${'11'.repeat(32)}`;
const P2PK_KEY = `02${'22'.repeat(32)}`;

function token(proofs: { amount: number; secret: string }[], memo?: string): string {
  return getEncodedToken({
    mint: 'http://127.0.0.1:3338',
    unit: 'sat',
    ...(memo ? { memo } : {}),
    proofs: proofs.map((p) => ({ id: KEYSET, amount: Amount.from(p.amount), secret: p.secret, C })),
  });
}

describe('a token from a mint not added yet', () => {
  it('cannot be decoded without the mint keysets, but its outline says what and where', () => {
    const text = token(
      [
        { amount: 8, secret: 'a'.repeat(64) },
        { amount: 2, secret: 'b'.repeat(64) },
      ],
      'Lunch',
    );
    expect(() => getDecodedToken(text, [])).toThrow();
    expect(tokenOutline(`cashu:${text}`)).toEqual({
      mint: 'http://127.0.0.1:3338',
      unit: 'sat',
      amount: 10,
      memo: 'Lunch',
      proofs: 2,
      lockedTo: [],
    });
  });

  it('names the keys a P2PK proof is locked to (NUT-11)', () => {
    const secret = JSON.stringify(['P2PK', { nonce: 'cd'.repeat(16), data: P2PK_KEY, tags: [] }]);
    expect(tokenOutline(token([{ amount: 4, secret }])).lockedTo).toEqual([P2PK_KEY]);
  });

  it('refuses text that is no token with the typed error', () => {
    expect(() => tokenOutline('cashuBnotatoken')).toThrow(FlashError);
  });
});
