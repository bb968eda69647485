import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ElectrumClient, JsonValue } from '../../main/bitcoin/electrum/types';
import { FlashError } from '../../shared/errors';
import { feeCap, feePresets, fetchFeeEstimates } from '../../main/bitcoin/send/fees';
import { InflatedFeeNote } from '../../renderer/features/send/InflatedFeeNote';
import { I18nProvider } from '../../renderer/i18n';
import type { FeeEstimates } from '../../shared/contract/send';

describe('fee presets are judged against the mempool, not taken on the server’s word', () => {
  it('caps at one step above the best-paying band of the histogram', () => {
    expect(
      feeCap(
        [
          [40, 500_000],
          [12, 900_000],
        ],
        1,
      ),
    ).toBe(41);
    const p = feePresets(
      { 1: 800, 3: 300, 6: 30, 12: 10 },
      [
        [40, 500_000],
        [12, 900_000],
      ],
      1,
    );
    expect([p.fast, p.normal, p.slow]).toEqual([41, 30, 10]);
    expect(p.inflated).toEqual([{ preset: 'fast', suggested: 800, cap: 41 }]);
  });

  it('caps at 10x the relay floor when the mempool is empty, and judges nothing without a histogram', () => {
    expect(feeCap([], 2)).toBe(20);
    const empty = feePresets({ 1: 250, 3: 5, 6: 3, 12: 2 }, [], 2);
    expect(empty.fast).toBe(20);
    expect(empty.inflated).toEqual([{ preset: 'fast', suggested: 250, cap: 20 }]);
    const unknown = feePresets({ 1: 250, 3: 5, 6: 3, 12: 2 }, null, 2);
    expect(unknown.fast).toBe(250);
    expect(unknown.inflated).toEqual([]);
  });
});

/** A server stand-in that answers by method, for the version-dependent calls. */
function fakeClient(
  version: string,
  answers: Record<string, JsonValue | Error>,
): ElectrumClient & { seen: unknown[] } {
  const seen: unknown[] = [];
  const answer = (method: string, params: JsonValue[]): JsonValue => {
    seen.push([method, params]);
    const a = answers[method];
    if (a instanceof Error) throw a;
    if (a === undefined)
      throw new FlashError('ELECTRUM_PROTOCOL', `${method} failed: Unknown method`, {
        rpcCode: -32601,
        rpcKind: 'unsupported',
      });
    return a;
  };
  return {
    seen,
    server: { host: 'x', port: 1, transport: 'tcp' },
    protocolVersion: version,
    serverSoftware: 'fake',
    certificateFingerprint: null,
    isOpen: true,
    request: async (m, p) => answer(m, p),
    batch: async (calls) => calls.map((c) => answer(c.method, c.params)),
    onNotification: () => () => {},
    onClose: () => () => {},
    close: () => {},
  };
}

describe('fee estimates by protocol version', () => {
  it('1.6: estimatefee with a mode, the floor from mempool.get_info', async () => {
    const c = fakeClient('1.6', {
      'blockchain.estimatefee': 0.0002,
      'mempool.get_fee_histogram': [[30, 1_000_000]],
      'mempool.get_info': { mempoolminfee: 0.00003, minrelaytxfee: 0.00001, incrementalrelayfee: 0.00001 },
    });
    const fees = await fetchFeeEstimates(c);
    expect(fees.minimum).toBe(3);
    expect(fees.fast).toBe(20);
    expect(c.seen).toContainEqual(['blockchain.estimatefee', [1, 'CONSERVATIVE']]);
    expect(c.seen).toContainEqual(['blockchain.estimatefee', [6, 'ECONOMICAL']]);
    expect(c.seen.some((s) => (s as [string])[0] === 'blockchain.relayfee')).toBe(false);
  });

  it('1.4: no mode, blockchain.relayfee; -1 estimates fall back to the histogram', async () => {
    const c = fakeClient('1.4.2', {
      'blockchain.estimatefee': -1,
      'mempool.get_fee_histogram': [[30, 1_500_000]],
      'blockchain.relayfee': 0.00001,
    });
    const fees = await fetchFeeEstimates(c);
    expect(fees.source).toBe('histogram');
    expect(fees.fast).toBe(31);
    expect(c.seen).toContainEqual(['blockchain.estimatefee', [1]]);
    expect(c.seen).toContainEqual(['blockchain.relayfee', []]);
  });

  it('a method the server lacks leaves only that input out', async () => {
    const c = fakeClient('1.6', { 'blockchain.estimatefee': 0.00005 });
    const fees = await fetchFeeEstimates(c);
    expect(fees.minimum).toBe(1);
    expect(fees.fast).toBe(5);
  });
});

describe('the send form says when a preset was cut down', () => {
  const estimates: FeeEstimates = {
    fast: 41,
    normal: 30,
    slow: 10,
    minimum: 1,
    targets: { fast: 1, normal: 6, slow: 12 },
    source: 'estimatefee',
    inflated: [{ preset: 'fast', suggested: 800, cap: 41 }],
  };
  const text = (language: 'en' | 'es', e: FeeEstimates) =>
    renderToStaticMarkup(
      createElement(I18nProvider, { language, children: createElement(InflatedFeeNote, { estimates: e }) }),
    ).replace(/<[^>]+>/g, ' ');
  it('in English and Spanish', () => {
    expect(text('en', estimates)).toContain('The server suggested 800 sat/vB for “Fast”');
    expect(text('en', estimates)).toContain('Flash uses 41 sat/vB');
    expect(text('es', estimates)).toContain('El servidor sugirió 800 sat/vB para «Rápida»');
    expect(text('en', { ...estimates, inflated: [] }).trim()).toBe('');
  });
});
