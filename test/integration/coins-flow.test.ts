import { describe, expect, it } from 'vitest';
import { networks, payments } from 'bitcoinjs-lib';
import { SendError } from '../../main/bitcoin/send/errors';
import { CoinsError } from '../../main/bitcoin/coins/errors';
import { fundedWallet, startStackApp, useRegtestStack } from '../support/stack-app';
import { until } from '../support/wait';

const OUTSIDE = payments.p2wpkh({ hash: new Uint8Array(20).fill(0x42), network: networks.regtest }).address!;

const suite = useRegtestStack('flash-coins-it-');

function startApp(dbName = 'flash.db') {
  return startStackApp(suite.stack, suite.dir, {
    dbName,
    send: 'online',
    coins: true,
    cleanup: suite.cleanup,
  });
}

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as { details?: { reason?: string } }).details?.reason;
  }
}

describe('coin control and labels against the regtest stack', () => {
  it('frozen coins are skipped by selection, refused by hand, and usable again once unfrozen', async () => {
    const app = await startApp();
    const { id } = await fundedWallet(app, [200_000, 150_000], 'Coins');

    const utxos = app.coins.listUtxos(id);
    expect(utxos.map((u) => u.sats).sort()).toEqual([150_000, 200_000]);
    expect(
      utxos.every((u) => u.confirmations >= 1 && !u.frozen && u.outpoint === `${u.txid}:${u.vout}`),
    ).toBe(true);
    const big = utxos.find((u) => u.sats === 200_000)!;
    const small = utxos.find((u) => u.sats === 150_000)!;

    expect(app.coins.setFrozen(id, [big.outpoint], true)).toEqual({ changed: 1 });
    expect(app.coins.setFrozen(id, [big.outpoint], true)).toEqual({ changed: 0 }); // idempotent
    expect(app.coins.listUtxos(id).find((u) => u.outpoint === big.outpoint)?.frozen).toBe(true);
    expect(() => app.coins.setFrozen(id, [`${'0'.repeat(64)}:0`], true)).toThrow(CoinsError);
    expect(reasonOf(() => app.coins.setFrozen(id, [`${'0'.repeat(64)}:0`], true))).toBe('UNKNOWN_COIN');

    // Automatic selection uses only the unfrozen coin.
    const draft = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 100_000 }],
      feeRate: 2,
    });
    expect(draft.inputs.map((i) => `${i.txid}:${i.vout}`)).toEqual([small.outpoint]);
    // More than the unfrozen coin holds: not enough funds, although the wallet holds 350,000.
    expect(
      reasonOf(() =>
        app.send.prepare({ walletId: id, outputs: [{ address: OUTSIDE, sats: 180_000 }], feeRate: 2 }),
      ),
    ).toBe('INSUFFICIENT_FUNDS');
    // Send-max leaves the frozen coin alone too.
    const max = app.send.prepare({ walletId: id, outputs: [{ address: OUTSIDE, max: true }], feeRate: 2 });
    expect(max.inputs.map((i) => `${i.txid}:${i.vout}`)).toEqual([small.outpoint]);
    // Choosing the frozen coin by hand is a typed error.
    const manual = () =>
      app.send.prepare({
        walletId: id,
        outputs: [{ address: OUTSIDE, sats: 100_000 }],
        feeRate: 2,
        coins: [big.outpoint],
      });
    expect(manual).toThrow(SendError);
    expect(reasonOf(manual)).toBe('COIN_FROZEN');

    expect(app.coins.setFrozen(id, [big.outpoint], false)).toEqual({ changed: 1 });
    expect(manual().inputs.map((i) => `${i.txid}:${i.vout}`)).toEqual([big.outpoint]);
    const both = app.send.prepare({
      walletId: id,
      outputs: [{ address: OUTSIDE, sats: 180_000 }],
      feeRate: 2,
    });
    expect(both.inputs.map((i) => i.sats)).toContain(200_000);

    // Send one, then the CSV shows its fee from the stored raw txs.
    const sent = await app.send.signAndBroadcast(draft.draftId);
    await until('wallet sees the send', () =>
      app.wallet.activity(id, 10, 0).items.find((t) => t.txid === sent.txid),
    );
    await app.wallet.idle();
    app.coins.setLabel({ walletId: id, type: 'tx', ref: sent.txid, label: '=cmd|rent, "March"' });
    const csv = app.coins.exportHistoryCsv(id);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'date,txid,direction,amount_sats,fee_sats,fee_rate,confirmations,verification,label',
    );
    const row = lines.find((l) => l.includes(sent.txid))!;
    expect(row).toContain(`,out,${-(100_000 + draft.feeSats)},${draft.feeSats},`);
    expect(row).toContain(`,0,mempool,"'=cmd|rent, ""March"""`);
    expect(lines.filter((l) => l.includes(',in,'))).toHaveLength(2); // the deposits (fee unknown: stranger's inputs)
  });

  it('exports labels and frozen state as BIP329 and restores them into a fresh database', async () => {
    const app = await startApp();
    const { id, words } = await fundedWallet(app, [70_000, 30_000], 'Coins');
    const [a, b] = app.coins.listUtxos(id);
    const addr = app.wallet.overview(id).receive.address;
    app.coins.setLabel({ walletId: id, type: 'output', ref: a!.outpoint, label: 'from Alice' });
    app.coins.setLabel({ walletId: id, type: 'tx', ref: b!.txid, label: 'salary' });
    app.coins.setLabel({ walletId: id, type: 'addr', ref: addr, label: 'for Bob' });
    app.coins.setFrozen(id, [b!.outpoint], true);
    app.coins.setLabel({ walletId: id, type: 'addr', ref: addr, label: null }); // removed again
    app.coins.setLabel({ walletId: id, type: 'addr', ref: addr, label: 'for Carol' });
    expect(app.coins.listUtxos(id).find((u) => u.outpoint === a!.outpoint)?.label).toBe('from Alice');

    const jsonl = app.coins.exportLabels(id);
    const records = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({ type: 'output', ref: a!.outpoint, label: 'from Alice', spendable: true }),
    );
    expect(records).toContainEqual({ type: 'output', ref: b!.outpoint, spendable: false });
    expect(records).toContainEqual(expect.objectContaining({ type: 'addr', ref: addr, label: 'for Carol' }));
    expect(records.find((r) => r.type === 'tx')?.origin).toMatch(/^wpkh\(\[[0-9a-f]{8}\/84'\/1'\/0'\]\)$/);
    app.close();

    const fresh = await startApp('fresh.db');
    const restored = fresh.wallet.restore({ words, passphrase: '', name: 'Restored', network: 'regtest' }).id;
    const extra = '{"type":"xpub","ref":"not-an-xpub","label":"x"}\n{"type":"nope","ref":"1","label":"y"}\n';
    const result = fresh.coins.importLabels(restored, jsonl + extra);
    expect(result.imported).toBe(records.length);
    expect(result.errors).toEqual([{ line: records.length + 1, message: expect.stringMatching(/xpub/) }]);
    expect(result.warnings.map((w) => w.line)).toEqual([records.length + 2]);
    // Idempotent: importing again changes nothing.
    fresh.coins.importLabels(restored, jsonl);
    await until(
      'restored wallet synced',
      () => fresh.wallet.overview(restored).balance.confirmed === 100_000,
    );
    await fresh.wallet.idle();
    const coins = fresh.coins.listUtxos(restored);
    expect(coins.find((u) => u.outpoint === a!.outpoint)).toMatchObject({
      label: 'from Alice',
      frozen: false,
    });
    expect(coins.find((u) => u.outpoint === b!.outpoint)).toMatchObject({ txLabel: 'salary', frozen: true });
    expect(fresh.coins.exportLabels(restored)).toBe(jsonl);
    expect(fresh.coins.labels(restored)).toHaveLength(3);
  });
});
