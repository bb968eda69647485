import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CashuStack, StandInMint } from '../stack/cashu';
import { startCashuStack } from '../stack/cashu';
import { LightningLedger } from '../stack/lightning/ledger';
import { ecashWallet, until } from '../support/ecash';

/**
 * NUT-15 multi-path melts against the stack: both stand-in mints advertise NUT-15, each pays its
 * part of one invoice, and the ledger's payee holds the parts until they sum to the invoice
 * (BOLT #4 basic_mpp). Neither mint alone holds enough, so the wallet has to split.
 */
let ledger: LightningLedger;
let stack: CashuStack;
let alpha: StandInMint;
let beta: StandInMint;

beforeAll(async () => {
  ledger = new LightningLedger({ stuckMs: 1500, mppTimeoutMs: 2500 });
  ledger.createNode('stack', { balanceMsat: 100_000_000_000n });
  stack = await startCashuStack(ledger, { mint: { meltWaitMs: 400 } });
  [alpha, beta] = stack.mints as [StandInMint, StandInMint];
});
afterAll(async () => {
  await stack.stop();
  ledger.close();
});

const WORDS = [
  'legal winner thank year wave sausage worth useful legal winner thank yellow',
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
  'void come effort suffer camp survey warrior heavy shoot primary clutch crush',
];

/** A wallet holding `sats` at each of the two mints. */
async function fundedAtBoth(n: number, sats = 3000) {
  const w = await ecashWallet(ledger, { words: WORDS[n] as string });
  for (const m of [alpha, beta]) {
    await w.ecash.addMint(m.url);
    const q = await w.ecash.mintQuote({ mintUrl: m.url, unit: 'sat', amount: sats });
    await w.ecash.payMintQuote(q.id);
  }
  return w;
}
type Wallet = Awaited<ReturnType<typeof fundedAtBoth>>;
const held = (w: Wallet, m: StandInMint) => {
  const b = w.ecash.balances().find((x) => x.mintUrl === m.url && x.unit === 'sat');
  return { spendable: b?.spendable ?? 0, pending: b?.pending ?? 0 };
};
const settlements = (paymentHash: string) =>
  ledger
    .listPayments('cashu-alpha')
    .concat(ledger.listPayments('cashu-beta'))
    .filter((p) => p.paymentHash === paymentHash);

describe('eCash melt split across mints with NUT-15', () => {
  it('both stand-in mints advertise NUT-15 for bolt11/sat', async () => {
    for (const m of [alpha, beta]) {
      const info = (await (await fetch(`${m.url}/v1/info`)).json()) as {
        nuts: Record<string, { methods?: { method: string; unit: string }[] }>;
      };
      expect(info.nuts['15']?.methods).toContainEqual({ method: 'bolt11', unit: 'sat' });
    }
  });

  it('pays a 5,000-sat invoice from 3,000 at alpha and 3,000 at beta: one settlement, change back', async () => {
    const w = await fundedAtBoth(0);
    try {
      const invoice = ledger.createInvoice('stack', { amountMsat: 5_000_000n });
      const stackBefore = ledger.balance('stack').balanceMsat;
      const settledEvents: string[] = [];
      const stop = ledger.subscribe('stack', (e) => {
        if (e.type === 'invoice-settled') settledEvents.push(e.invoice.paymentHash);
      });

      const preview = await w.ecash.prepareMelt({ text: invoice.bolt11, unit: 'sat' });
      expect(preview.parts).toHaveLength(2);
      expect(preview.parts.map((p) => p.mintUrl).sort()).toEqual([alpha.url, beta.url].sort());
      expect(preview.parts.reduce((s, p) => s + p.amount, 0)).toBe(5000);

      const ops = await w.ecash.confirmMelt(preview.prepareId);
      expect(ops).toHaveLength(2);
      const done = await until(async () => {
        await w.ecash.recover();
        const now = ops.map((o) => w.ecash.getOperation(o.id));
        return now.every((o) => o.final) ? now : null;
      });
      stop();
      expect(done.map((o) => o.state)).toEqual(['paid', 'paid']);

      // The invoice settled once, for its full amount, from the two mints' nodes together.
      const settled = ledger.lookupInvoice('stack', invoice.paymentHash)!;
      expect(settled.state).toBe('settled');
      expect(settled.amountPaidMsat).toBe(5_000_000n);
      expect(settledEvents).toEqual([invoice.paymentHash]);
      expect(ledger.balance('stack').balanceMsat - stackBefore).toBe(5_000_000n);
      const parts = settlements(invoice.paymentHash);
      expect(parts.map((p) => p.state)).toEqual(['succeeded', 'succeeded']);
      expect(parts.reduce((s, p) => s + p.amountMsat, 0n)).toBe(5_000_000n);

      // Each mint paid its part; the unused fee reserve came back as NUT-08 change.
      for (const [m, op] of [alpha, beta].map((m) => [m, done.find((o) => o.mintUrl === m.url)!] as const)) {
        const part = preview.parts.find((p) => p.mintUrl === m.url)!;
        expect(op.amount).toBe(part.amount);
        expect(op.fee).toBeLessThan(part.feeReserve + part.inputFee);
        expect(held(w, m)).toEqual({ spendable: 3000 - op.amount - op.fee, pending: 0 });
        expect(held(w, m).spendable).toBeGreaterThan(0);
      }
      // Both legs are in the journal, as melts of the same invoice.
      const journal = w.ecash.listOperations(50, 0).items.filter((o) => o.kind === 'melt');
      expect(journal.map((o) => o.id).sort()).toEqual(ops.map((o) => o.id).sort());
      expect(new Set(journal.map((o) => o.request))).toEqual(new Set([invoice.bolt11]));
    } finally {
      await w.close();
    }
  });

  it('when one part fails, the other is never settled and every proof comes back', async () => {
    const w = await fundedAtBoth(1);
    try {
      const invoice = ledger.createInvoice('stack', { amountMsat: 5_000_000n });
      const stackBefore = ledger.balance('stack').balanceMsat;
      const preview = await w.ecash.prepareMelt({ text: invoice.bolt11, unit: 'sat' });
      expect(preview.parts).toHaveLength(2);
      // Beta's Lightning payment stays in flight, then fails: its part never reaches the payee,
      // so alpha's part is held there until the MPP timeout fails it.
      beta.setFault('melt-pending-then-fail');
      const ops = await w.ecash.confirmMelt(preview.prepareId);
      expect(ops).toHaveLength(2);

      const done = await until(async () => {
        await w.ecash.recover();
        const now = ops.map((o) => w.ecash.getOperation(o.id));
        return now.every((o) => o.final) ? now : null;
      });
      expect(done.map((o) => o.state)).toEqual(['failed', 'failed']);
      expect(ledger.lookupInvoice('stack', invoice.paymentHash)?.state).toBe('open');
      expect(ledger.balance('stack').balanceMsat).toBe(stackBefore);
      // Alpha's node has no fault: its part failing with a timeout means the payee held it, short
      // of the invoice amount, until the MPP timeout.
      expect(settlements(invoice.paymentHash).map((p) => [p.from, p.state, p.failure])).toEqual([
        ['cashu-alpha', 'failed', 'timeout'],
        ['cashu-beta', 'failed', 'timeout'],
      ]);
      expect(ledger.heldPartsMsat('stack', invoice.paymentHash)).toBe(0n);
      expect(held(w, alpha)).toEqual({ spendable: 3000, pending: 0 });
      expect(held(w, beta)).toEqual({ spendable: 3000, pending: 0 });
    } finally {
      beta.setFault('none');
      await w.close();
    }
  });

  it('beta down in the middle of its part: its proofs stay pending until it answers, then the melt is paid once', async () => {
    const w = await fundedAtBoth(2);
    try {
      const invoice = ledger.createInvoice('stack', { amountMsat: 5_000_000n });
      const preview = await w.ecash.prepareMelt({ text: invoice.bolt11, unit: 'sat' });
      beta.setFault('down-mid-melt');
      const ops = await w.ecash.confirmMelt(preview.prepareId);
      const betaOp = ops.find((o) => o.mintUrl === beta.url)!;
      // Beta took the inputs and paid on, but the wallet never heard back: nothing is spendable
      // there until beta answers.
      expect(['melting', 'paid']).toContain(betaOp.state);
      if (betaOp.state === 'melting') expect(held(w, beta).pending).toBeGreaterThan(0);
      await until(() => ledger.lookupInvoice('stack', invoice.paymentHash)?.state === 'settled');
      beta.setFault('none');
      const done = await until(async () => {
        await w.ecash.recover();
        const now = ops.map((o) => w.ecash.getOperation(o.id));
        return now.every((o) => o.final) ? now : null;
      });
      expect(done.map((o) => o.state)).toEqual(['paid', 'paid']);
      expect(ledger.lookupInvoice('stack', invoice.paymentHash)?.amountPaidMsat).toBe(5_000_000n);
      for (const m of [alpha, beta]) {
        const op = done.find((o) => o.mintUrl === m.url)!;
        expect(held(w, m)).toEqual({ spendable: 3000 - op.amount - op.fee, pending: 0 });
      }
    } finally {
      beta.setFault('none');
      await w.close();
    }
  });

  it('a mint without NUT-15 is not split across, and refuses a partial quote', async () => {
    const solo = await startCashuStack(ledger, { perMint: { beta: { mpp: false } } });
    const [a, b] = solo.mints as [StandInMint, StandInMint];
    const w = await ecashWallet(ledger, { words: WORDS[3] as string });
    try {
      const info = (await (await fetch(`${b.url}/v1/info`)).json()) as { nuts: Record<string, unknown> };
      expect(info.nuts['15']).toBeUndefined();
      const invoice = ledger.createInvoice('stack', { amountMsat: 5_000_000n });
      const partial = await fetch(`${b.url}/v1/melt/quote/bolt11`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          request: invoice.bolt11,
          unit: 'sat',
          options: { mpp: { amount: 2_000_000 } },
        }),
      });
      expect(partial.status).toBe(400);
      for (const m of [a, b]) {
        await w.ecash.addMint(m.url);
        const q = await w.ecash.mintQuote({ mintUrl: m.url, unit: 'sat', amount: 3000 });
        await w.ecash.payMintQuote(q.id);
      }
      await expect(w.ecash.prepareMelt({ text: invoice.bolt11, unit: 'sat' })).rejects.toMatchObject({
        code: 'ECASH_INSUFFICIENT_BALANCE',
      });
      expect(ledger.lookupInvoice('stack', invoice.paymentHash)?.state).toBe('open');
    } finally {
      await w.close();
      await solo.stop();
    }
  });
});
