import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CashuStack } from '../stack/cashu';
import { startCashuStack } from '../stack/cashu';
import { LightningLedger } from '../stack/lightning/ledger';
import { ecashWallet, until } from '../support/ecash';

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
const beta = () => stack.mints[1]!.url;

describe('eCash wallet against the stand-in mints', () => {
  it('adds a mint, mints from a paid invoice, sends a token another wallet claims, melts with change', async () => {
    const a = await ecashWallet(ledger);
    const b = await ecashWallet(ledger, {
      words: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    });
    try {
      const preview = await a.ecash.previewMint(alpha());
      expect(preview.name).toBe('Mint alpha');
      expect(preview.units).toEqual(['sat', 'usd']);
      expect(preview.keysets.filter((k) => k.unit === 'sat')).toHaveLength(2);
      expect(preview.fees).toContainEqual({ unit: 'sat', inputFeePpk: 100 });
      await a.ecash.addMint(alpha());
      await b.ecash.addMint(alpha());

      const quote = await a.ecash.mintQuote({ mintUrl: alpha(), unit: 'sat', amount: 1000 });
      expect(quote.state).toBe('unpaid');
      expect(quote.request).toMatch(/^lnbcrt10u1/);
      const minted = await a.ecash.payMintQuote(quote.id);
      expect(minted.state).toBe('done');
      expect(a.ecash.balances()).toEqual([
        { mintUrl: alpha(), unit: 'sat', spendable: 1000, pending: 0, incoming: 0 },
      ]);

      const sent = await a.ecash.send({ mintUrl: alpha(), unit: 'sat', amount: 300 });
      expect(sent.token).toMatch(/^cashuB/);
      expect(sent.operation.state).toBe('pending');
      const view = b.ecash.decodeToken(sent.token);
      expect(view).toMatchObject({ amount: 300, unit: 'sat', dleq: 'valid', lock: 'none', knownMint: true });
      const got = await b.ecash.receive(sent.token);
      expect(got.state).toBe('claimed');
      expect(b.ecash.balances()[0]?.spendable).toBe(300 - got.fee);
      await a.ecash.recover();
      expect((await a.ecash.getOperation(sent.operation.id)).state).toBe('claimed');
      const aBal = a.ecash.balances()[0]!;
      expect(aBal.pending).toBe(0);

      const invoice = ledger.createInvoice('stack', { amountMsat: 200_000n }).bolt11;
      const melt = await a.ecash.prepareMelt({ text: invoice, unit: 'sat' });
      expect(melt.amount).toBe(200);
      expect(melt.feeReserve).toBeGreaterThan(0);
      const [paid] = await a.ecash.confirmMelt(melt.prepareId);
      expect(paid?.state).toBe('paid');
      const after = a.ecash.balances()[0]!;
      expect(after.spendable).toBe(aBal.spendable - 200 - paid!.fee);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('moves funds from one mint to the other as one operation', async () => {
    const a = await ecashWallet(ledger);
    try {
      await a.ecash.addMint(alpha());
      await a.ecash.addMint(beta());
      const q = await a.ecash.mintQuote({ mintUrl: alpha(), unit: 'sat', amount: 2000 });
      await a.ecash.payMintQuote(q.id);
      const preview = await a.ecash.prepareMove({ from: alpha(), to: beta(), unit: 'sat', amount: 500 });
      const [move] = await a.ecash.confirmMelt(preview.prepareId);
      const done = await until(async () => {
        await a.ecash.recover();
        const op = a.ecash.getOperation(move!.id);
        return op.state === 'done' ? op : null;
      });
      expect(done.kind).toBe('move');
      const bal = Object.fromEntries(a.ecash.balances().map((x) => [x.mintUrl, x.spendable]));
      expect(bal[beta()]).toBe(500);
      expect(bal[alpha()]).toBe(2000 - 500 - done.fee);
    } finally {
      await a.close();
    }
  });
});
