import { networks, payments, Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { createWallet, startStackApp, useRegtestStack } from '../support/stack-app';
import { until } from '../support/wait';

const outside = (fill: number) =>
  payments.p2wpkh({ hash: new Uint8Array(20).fill(fill), network: networks.regtest }).address!;

const suite = useRegtestStack('flash-txdetails-');

describe('transaction details and activity fees against the regtest stack', () => {
  it('reports the exact fee and fee rate of a two-recipient send with hand-picked coins', async () => {
    const app = await startStackApp(suite.stack, suite.dir, { send: 'online', cleanup: suite.cleanup });
    const { id } = createWallet(app, 'Details');
    await until('first sync', () => app.wallet.overview(id).sync.phase === 'synced');
    const receive = app.wallet.overview(id).receive.address;
    const funding = [
      suite.stack.chain.send(receive, 200_000).txid,
      suite.stack.chain.send(receive, 90_000).txid,
    ];
    suite.stack.chain.send(receive, 70_000);
    suite.stack.chain.mine(1);
    await until('funds confirmed', () => app.wallet.overview(id).balance.confirmed === 360_000);
    await app.wallet.idle();

    // The stack pays from coins Flash never stored (fee unknown) and sometimes from its change of
    // an earlier payment to us, which Flash did store (fee known, at the stack's rate).
    const incoming = app.wallet.activity(id, 10, 0).items;
    expect(incoming).toHaveLength(3);
    let known = 0;
    for (const item of incoming) {
      const details = app.wallet.transaction(id, item.txid);
      expect(details.outputs.filter((o) => o.ours)).toEqual([
        expect.objectContaining({ address: receive, sats: item.amountSats, change: false }),
      ]);
      expect(details.inputs.every((i) => !i.ours)).toBe(true);
      const amounts = details.inputs.map((i) => i.sats);
      if (amounts.includes(null)) {
        expect(item).toMatchObject({ feeSats: null, feeRate: null });
        expect(details.feeSats).toBeNull();
        continue;
      }
      known++;
      const fee =
        amounts.reduce<number>((s, v) => s + (v ?? 0), 0) - details.outputs.reduce((s, o) => s + o.sats, 0);
      expect(item.feeSats).toBe(fee);
      expect(item.feeRate).toBeGreaterThanOrEqual(suite.stack.chain.feeRate);
      expect(item.feeRate).toBeLessThan(suite.stack.chain.feeRate + 0.1);
      expect(details.inputs.every((i) => i.address !== null)).toBe(true);
    }
    expect(known).toBeGreaterThan(0);
    expect(known).toBeLessThan(3);

    // Two recipients, paid from the 200k and 90k coins chosen by hand (not the 70k one).
    const coins = funding.map((txid) => {
      const details = app.wallet.transaction(id, txid);
      const vout = details.outputs.find((o) => o.ours)!.vout;
      return `${txid}:${vout}`;
    });
    const draft = app.send.prepare({
      walletId: id,
      outputs: [
        { address: outside(1), sats: 120_000 },
        { address: outside(2), sats: 80_000 },
      ],
      feeRate: 3.5,
      coins,
    });
    expect(draft.inputs.map((i) => `${i.txid}:${i.vout}`).sort()).toEqual([...coins].sort());
    const sent = await app.send.signAndBroadcast(draft.draftId);
    const item = await until('the send in the activity list', () =>
      app.wallet.activity(id, 10, 0).items.find((t) => t.txid === sent.txid),
    );

    // The numbers, recomputed from the transaction the server holds.
    const hex = await app.electrum.client().request('blockchain.transaction.get', [sent.txid]);
    const tx = Transaction.fromHex(hex as string);
    const inSum = 290_000;
    const outSum = tx.outs.reduce((s, o) => s + Number(o.value), 0);
    const fee = inSum - outSum;
    expect(fee).toBe(draft.feeSats);
    const rate = Math.floor((fee * 1000) / tx.virtualSize()) / 1000;
    expect(rate).toBeGreaterThanOrEqual(3.5);
    expect(item).toMatchObject({
      direction: 'out',
      feeSats: fee,
      feeRate: rate,
      amountSats: -(200_000 + fee),
    });

    const details = app.wallet.transaction(id, sent.txid);
    expect(details).toMatchObject({
      txid: sent.txid,
      feeSats: fee,
      feeRate: rate,
      vsize: tx.virtualSize(),
      weight: tx.weight(),
      size: tx.byteLength(),
      rbf: true,
      confirmations: 0,
      height: expect.any(Number),
      verification: 'mempool',
    });
    expect(details.inputs).toHaveLength(2);
    for (const input of details.inputs) {
      expect(input.ours).toBe(true);
      expect(input.address).toBe(receive);
      expect([200_000, 90_000]).toContain(input.sats);
    }
    const paid = details.outputs.filter((o) => !o.ours).map((o) => [o.address, o.sats]);
    expect(paid.sort()).toEqual(
      [
        [outside(1), 120_000],
        [outside(2), 80_000],
      ].sort(),
    );
    const change = details.outputs.filter((o) => o.ours);
    expect(change).toEqual([expect.objectContaining({ change: true, sats: 290_000 - 200_000 - fee })]);

    // A block confirms it; the details follow.
    suite.stack.chain.mine(1);
    await until('confirmed', () => app.wallet.transaction(id, sent.txid).confirmations === 1);
    expect(app.wallet.transaction(id, sent.txid).height).toBe(suite.stack.chain.tipHeight);

    // The same draft's PSBT as animated-QR parts imports back to the same transaction.
    const again = app.send.prepare({
      walletId: id,
      outputs: [
        { address: outside(3), sats: 20_000 },
        { address: outside(4), sats: 15_000 },
      ],
      feeRate: 2,
    });
    const parts = app.send.exportPsbtUr(again.draftId, 60);
    expect(parts.length).toBeGreaterThan(2);
    const imported = app.send.importPsbt({ walletId: id, data: [...parts].reverse().join('\n') });
    expect(imported.psbtBase64).toBe(again.psbtBase64);
    expect(imported.feeSats).toBe(again.feeSats);

    expect(() => app.wallet.transaction(id, 'ab'.repeat(32))).toThrow(/not in the wallet/);
  });
});
