import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../main/store/database';
import { FlashError } from '../../shared/errors';
import type { CashuStack } from '../stack/cashu';
import { startCashuStack } from '../stack/cashu';
import { LightningLedger } from '../stack/lightning/ledger';
import { ecashWallet } from '../support/ecash';

let ledger: LightningLedger;
let stack: CashuStack;

beforeAll(async () => {
  ledger = new LightningLedger();
  ledger.createNode('stack', { balanceMsat: 100_000_000_000n });
  stack = await startCashuStack(ledger);
});
afterAll(async () => {
  await stack.stop();
  ledger.close();
});

const alpha = () => stack.mints[0]!.url;

/** Amounts of the unspent proofs held at a mint, from the wallet's own store. */
function heldAmounts(db: Db, mintUrl: string): number[] {
  return (
    db
      .prepare(`SELECT amount FROM ecash_proofs WHERE mint_url = ? AND state = 'unspent' ORDER BY amount`)
      .all(mintUrl) as { amount: number }[]
  ).map((r) => r.amount);
}

describe('pre-split denominations', () => {
  it('mints a few proofs of each small amount, so small exact sends need no swap and stay small', async () => {
    const w = await ecashWallet(ledger);
    try {
      await w.ecash.addMint(alpha());
      const q = await w.ecash.mintQuote({ mintUrl: alpha(), unit: 'sat', amount: 1000 });
      await w.ecash.payMintQuote(q.id);
      const held = heldAmounts(w.db, alpha());
      expect(held.reduce((s, a) => s + a, 0)).toBe(1000);
      // At least three of each power of two up to 128 (765 sats), then the rest split as usual.
      for (const d of [1, 2, 4, 8, 16, 32, 64, 128])
        expect(held.filter((a) => a === d).length).toBeGreaterThanOrEqual(3);

      // Offline only: refused unless held proofs add up exactly; every one of these does.
      for (const amount of [7, 3, 21, 100, 5]) {
        const sent = await w.ecash.send({ mintUrl: alpha(), unit: 'sat', amount, offlineOnly: true });
        expect(sent.operation.state).toBe('pending');
        expect(sent.operation.fee).toBe(0);
      }
      // A swap (here: claiming a token back) keeps topping the small amounts up.
      const big = await w.ecash.send({ mintUrl: alpha(), unit: 'sat', amount: 300 });
      const other = await ecashWallet(ledger, {
        words:
          'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
      });
      try {
        await other.ecash.addMint(alpha());
        const got = await other.ecash.receive(big.token);
        expect(got.state).toBe('claimed');
        const theirs = heldAmounts(other.db, alpha());
        for (const d of [1, 2, 4, 8, 16])
          expect(theirs.filter((a) => a === d).length).toBeGreaterThanOrEqual(2);
        const small = await other.ecash.send({
          mintUrl: alpha(),
          unit: 'sat',
          amount: 13,
          offlineOnly: true,
        });
        expect(small.operation.state).toBe('pending');
      } finally {
        await other.close();
      }
      // Without a matching set, offline-only says so instead of swapping.
      const rest = w.ecash.balances()[0]!.spendable;
      await expect(
        w.ecash.send({ mintUrl: alpha(), unit: 'sat', amount: rest + 1, offlineOnly: true }),
      ).rejects.toBeInstanceOf(FlashError);
    } finally {
      await w.close();
    }
  });
});
