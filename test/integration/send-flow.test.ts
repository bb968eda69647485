import { describe, expect, it } from 'vitest';
import { payments, networks } from 'bitcoinjs-lib';
import { SendError } from '../../main/bitcoin/send/errors';
import { enableReplaceByFee } from '../stack/replacement';
import { fundedWallet as fundWallet, startStackApp, useRegtestStack } from '../support/stack-app';
import { until } from '../support/wait';

const OUTSIDE = payments.p2wpkh({ hash: new Uint8Array(20).fill(0x42), network: networks.regtest }).address!;

const suite = useRegtestStack('flash-send-it-', {
  // The stand-in mempool only learns BIP125 replacement when asked to (test/stack/replacement.ts).
  onStart: (stack) => enableReplaceByFee(stack.chain),
});

/** `offline`: the send service sees no server (as if the network died right before broadcast). */
function startApp(opts: { offline?: boolean } = {}) {
  return startStackApp(suite.stack, suite.dir, {
    send: opts.offline ? 'offline' : 'online',
    cleanup: suite.cleanup,
  });
}

type App = Awaited<ReturnType<typeof startApp>>;

async function fundedWallet(app: App, amounts: number[]): Promise<string> {
  return (await fundWallet(app, amounts, 'Send')).id;
}

describe('send against the regtest stack', () => {
  it('prepares, signs and broadcasts with RBF; the wallet and mempool see it; mining confirms it', async () => {
    const app = await startApp();
    const id = await fundedWallet(app, [200_000, 150_000]);

    const fees = await app.send.estimateFees();
    expect(fees.fast).toBe(suite.stack.chain.feeRate);

    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 120_000 }],
      feeRate: 2,
    });
    expect(draft.replaceable).toBe(true);
    expect(draft.changeSats).toBeGreaterThan(0);
    expect(draft.outputs.find((o) => o.change)?.address?.startsWith('bcrt1q')).toBe(true);
    expect(draft.feeSats).toBe(draft.vsize * 2);
    const inputsTotal = draft.inputs.reduce((s, i) => s + i.sats, 0);
    expect(inputsTotal).toBe(120_000 + draft.changeSats + draft.feeSats);

    // PSBT export/import (binary file and base64) gives back the same transaction.
    const exported = app.send.exportPsbt(draft.draftId);
    expect(exported.base64).toBe(draft.psbtBase64);
    const imported = app.send.importPsbt({ walletId: id, data: exported.binary });
    expect(imported).toMatchObject({ kind: 'import', feeSats: draft.feeSats, amountSats: 120_000 });
    expect(imported.psbtBase64).toBe(exported.base64);

    // Typed errors for what a user can get wrong.
    const reasonOf = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (err) {
        return (err as { details?: { reason?: string } }).details?.reason;
      }
    };
    const mainnet = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
    const prep =
      (address: string, sats: number, feeRate = 2) =>
      () =>
        app.send.prepare({ walletId: id, outputs: [{ address, sats }], feeRate });
    expect(reasonOf(prep(mainnet, 10_000))).toBe('WRONG_NETWORK');
    expect(reasonOf(prep(OUTSIDE, 100))).toBe('AMOUNT_BELOW_DUST');
    expect(reasonOf(prep(OUTSIDE, 10_000_000))).toBe('INSUFFICIENT_FUNDS');
    expect(reasonOf(prep(OUTSIDE, 10_000, 0.5))).toBe('BAD_FEE_RATE');

    // Message signing with a wallet address (BIP137 header for P2WPKH).
    const own = app.wallet.overview(id).receive.address;
    const signature = app.send.signMessage({ walletId: id, address: own, message: 'flash' });
    expect(app.send.verifyMessage({ address: own, message: 'flash', signature, network: 'regtest' })).toBe(
      true,
    );
    expect(app.send.verifyMessage({ address: OUTSIDE, message: 'flash', signature })).toBe(false);

    const sent = await app.send.signAndBroadcast(draft.draftId);
    expect(sent.state).toBe('broadcast');
    expect(suite.stack.chain.mempoolTxids()).toContain(sent.txid);
    await until('wallet sees the send', () =>
      app.wallet.activity(id, 10, 0).items.find((t) => t.txid === sent.txid && t.direction === 'out'),
    );
    // Double spending the same draft is refused.
    await expect(app.send.signAndBroadcast(draft.draftId)).rejects.toThrow(SendError);

    suite.stack.chain.mine(1);
    await until('journal confirmed', () => app.send.getDraft(draft.draftId).state === 'confirmed');
    await app.wallet.idle();
    const balance = app.wallet.overview(id).balance;
    expect(balance.confirmed + balance.unconfirmed).toBe(350_000 - 120_000 - draft.feeSats);
  });

  it('bumps the fee of an unconfirmed send (BIP125) and makes a CPFP child for a stuck deposit', async () => {
    const app = await startApp();
    const id = await fundedWallet(app, [300_000]);
    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 100_000 }],
      feeRate: 1,
    });
    const sent = await app.send.signAndBroadcast(draft.draftId);
    await until('wallet sees the send', () =>
      app.wallet.activity(id, 10, 0).items.find((t) => t.txid === sent.txid),
    );
    await app.wallet.idle();

    expect(() => app.send.bumpFee({ walletId: id, txid: sent.txid, feeRate: 1 })).toThrow(/must beat/);
    const bump = app.send.bumpFee({ walletId: id, txid: sent.txid, feeRate: 5 });
    expect(bump.kind).toBe('bump');
    expect(bump.replacesTxid).toBe(sent.txid);
    expect(bump.inputs.map((i) => `${i.txid}:${i.vout}`)).toEqual(
      draft.inputs.map((i) => `${i.txid}:${i.vout}`),
    );
    expect(bump.outputs.find((o) => !o.change)).toMatchObject({ address: OUTSIDE, sats: 100_000 });
    expect(bump.changeSats).toBe(draft.changeSats - (bump.feeSats - draft.feeSats));
    expect(bump.feeSats).toBeGreaterThanOrEqual(draft.feeSats + bump.vsize); // rule 4: + incremental relay
    expect(bump.feeSats).toBeGreaterThanOrEqual(bump.vsize * 5);

    const replaced = await app.send.signAndBroadcast(bump.draftId);
    expect(replaced.state).toBe('broadcast');
    expect(suite.stack.chain.mempoolTxids()).toContain(replaced.txid);
    expect(suite.stack.chain.mempoolTxids()).not.toContain(sent.txid);
    expect(app.send.getDraft(draft.draftId).state).toBe('replaced');
    // The wallet drops the replaced tx and shows the replacement.
    await until('wallet shows the replacement only', () => {
      const txids = app.wallet.activity(id, 10, 0).items.map((t) => t.txid);
      return txids.includes(replaced.txid) && !txids.includes(sent.txid);
    });
    // Bumping again must beat the replacement, not the original.
    expect(() => app.send.bumpFee({ walletId: id, txid: replaced.txid, feeRate: 5 })).toThrow(/must beat/);

    // CPFP: a stranger pays us at 2 sat/vB; we lift the package to 10 sat/vB.
    const deposit = suite.stack.chain.send(app.wallet.overview(id).receive.address, 50_000);
    await until('deposit seen', () =>
      app.wallet.activity(id, 20, 0).items.find((t) => t.txid === deposit.txid),
    );
    await app.wallet.idle();
    const child = await app.send.cpfp({ walletId: id, txid: deposit.txid, feeRate: 10 });
    expect(child.kind).toBe('cpfp');
    expect(child.inputs.map((i) => i.txid)).toEqual([deposit.txid]);
    const childSent = await app.send.signAndBroadcast(child.draftId);
    expect(childSent.state).toBe('broadcast');
    const hist = suite.stack.chain.feeHistogram();
    expect(hist[0]![0]).toBeGreaterThanOrEqual(10); // the child alone pays well above the target
  });

  it('completes a payment left in "broadcasting" when the service restarts', async () => {
    const first = await startApp();
    const id = await fundedWallet(first, [90_000]);
    first.close();

    // The network dies between journaling and the broadcast call.
    const offline = await startApp({ offline: true });
    await offline.wallet.idle();
    const draft = offline.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 40_000 }],
      feeRate: 3,
    });
    const res = await offline.send.signAndBroadcast(draft.draftId);
    expect(res.state).toBe('broadcasting');
    expect(suite.stack.chain.mempoolTxids()).not.toContain(res.txid);
    // The signed tx is journaled, and its coins are reserved against a second spend.
    expect(() =>
      offline.send.prepare({ walletId: id, outputs: [{ address: OUTSIDE, sats: 40_000 }], feeRate: 3 }),
    ).toThrow(/Not enough funds|nothing to send/i);
    offline.close();

    const restarted = await startApp();
    await until('journal completed', () => restarted.send.getDraft(draft.draftId).state === 'broadcast');
    expect(suite.stack.chain.mempoolTxids()).toContain(res.txid);

    // A tx the server already has (journal row still 'broadcasting') is recognised, not re-sent.
    restarted.close();
    const offline2 = await startApp({ offline: true });
    await until('change seen', () =>
      offline2.wallet.activity(id, 10, 0).items.find((t) => t.txid === res.txid),
    );
    await offline2.wallet.idle();
    const d2 = offline2.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, max: true }],
      feeRate: 2,
    });
    const r2 = await offline2.send.signAndBroadcast(d2.draftId);
    expect(r2.state).toBe('broadcasting');
    const raw = offline2.db
      .prepare<[string], { raw_tx: Uint8Array }>(`SELECT raw_tx FROM send_payments WHERE id = ?`)
      .get(d2.draftId)!.raw_tx;
    suite.stack.chain.broadcast(Buffer.from(raw).toString('hex'));
    offline2.close();
    const again = await startApp();
    await until('known tx recognised', () => again.send.getDraft(d2.draftId).state === 'broadcast');
  });
});
