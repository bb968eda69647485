import { describe, expect, it } from 'vitest';
import { P2WPKH_DUST, selectBnb, selectCoins, sendMax, useCoins } from '../../main/bitcoin/send/coin-select';
import { SendError } from '../../main/bitcoin/send/errors';
import { btcPerKbToSatPerVb, feePresets, histogramRate } from '../../main/bitcoin/send/fees';
import { dustThreshold, estimateVsize, feeFor } from '../../main/bitcoin/send/size';

const coin = (value: number, n = value) => ({ txid: n.toString(16).padStart(64, '0'), vout: 0, value });
const P2WPKH = 22;

describe('size and fee math', () => {
  it('prices P2WPKH transactions like Bitcoin Core does', () => {
    // 1 in, 2 out: 10.5 + 68 + 2 * 31 = 140.5 -> 141 vB
    expect(estimateVsize(1, [P2WPKH, P2WPKH])).toBe(141);
    expect(estimateVsize(1, [P2WPKH])).toBe(110); // 109.5
    expect(estimateVsize(2, [P2WPKH, P2WPKH])).toBe(209); // 208.5
    expect(estimateVsize(1, [34])).toBe(122); // P2WSH/P2TR output is 43 vB
    expect(feeFor(141, 2)).toBe(282);
    expect(feeFor(141, 1.5)).toBe(212); // 211.5 rounds up: the rate is never undershot
  });

  it('has Core dust thresholds', () => {
    expect(dustThreshold(new Uint8Array([0, 20, ...new Uint8Array(20)]))).toBe(294);
    expect(dustThreshold(new Uint8Array([0x51, 32, ...new Uint8Array(32)]))).toBe(330);
    expect(dustThreshold(new Uint8Array([0x76, 0xa9, 20, ...new Uint8Array(20), 0x88, 0xac]))).toBe(546);
    expect(dustThreshold(new Uint8Array([0xa9, 20, ...new Uint8Array(20), 0x87]))).toBe(540);
  });
});

describe('coin selection', () => {
  it('finds an exact changeless match with branch and bound', () => {
    const rate = 1;
    const target = 50_000;
    const exact = target + estimateVsize(2, [P2WPKH]) * rate; // two coins, one output, no change
    const coins = [coin(100_000, 1), coin(30_000, 2), coin(exact - 30_000, 3), coin(7_000, 4)];
    const bnb = selectBnb({ coins, outputs: [{ scriptLength: P2WPKH, value: target }], feeRate: rate });
    expect(bnb?.map((c) => c.value).sort()).toEqual([30_000, exact - 30_000].sort());
    const s = selectCoins({ coins, outputs: [{ scriptLength: P2WPKH, value: target }], feeRate: rate });
    expect(s.algorithm).toBe('bnb');
    expect(s.change).toBe(0);
    expect(s.fee).toBe(exact - target);
  });

  it('makes change when no exact match exists', () => {
    const coins = [coin(100_000, 1), coin(80_000, 2)];
    const s = selectCoins({ coins, outputs: [{ scriptLength: P2WPKH, value: 50_000 }], feeRate: 2 });
    expect(s.change).toBeGreaterThan(0);
    const total = s.inputs.reduce((a, c) => a + c.value, 0);
    expect(total).toBe(50_000 + s.change + s.fee);
    expect(s.fee).toBe(feeFor(estimateVsize(s.inputs.length, [P2WPKH, P2WPKH]), 2));
    expect(s.inputs.map((c) => c.value)).toEqual([80_000]); // smallest single coin that covers it
  });

  it('drops dust change into the fee', () => {
    const rate = 1;
    const target = 50_000;
    // 200 sats over a changeless fee: outside BnB's window (cost of change 99), and the change
    // it would leave after paying for its own output (169) is below the 294 dust limit.
    const value = target + estimateVsize(1, [P2WPKH]) * rate + 200;
    const s = selectCoins({
      coins: [coin(value)],
      outputs: [{ scriptLength: P2WPKH, value: target }],
      feeRate: rate,
    });
    expect(s.change).toBe(0);
    expect(s.fee).toBe(value - target);
    expect(s.fee).toBe(estimateVsize(1, [P2WPKH]) + 200);
    expect(s.fee - estimateVsize(1, [P2WPKH, P2WPKH])).toBeLessThan(P2WPKH_DUST);
  });

  it('throws a typed INSUFFICIENT_FUNDS', () => {
    try {
      selectCoins({ coins: [coin(10_000)], outputs: [{ scriptLength: P2WPKH, value: 10_000 }], feeRate: 1 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SendError);
      expect((err as SendError).reason).toBe('INSUFFICIENT_FUNDS');
      expect((err as SendError).details).toMatchObject({ availableSats: 10_000, neededSats: 10_000 });
    }
  });

  it('send-max spends everything into one output with no change', () => {
    const coins = [coin(10_000, 1), coin(20_000, 2), coin(30_000, 3)];
    const r = sendMax(coins, [], P2WPKH, 3, 294);
    expect(r.inputs).toHaveLength(3);
    expect(r.vsize).toBe(estimateVsize(3, [P2WPKH]));
    expect(r.amount + r.fee).toBe(60_000);
    expect(() => sendMax([coin(500)], [], P2WPKH, 3, 294)).toThrow(SendError);
  });

  it('manual coin choice spends exactly those coins', () => {
    const coins = [coin(40_000, 1), coin(40_000, 2)];
    const s = useCoins({ coins, outputs: [{ scriptLength: P2WPKH, value: 50_000 }], feeRate: 1 });
    expect(s.inputs).toHaveLength(2);
    expect(s.change).toBe(80_000 - 50_000 - s.fee);
    expect(() =>
      useCoins({ coins: [coin(40_000)], outputs: [{ scriptLength: P2WPKH, value: 50_000 }], feeRate: 1 }),
    ).toThrow(/do not cover/);
  });
});

describe('fee estimates', () => {
  it('converts BTC/kvB without float drift and treats -1 as unknown', () => {
    expect(btcPerKbToSatPerVb(0.00002)).toBe(2);
    expect(btcPerKbToSatPerVb(0.00001234)).toBe(1.234);
    expect(btcPerKbToSatPerVb(-1)).toBeNull();
    expect(btcPerKbToSatPerVb('x')).toBeNull();
  });

  it('reads the histogram depth', () => {
    const hist = [
      [50, 400_000],
      [20, 700_000],
      [5, 5_000_000],
    ];
    expect(histogramRate(hist, 1_000_000)).toBe(20);
    expect(histogramRate(hist, 3_000_000)).toBe(5);
    expect(histogramRate([], 1_000_000)).toBeNull();
  });

  it('builds monotone presets and falls back when the server cannot estimate', () => {
    const p = feePresets({ 1: 30, 3: 12, 6: 8, 12: 3 }, [[40, 500_000]], 1);
    expect([p.fast, p.normal, p.slow]).toEqual([30, 8, 3]);
    expect(p.source).toBe('estimatefee');
    expect(p.inflated).toEqual([]);
    const h = feePresets(
      { 1: null, 3: null, 6: null, 12: null },
      [
        [40, 1_500_000],
        [10, 3_000_000],
      ],
      1,
    );
    expect(h.source).toBe('histogram');
    expect(h.fast).toBe(41);
    expect(h.fast).toBeGreaterThanOrEqual(h.normal);
    const f = feePresets({ 1: null, 3: null, 6: null, 12: null }, [], null);
    expect([f.fast, f.normal, f.slow, f.minimum]).toEqual([1, 1, 1, 1]);
    expect(f.source).toBe('fallback');
    // A quirky server whose slow estimate beats its fast one still yields fast >= normal >= slow.
    const q = feePresets({ 1: 2, 3: 5, 6: 5, 12: 9 }, [], 1);
    expect(q.fast).toBeGreaterThanOrEqual(q.normal);
    expect(q.normal).toBeGreaterThanOrEqual(q.slow);
  });
});
