import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CashuStack, StandInMint } from '../stack/cashu';
import { startCashuStack } from '../stack/cashu';
import { LightningLedger } from '../stack/lightning/ledger';
import { ecashWallet, until } from '../support/ecash';

/**
 * Every fault mode of the stand-in mint, keyset rotation, offline receive then claim, and a
 * restore from the words on a fresh profile. Each test uses its own words so counters never clash.
 */
let ledger: LightningLedger;
let stack: CashuStack;
let alpha: StandInMint;

beforeAll(async () => {
  ledger = new LightningLedger({ stuckMs: 1500 });
  ledger.createNode('stack', { balanceMsat: 100_000_000_000n });
  stack = await startCashuStack(ledger, { mint: { meltWaitMs: 400 }, server: { slowMs: 300 } });
  alpha = stack.mints[0]!;
});
afterAll(async () => {
  await stack.stop();
  ledger.close();
});

const words = (n: number): string =>
  [
    'legal winner thank year wave sausage worth useful legal winner thank yellow',
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
    'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    'void come effort suffer camp survey warrior heavy shoot primary clutch crush',
    'scheme spot photo card baby mountain device kick cradle pact join borrow',
    'panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich',
    'cat swing flag economy stadium alone churn speed unique patch report train',
    'all hour make first leader extend hole alien behind guard gospel lava path output census museum junior mass reopen famous sing advance salt reform',
  ][n] as string;

async function funded(n: number, sats = 2000) {
  const w = await ecashWallet(ledger, { words: words(n) });
  await w.ecash.addMint(alpha.url);
  const q = await w.ecash.mintQuote({ mintUrl: alpha.url, unit: 'sat', amount: sats });
  await w.ecash.payMintQuote(q.id);
  return w;
}
const spendable = (w: Awaited<ReturnType<typeof funded>>) =>
  w.ecash.balances().find((b) => b.mintUrl === alpha.url)?.spendable ?? 0;

describe('eCash under mint faults', () => {
  it('down: clear state, balance still held; offline receive is stored then claimed when the mint is back', async () => {
    const a = await funded(0);
    const b = await ecashWallet(ledger, { words: words(1) });
    try {
      await b.ecash.addMint(alpha.url);
      const sent = await a.ecash.send({ mintUrl: alpha.url, unit: 'sat', amount: 100 });
      const token = sent.token;
      alpha.setFault('down');
      await expect(a.ecash.refreshMint(alpha.url)).rejects.toMatchObject({ code: 'ECASH_MINT_UNREACHABLE' });
      const mint = a.ecash.listMints()[0]!;
      expect(mint.reachable).toBe(false);
      expect(mint.balances[0]!.spendable + mint.balances[0]!.pending).toBe(2000 - sent.operation.fee);
      expect(b.ecash.decodeToken(token)).toMatchObject({ amount: 100, dleq: 'valid' });
      const stored = await b.ecash.receive(token);
      expect(['stored', 'claiming']).toContain(stored.state);
      alpha.setFault('none');
      await b.ecash.recover();
      expect(b.ecash.getOperation(stored.id).state).toBe('claimed');
      expect(b.events.some((e) => e.name === 'ecash.tokenClaimed')).toBe(true);
    } finally {
      alpha.setFault('none');
      await a.close();
      await b.close();
    }
  });

  it('slow: operations still complete', async () => {
    alpha.setFault('slow');
    try {
      const a = await funded(2, 500);
      expect(spendable(a)).toBe(500);
      await a.close();
    } finally {
      alpha.setFault('none');
    }
  });

  it('down in the middle of a melt: no answer, and the melt still settles as paid with its change', async () => {
    const a = await funded(3);
    try {
      const invoice = ledger.createInvoice('stack', { amountMsat: 300_000n }).bolt11;
      const prep = await a.ecash.prepareMelt({ text: invoice, unit: 'sat', mintUrl: alpha.url });
      alpha.setFault('down-mid-melt');
      // The answer is lost; NUT-19 replays it (or recovery asks for the quote): never a second melt.
      const [op] = await a.ecash.confirmMelt(prep.prepareId);
      expect(['melting', 'paid']).toContain(op?.state);
      alpha.setFault('none');
      const paid = await until(async () => {
        await a.ecash.recover();
        const o = a.ecash.getOperation(op!.id);
        return o.state === 'paid' ? o : null;
      });
      expect(spendable(a)).toBe(2000 - 300 - paid.fee);
    } finally {
      alpha.setFault('none');
      await a.close();
    }
  });

  it('a melt that stays pending then fails gives the eCash back', async () => {
    const a = await funded(4);
    try {
      const invoice = ledger.createInvoice('stack', { amountMsat: 200_000n }).bolt11;
      const prep = await a.ecash.prepareMelt({ text: invoice, unit: 'sat', mintUrl: alpha.url });
      alpha.setFault('melt-pending-then-fail');
      const [op] = await a.ecash.confirmMelt(prep.prepareId);
      expect(op?.state).toBe('melting');
      expect(a.ecash.balances()[0]!.pending).toBeGreaterThan(0);
      await until(async () => {
        await a.ecash.recover();
        return a.ecash.getOperation(op!.id).state === 'failed';
      });
      expect(spendable(a)).toBe(2000);
    } finally {
      alpha.setFault('none');
      await a.close();
    }
  });

  for (const fault of ['bad-dleq', 'wrong-keyset'] as const) {
    it(`${fault}: signatures that do not check out are refused, and restored once the mint is right`, async () => {
      const a = await ecashWallet(ledger, { words: words(fault === 'bad-dleq' ? 5 : 6) });
      try {
        await a.ecash.addMint(alpha.url);
        const q = await a.ecash.mintQuote({ mintUrl: alpha.url, unit: 'sat', amount: 700 });
        alpha.setFault(fault);
        // The signatures sent are refused; the mint's NUT-09 restore gives the right ones (or,
        // while it cannot, the op stays open and recovery finishes it).
        await a.ecash.payMintQuote(q.id).catch(() => undefined);
        alpha.setFault('none');
        await a.ecash.recover();
        expect(a.ecash.getOperation(q.id).state).toBe('done');
        expect(spendable(a)).toBe(700);
        // The proofs kept are real: the mint takes them in a swap.
        const sent = await a.ecash.send({ mintUrl: alpha.url, unit: 'sat', amount: 333 });
        expect(sent.operation.state).toBe('pending');
      } finally {
        alpha.setFault('none');
        await a.close();
      }
    });
  }

  it('a double spend: a token its sender spent first is refused as already spent', async () => {
    const a = await funded(7, 600);
    const b = await ecashWallet(ledger, { words: words(1) });
    try {
      await b.ecash.addMint(alpha.url);
      const token = (await a.ecash.send({ mintUrl: alpha.url, unit: 'sat', amount: 64 })).token;
      const ids = alpha.mint.keysets.all().map((k) => k.id);
      const proofs = (await import('@cashu/cashu-ts')).getDecodedToken(token, ids).proofs;
      alpha.mint.spendElsewhere(
        proofs.map((p) => ({ amount: p.amount.toNumber(), id: p.id, secret: p.secret, C: p.C })),
      );
      await expect(b.ecash.receive(token)).rejects.toMatchObject({ code: 'ECASH_ALREADY_SPENT' });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('eCash keysets and restore', () => {
  it('follows a rotation: proofs on the inactive keyset are swapped to the new one', async () => {
    const a = await funded(0, 800);
    try {
      const before = a.ecash.listMints()[0]!.keysets.find((k) => k.active && k.unit === 'sat')!.id;
      alpha.mint.rotate('sat');
      const view = await a.ecash.refreshMint(alpha.url);
      const now = view.keysets.find((k) => k.active && k.unit === 'sat')!.id;
      expect(now).not.toBe(before);
      const rows = a.db.prepare(`SELECT keyset_id FROM ecash_proofs WHERE state = 'unspent'`).all() as {
        keyset_id: string;
      }[];
      expect(rows.every((r) => r.keyset_id === now)).toBe(true);
      expect(spendable(a)).toBe(
        800 - a.ecash.listOperations(10, 0).items.find((o) => o.counterparty === 'rotation')!.fee,
      );
    } finally {
      await a.close();
    }
  });

  it('restores from the words on a fresh profile, inactive keysets included, and moves counters past them', async () => {
    const a = await funded(8, 1500);
    const held = spendable(a);
    await a.close();
    const fresh = await ecashWallet(ledger, { words: words(8) });
    try {
      const report = await fresh.ecash.restore([alpha.url]);
      expect(report.mints[0]!.ok).toBe(true);
      expect(report.mints[0]!.keysets.length).toBeGreaterThanOrEqual(2);
      expect(spendable(fresh)).toBe(held);
      // New outputs never collide with the restored ones.
      const q = await fresh.ecash.mintQuote({ mintUrl: alpha.url, unit: 'sat', amount: 100 });
      expect((await fresh.ecash.payMintQuote(q.id)).state).toBe('done');
    } finally {
      await fresh.close();
    }
  });
});
