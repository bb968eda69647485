import { FlashError } from '../../../shared/errors';
import { dialectOf, parseRelayFee } from '../electrum/dialect';
import { settledBatch } from '../electrum/settled';
import type { ElectrumClient, JsonValue } from '../electrum/types';

export interface FeeEstimates {
  /** sat/vB, may have up to 3 decimals. fast >= normal >= slow >= minimum. */
  fast: number;
  normal: number;
  slow: number;
  /** The server's relay floor (blockchain.relayfee), at least 1 sat/vB. */
  minimum: number;
  /** Block targets the presets aim for. */
  targets: { fast: number; normal: number; slow: number };
  /** Raw answers per target (sat/vB, null when the server could not estimate). */
  byTarget: Record<number, number | null>;
  /** Where each preset came from. */
  source: 'estimatefee' | 'histogram' | 'fallback';
  /** Presets the server's estimate put above what the mempool justifies, and what they were cut to. */
  inflated: InflatedPreset[];
}

export interface InflatedPreset {
  preset: 'fast' | 'normal' | 'slow';
  /** What the server's answers made of it, sat/vB. */
  suggested: number;
  /** What Flash uses instead, sat/vB. */
  cap: number;
}

/** With an empty mempool nothing justifies paying more than this many times the relay floor. */
export const EMPTY_MEMPOOL_CAP_FACTOR = 10;

export const FEE_TARGETS = [1, 3, 6, 12] as const;
const PRESET_TARGETS = { fast: 1, normal: 6, slow: 12 } as const;
/** Virtual bytes in one block: the histogram depth that "next block" has to beat. */
const BLOCK_VBYTES = 1_000_000;
/** Used when the server knows nothing at all (empty regtest/signet mempool). */
export const FALLBACK_RATE = 1;
/** BIP125 rule 4 and Bitcoin Core's default incremental relay fee, sat/vB. */
export const INCREMENTAL_RELAY_RATE = 1;
/** Rates above this are refused: almost certainly a typo (and bitcoinjs refuses above 5000). */
export const MAX_FEE_RATE = 2000;

/** BTC/kvB as the server sends it -> sat/vB with 3 decimals; null for -1 / garbage. */
export function btcPerKbToSatPerVb(value: JsonValue): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  // Round to whole sat/kvB first: the float from JSON is never used beyond this conversion.
  const satPerKvb = Math.round(value * 100_000_000);
  return satPerKvb > 0 ? satPerKvb / 1000 : null;
}

/**
 * The fee rate that gets a tx into the first `vbytes` of the mempool: walk the histogram
 * ([rate, vsize] pairs, highest rate first) until that depth; null when the mempool is shallower
 * (anything above the floor would do).
 */
export function histogramRate(histogram: JsonValue, vbytes: number): number | null {
  if (!Array.isArray(histogram)) return null;
  let depth = 0;
  for (const entry of histogram) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'number' || typeof entry[1] !== 'number') continue;
    depth += entry[1];
    if (depth >= vbytes) return Math.max(entry[0], 0);
  }
  return null;
}

/**
 * The most a preset may be, judged from the mempool itself rather than from the estimate: one
 * step above the best-paying band of the histogram (nothing waiting pays more, so more cannot buy
 * an earlier block), or 10x the relay floor when the mempool is empty. Null when the server gave
 * no histogram: nothing to judge by.
 */
export function feeCap(histogram: JsonValue, minimum: number): number | null {
  if (!Array.isArray(histogram)) return null;
  let top: number | null = null;
  for (const entry of histogram) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'number' || !Number.isFinite(entry[0])) continue;
    if (typeof entry[1] !== 'number' || entry[1] <= 0) continue;
    top = Math.max(top ?? 0, entry[0]);
  }
  if (top === null) return minimum * EMPTY_MEMPOOL_CAP_FACTOR;
  return Math.max(minimum, top + INCREMENTAL_RELAY_RATE);
}

/** Turns the server's answers into presets. Pure: unit-tested with made-up replies. */
export function feePresets(
  estimates: Record<number, number | null>,
  histogram: JsonValue,
  relayFee: number | null,
): FeeEstimates {
  const minimum = Math.max(relayFee ?? FALLBACK_RATE, FALLBACK_RATE);
  const hist1 = histogramRate(histogram, BLOCK_VBYTES);
  const hist3 = histogramRate(histogram, 3 * BLOCK_VBYTES);
  const hist12 = histogramRate(histogram, 12 * BLOCK_VBYTES);
  let source: FeeEstimates['source'] = 'estimatefee';
  const pick = (target: number, histFallback: number | null): number => {
    const est = estimates[target] ?? null;
    if (est !== null) return est;
    if (histFallback !== null) {
      if (source === 'estimatefee') source = 'histogram';
      return histFallback + INCREMENTAL_RELAY_RATE;
    }
    if (Array.isArray(histogram) && histogram.length > 0) {
      // The whole mempool is shallower than the target depth: the floor gets in.
      if (source === 'estimatefee') source = 'histogram';
      return minimum;
    }
    source = 'fallback';
    return minimum;
  };
  const cap = feeCap(histogram, minimum);
  const inflated: InflatedPreset[] = [];
  const capped = (preset: InflatedPreset['preset'], rate: number): number => {
    if (cap === null || rate <= cap) return rate;
    inflated.push({ preset, suggested: rate, cap });
    return cap;
  };
  let fast = capped('fast', pick(PRESET_TARGETS.fast, hist1));
  let normal = capped('normal', pick(PRESET_TARGETS.normal, hist3));
  let slow = capped('slow', pick(PRESET_TARGETS.slow, hist12));
  slow = Math.max(slow, minimum);
  normal = Math.max(normal, slow);
  fast = Math.max(fast, normal);
  return {
    fast,
    normal,
    slow,
    minimum,
    targets: { ...PRESET_TARGETS },
    byTarget: { ...estimates },
    source,
    inflated,
  };
}

/**
 * Asks the server in one flight and builds the presets. What is asked depends on the negotiated
 * protocol: 1.6 takes an estimate mode and gives the relay floor through `mempool.get_info`
 * (`blockchain.relayfee` is gone); 1.4 has `blockchain.relayfee` and no mode. Each answer stands
 * alone: a method this server lacks, or an estimate of -1, only leaves that input out.
 */
export async function fetchFeeEstimates(client: ElectrumClient): Promise<FeeEstimates> {
  const dialect = dialectOf(client);
  const estimateParams = (target: number): JsonValue[] =>
    // Conservative for the next block (it must not miss), economical for the rest.
    dialect.estimateFeeMode ? [target, target <= 1 ? 'CONSERVATIVE' : 'ECONOMICAL'] : [target];
  const calls = [
    ...FEE_TARGETS.map((t) => ({ method: 'blockchain.estimatefee', params: estimateParams(t) })),
    { method: 'mempool.get_fee_histogram', params: [] },
    { method: dialect.relayFee, params: [] },
  ];
  const replies = await settledBatch(client, calls);
  if (!client.isOpen) throw new FlashError('ELECTRUM_NOT_CONNECTED', 'The Electrum connection closed');
  const value = (i: number): JsonValue | null => {
    const r = replies[i];
    return r?.ok ? r.value : null;
  };
  const estimates: Record<number, number | null> = {};
  FEE_TARGETS.forEach((t, i) => {
    estimates[t] = btcPerKbToSatPerVb(value(i));
  });
  const relay = parseRelayFee(value(FEE_TARGETS.length + 1), dialect);
  return feePresets(estimates, value(FEE_TARGETS.length), relay === null ? null : btcPerKbToSatPerVb(relay));
}
