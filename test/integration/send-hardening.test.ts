import { networks, payments, Psbt, Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { SendError } from '../../main/bitcoin/send/errors';
import { fundedWallet, startStackApp, useRegtestStack } from '../support/stack-app';
import { until } from '../support/wait';

const regtest = networks.regtest;
const addressOf = (fill: number) =>
  payments.p2wpkh({ hash: new Uint8Array(20).fill(fill), network: regtest });
const OUTSIDE = addressOf(0x42).address!;
const THIEF = addressOf(0x66);

const suite = useRegtestStack('flash-send-hard-', { perTest: true });

function startApp(dbName?: string) {
  return startStackApp(suite.stack, suite.dir, {
    send: 'online',
    coins: true,
    sendRetry: { baseMs: 100, maxMs: 400 },
    cleanup: suite.cleanup,
    ...(dbName ? { dbName } : {}),
  });
}
type App = Awaited<ReturnType<typeof startApp>>;

const reasonOf = async (fn: () => unknown): Promise<string> => {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    return err instanceof SendError ? err.reason : String(err);
  }
};

async function seen(app: App, walletId: string, txid: string): Promise<void> {
  await until(`wallet sees ${txid}`, () =>
    app.wallet.activity(walletId, 50, 0).items.some((t) => t.txid === txid),
  );
  await app.wallet.idle();
}

describe('change is change only if we derived it', () => {
  it("lists a stranger's output as a recipient even when the PSBT gives it our change key origin", async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [200_000], 'Import');
    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 50_000 }],
      feeRate: 2,
    });
    const real = Psbt.fromBase64(draft.psbtBase64, { network: regtest });
    const changeAt = draft.outputs.findIndex((o) => o.change);
    expect(changeAt).toBeGreaterThanOrEqual(0);
    // A hostile coordinator's PSBT: same inputs, but "change" goes to someone else, carrying the
    // key origin of our real change address.
    const forged = new Psbt({ network: regtest });
    forged.setVersion(2);
    real.txInputs.forEach((input, i) => {
      const data = real.data.inputs[i]!;
      forged.addInput({
        hash: input.hash,
        index: input.index,
        sequence: input.sequence,
        ...(data.witnessUtxo ? { witnessUtxo: data.witnessUtxo } : {}),
        ...(data.nonWitnessUtxo ? { nonWitnessUtxo: data.nonWitnessUtxo } : {}),
        ...(data.bip32Derivation ? { bip32Derivation: data.bip32Derivation } : {}),
      });
    });
    forged.addOutput({ script: real.txOutputs[1 - changeAt]!.script, value: 50_000n });
    forged.addOutput({
      script: THIEF.output!,
      value: real.txOutputs[changeAt]!.value,
      bip32Derivation: real.data.outputs[changeAt]!.bip32Derivation!,
    });
    const imported = app.send.importPsbt({ walletId: id, data: forged.toBase64() });
    expect(imported.outputs).toEqual([
      { address: OUTSIDE, sats: 50_000, change: false },
      { address: THIEF.address, sats: draft.changeSats, change: false },
    ]);
    expect(imported.amountSats).toBe(50_000 + draft.changeSats);
    expect(imported.changeSats).toBe(0);
    // The honest draft, imported back, still has its change.
    const honest = app.send.importPsbt({ walletId: id, data: draft.psbtBase64 });
    expect(honest.outputs[changeAt]?.change).toBe(true);
    expect(honest.amountSats).toBe(50_000);
  });
});

describe('absurd fees are refused before signing', () => {
  it('refuses a fee above 1,000 sat/vB until the user types the fee back, then sends it', async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [1_000_000], 'Fees');
    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 100_000 }],
      feeRate: 1500,
    });
    expect(draft.feeWarning).toEqual({
      reason: 'rate',
      limitRate: 1000,
      limitSats: 100_000,
      accepted: false,
    });
    expect(await reasonOf(() => app.send.signAndBroadcast(draft.draftId))).toBe('FEE_ABSURD');
    expect(await reasonOf(() => app.send.draftForSigning(draft.draftId))).toBe('FEE_ABSURD');
    expect(
      await reasonOf(() => app.send.acceptFee({ draftId: draft.draftId, feeSats: draft.feeSats - 1 })),
    ).toBe('FEE_CONFIRMATION_MISMATCH');
    const accepted = app.send.acceptFee({ draftId: draft.draftId, feeSats: draft.feeSats });
    expect(accepted.feeWarning?.accepted).toBe(true);
    const sent = await app.send.signAndBroadcast(draft.draftId);
    expect(sent.state).toBe('broadcast');
    expect(suite.stack.chain.mempoolTxids()).toContain(sent.txid);
  });

  it('refuses a fee above 100,000 sats that is more than a quarter of what leaves the wallet', async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [1_000_000], 'Share');
    // About 110,000 sats of fee (780 sat/vB) to pay 200,000 sats.
    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 200_000 }],
      feeRate: 780,
    });
    expect(draft.feeSats).toBeGreaterThan(100_000);
    expect(draft.feeWarning).toMatchObject({ reason: 'share', accepted: false });
    expect(await reasonOf(() => app.send.signAndBroadcast(draft.draftId))).toBe('FEE_ABSURD');
    // The same rate paying 2,000,000 sats is a normal (if expensive) payment.
    const big = await fundedWallet(app, [3_000_000], 'Big');
    const fine = app.send.prepare({
      walletId: big.id,
      outputs: [{ address: OUTSIDE, sats: 2_000_000 }],
      feeRate: 780,
    });
    expect(fine.feeWarning).toBeNull();
  });

  it("takes an imported PSBT's input amounts from the wallet, not from the PSBT (segwit v0 fee attack)", async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [300_000], 'Attack');
    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 100_000 }],
      feeRate: 2,
    });
    // Round one of the attack: the coin is said to hold less, so a huge fee looks small.
    const lying = Psbt.fromBase64(draft.psbtBase64, { network: regtest });
    const input = lying.data.inputs[0]!;
    input.witnessUtxo = { script: input.witnessUtxo!.script, value: input.witnessUtxo!.value - 150_000n };
    delete input.nonWitnessUtxo;
    expect(await reasonOf(() => app.send.importPsbt({ walletId: id, data: lying.toBase64() }))).toBe(
      'INPUT_AMOUNT_MISMATCH',
    );
    // A coin that is not ours and comes with no previous transaction: its amount is unknowable.
    const foreign = new Psbt({ network: regtest });
    foreign.addInput({
      hash: 'ab'.repeat(32),
      index: 0,
      witnessUtxo: { script: THIEF.output!, value: 90_000n },
    });
    foreign.addOutput({ address: OUTSIDE, value: 80_000n });
    expect(await reasonOf(() => app.send.importPsbt({ walletId: id, data: foreign.toBase64() }))).toBe(
      'INPUT_AMOUNT_UNKNOWN',
    );
  });
});

describe('fee bumps follow BIP125 like Bitcoin Core', () => {
  it('pays for the later payment it cancels, names it first, and never adds an unconfirmed coin', async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [100_000], 'Bump');
    const first = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 30_000 }],
      feeRate: 1,
    });
    const sent = await app.send.signAndBroadcast(first.draftId);
    await seen(app, id, sent.txid);
    // A later payment spends the unconfirmed change of the first, at a high rate.
    const later = app.send.prepare({
      walletId: id,
      outputs: [{ address: THIEF.address!, sats: 20_000 }],
      feeRate: 40,
    });
    expect(later.inputs.map((i) => i.txid)).toEqual([sent.txid]);
    const laterSent = await app.send.signAndBroadcast(later.draftId);
    await seen(app, id, laterSent.txid);
    app.coins.setLabel({ walletId: id, type: 'tx', ref: laterSent.txid, label: 'Rent for March' });

    const bump = app.send.bumpFee({ walletId: id, txid: sent.txid, feeRate: 3 });
    expect(bump.evicts).toEqual([
      { txid: laterSent.txid, amountSats: 20_000, address: THIEF.address, label: 'Rent for March' },
    ]);
    // Rule 3 and 4: the fees of both evicted transactions plus 1 sat/vB on its own size.
    expect(bump.feeSats).toBeGreaterThanOrEqual(first.feeSats + later.feeSats + bump.vsize);
    // Rule 2: only the original's own (confirmed) coin; the change of the later payment is not touched.
    expect(bump.inputs.map((i) => `${i.txid}:${i.vout}`)).toEqual(
      first.inputs.map((i) => `${i.txid}:${i.vout}`),
    );

    const replaced = await app.send.signAndBroadcast(bump.draftId);
    expect(replaced.state).toBe('broadcast');
    expect(suite.stack.chain.mempoolTxids()).toEqual([replaced.txid]);
    expect(app.send.getDraft(first.draftId).state).toBe('replaced');
    expect(app.send.getDraft(later.draftId).state).toBe('failed');
  });

  it('sends a bump journaled just before a crash on restart, though its original holds the coins', async () => {
    const first = await startApp();
    const { id } = await fundedWallet(first, [100_000], 'Crash bump');
    const original = await first.send.signAndBroadcast(
      first.send.prepare({ walletId: id, outputs: [{ address: OUTSIDE, sats: 30_000 }], feeRate: 1 }).draftId,
    );
    await seen(first, id, original.txid);
    first.close();
    // The bump is signed and journaled, then the app dies before a byte reaches the network.
    const offline = await startStackApp(suite.stack, suite.dir, { send: 'offline', cleanup: suite.cleanup });
    await offline.wallet.idle();
    const bump = offline.send.bumpFee({ walletId: id, txid: original.txid, feeRate: 4 });
    const pending = await offline.send.signAndBroadcast(bump.draftId);
    expect(pending.state).toBe('broadcasting');
    offline.close();
    const again = await startApp();
    await until('bump sent', () => again.send.getDraft(bump.draftId).state === 'broadcast');
    expect(suite.stack.chain.mempoolTxids()).toEqual([pending.txid]);
    expect(again.db.prepare(`SELECT state FROM send_payments WHERE txid = ?`).get(original.txid)).toEqual({
      state: 'replaced',
    });
  });

  it('refuses rather than add an unconfirmed coin when the confirmed ones do not cover the new fee', async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [20_000, 200_000], 'Rule2');
    // Payment A uses the small coin; payment B spends the big one, leaving big unconfirmed change.
    const a = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 15_000 }],
      feeRate: 1,
      coins: [(await coinOf(app, id, 20_000))!],
    });
    const aSent = await app.send.signAndBroadcast(a.draftId);
    const b = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 10_000 }],
      feeRate: 2,
      coins: [(await coinOf(app, id, 200_000))!],
    });
    const bSent = await app.send.signAndBroadcast(b.draftId);
    await seen(app, id, aSent.txid);
    await seen(app, id, bSent.txid);
    // Bumping A to 60 sat/vB needs more than A's coin holds; the only other coin is B's unconfirmed change.
    expect(await reasonOf(() => app.send.bumpFee({ walletId: id, txid: aSent.txid, feeRate: 60 }))).toBe(
      'INSUFFICIENT_FUNDS',
    );
  });

  it('the stack refuses a replacement that adds an unconfirmed input or underpays what it evicts', async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [100_000, 120_000], 'Stack');
    const pay = async (coin: string, feeRate: number) =>
      app.send.signAndBroadcast(
        app.send.prepare({
          walletId: id,
          outputs: [{ address: OUTSIDE, sats: 10_000 }],
          feeRate,
          coins: [coin],
        }).draftId,
      );
    const p1 = await pay((await coinOf(app, id, 100_000))!, 1);
    const p2 = await pay((await coinOf(app, id, 120_000))!, 1);
    await seen(app, id, p1.txid);
    await seen(app, id, p2.txid);
    const tx1 = Transaction.fromHex(suite.stack.chain.transactionHex(p1.txid)!);
    const tx2 = Transaction.fromHex(suite.stack.chain.transactionHex(p2.txid)!);
    const replacement = (fee: number, extra?: { txid: string; vout: number; value: number }) => {
      const t = new Transaction();
      t.version = 2;
      t.addInput(tx1.ins[0]!.hash, tx1.ins[0]!.index, 0xfffffffd);
      if (extra)
        t.addInput(Uint8Array.from(Buffer.from(extra.txid, 'hex').reverse()), extra.vout, 0xfffffffd);
      t.addOutput(THIEF.output!, BigInt(100_000 + (extra?.value ?? 0) - fee));
      return t.toHex();
    };
    // Rule 2: p2's change is unconfirmed and p1 never spent from p2.
    const p2Change = changeVout(tx2);
    const extra = { txid: p2.txid, vout: p2Change, value: Number(tx2.outs[p2Change]!.value) };
    expect(() => suite.stack.chain.broadcast(replacement(5_000, extra))).toThrow(
      /^replacement-adds-unconfirmed/,
    );
    // A descendant of p1 paying 30 sat/vB.
    const child = await pay(`${p1.txid}:${changeVout(tx1)}`, 30);
    expect(child.state).toBe('broadcast');
    const childTx = Transaction.fromHex(suite.stack.chain.transactionHex(child.txid)!);
    const p1Fee = 100_000 - tx1.outs.reduce((s, o) => s + Number(o.value), 0);
    const childFee =
      Number(tx1.outs[changeVout(tx1)]!.value) - childTx.outs.reduce((s, o) => s + Number(o.value), 0);
    // Rule 3: more than p1 pays, at a higher rate, but less than p1 and its child together.
    expect(() => suite.stack.chain.broadcast(replacement(p1Fee + childFee - 1))).toThrow(
      /^insufficient fee, rejecting replacement [0-9a-f]{64}, less fees than conflicting txs/,
    );
    // Rule 4: both fees, but not 1 sat/vB more on its own size.
    expect(() => suite.stack.chain.broadcast(replacement(p1Fee + childFee + 10))).toThrow(
      /not enough additional fees to relay/,
    );
    // A full mempool's floor refuses it before anything is evicted: p1 and its child stay.
    suite.stack.chain.mempoolMinFeeRate = 100;
    expect(() => suite.stack.chain.broadcast(replacement(p1Fee + childFee + 200))).toThrow(
      /^mempool min fee not met/,
    );
    expect(suite.stack.chain.mempoolTxids().sort()).toEqual([p1.txid, p2.txid, child.txid].sort());
    suite.stack.chain.mempoolMinFeeRate = 1;
    const ok = suite.stack.chain.broadcast(replacement(p1Fee + childFee + 200));
    expect(suite.stack.chain.mempoolTxids().sort()).toEqual([ok, p2.txid].sort());
  });
});

describe('a journaled payment is never forgotten while it can still confirm', () => {
  it('keeps a payment the mempool refuses for now, coins reserved, and sends it when the floor drops', async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [80_000], 'Floor');
    suite.stack.chain.mempoolMinFeeRate = 5;
    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 30_000 }],
      feeRate: 2,
    });
    const res = await app.send.signAndBroadcast(draft.draftId);
    expect(res.state).toBe('broadcasting');
    expect(app.send.getDraft(draft.draftId).state).toBe('broadcasting');
    const [pending] = app.send.pending(id);
    expect(pending).toMatchObject({ draftId: draft.draftId, txid: res.txid, amountSats: 30_000 });
    expect(pending?.lastError).toMatch(/^mempool min fee not met/);
    expect(pending?.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    // Its coin stays reserved: a second payment cannot spend it again.
    expect(
      await reasonOf(() =>
        app.send.prepare({ walletId: id, outputs: [{ address: OUTSIDE, sats: 30_000 }], feeRate: 2 }),
      ),
    ).toBe('INSUFFICIENT_FUNDS');
    // It keeps trying with backoff...
    await until('retried', () => (app.send.pending(id)[0]?.attempts ?? 0) >= 2);
    expect(suite.stack.chain.mempoolTxids()).not.toContain(res.txid);
    // ...and goes through once the mempool takes it.
    suite.stack.chain.mempoolMinFeeRate = 1;
    await until('broadcast', () => app.send.getDraft(draft.draftId).state === 'broadcast', 5_000);
    expect(suite.stack.chain.mempoolTxids()).toContain(res.txid);
    expect(app.send.pending(id)).toEqual([]);
  });

  it('fails a pending payment only once the chain view shows its coin spent by another transaction', async () => {
    const app = await startApp();
    const { id, words } = await fundedWallet(app, [80_000], 'Conflict');
    suite.stack.chain.mempoolMinFeeRate = 5;
    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 30_000 }],
      feeRate: 2,
    });
    const res = await app.send.signAndBroadcast(draft.draftId);
    expect(res.state).toBe('broadcasting');
    // The same words in another install spend the coin at a rate the mempool takes.
    const other = await startApp('other.db');
    const restored = other.wallet.restore({
      words: words,
      passphrase: '',
      name: 'Elsewhere',
      network: 'regtest',
    });
    await until('restored sync', () => other.wallet.overview(restored.id).balance.confirmed === 80_000);
    await other.wallet.idle();
    const spend = await other.send.signAndBroadcast(
      other.send.prepare({
        walletId: restored.id,
        outputs: [{ address: THIEF.address!, sats: 40_000 }],
        feeRate: 10,
      }).draftId,
    );
    expect(spend.state).toBe('broadcast');
    suite.stack.chain.mempoolMinFeeRate = 1;
    await until('failed', () => app.send.getDraft(draft.draftId).state === 'failed', 10_000);
    expect(app.send.getDraft(draft.draftId).state).toBe('failed');
    expect(
      app.db
        .prepare<[string], { error: string }>(`SELECT error FROM send_payments WHERE id = ?`)
        .get(draft.draftId)?.error,
    ).toContain(spend.txid);
  });

  it('marks failed a payment the node refuses for good (a bad signature)', async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [80_000], 'Invalid');
    suite.stack.chain.checkScripts = true;
    suite.stack.chain.mempoolMinFeeRate = 5;
    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 30_000 }],
      feeRate: 2,
    });
    expect((await app.send.signAndBroadcast(draft.draftId)).state).toBe('broadcasting');
    // The journaled raw tx is damaged on disk (one signature byte), then the floor drops.
    const raw = app.db
      .prepare<[string], { raw_tx: Uint8Array }>(`SELECT raw_tx FROM send_payments WHERE id = ?`)
      .get(draft.draftId)!.raw_tx;
    const tx = Transaction.fromBuffer(Buffer.from(raw));
    const sig = Uint8Array.from(tx.ins[0]!.witness[0]!);
    sig[10] = sig[10]! ^ 1;
    tx.ins[0]!.witness[0] = sig;
    app.db.prepare(`UPDATE send_payments SET raw_tx = ? WHERE id = ?`).run(tx.toBuffer(), draft.draftId);
    suite.stack.chain.mempoolMinFeeRate = 1;
    await until('failed', () => app.send.getDraft(draft.draftId).state === 'failed', 5_000);
    expect(app.send.pending(id)).toEqual([]);
    // Its coin is free again.
    expect(
      app.send.prepare({ walletId: id, outputs: [{ address: OUTSIDE, sats: 30_000 }], feeRate: 2 }).inputs,
    ).toHaveLength(1);
  });
});

async function coinOf(app: App, walletId: string, sats: number): Promise<string | undefined> {
  await app.wallet.idle();
  const coin = app.coins.listUtxos(walletId).find((c) => c.sats === sats);
  return coin?.outpoint;
}

/** The vout of a wallet payment's change: the output that is not OUTSIDE. */
function changeVout(tx: Transaction): number {
  const outside = payments.p2wpkh({ address: OUTSIDE, network: regtest }).output!;
  return tx.outs.findIndex((o) => Buffer.compare(Buffer.from(o.script), Buffer.from(outside)) !== 0);
}
