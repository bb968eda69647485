import { SendError } from './errors';
import {
  dustOf,
  estimateVsize,
  feeFor,
  inputVbytes,
  outputVbytes,
  scriptLengthOf,
  type SpendType,
} from './size';

export interface Coin {
  txid: string;
  vout: number;
  value: number;
}

export interface SelectionInput<C extends Coin> {
  coins: readonly C[];
  /** Recipient output script lengths and amounts (without change). */
  outputs: readonly { scriptLength: number; value: number }[];
  feeRate: number;
  /** Rate at which a change output would be spent later (Core's discard/long-term rate). */
  longTermFeeRate?: number;
  /** Change below this is dropped into the fee (294 for P2WPKH change). */
  changeDust?: number;
  /** The account's script type: sets input and change sizes. P2WPKH when absent. */
  spendType?: SpendType;
}

export interface Selection<C extends Coin> {
  inputs: C[];
  /** 0 when no change output. */
  change: number;
  fee: number;
  vsize: number;
  algorithm: 'bnb' | 'largest-first' | 'single' | 'all';
}

export const P2WPKH_DUST = 294;
const BNB_MAX_TRIES = 100_000;

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function finish<C extends Coin>(
  input: SelectionInput<C>,
  inputs: C[],
  algorithm: Selection<C>['algorithm'],
): Selection<C> | null {
  const type = input.spendType ?? 'wpkh';
  const dust = input.changeDust ?? dustOf(type);
  const lens = input.outputs.map((o) => o.scriptLength);
  const pay = sum(input.outputs.map((o) => o.value));
  const total = sum(inputs.map((c) => c.value));
  const vsizeNoChange = estimateVsize(inputs.length, lens, type);
  const feeNoChange = feeFor(vsizeNoChange, input.feeRate);
  if (total < pay + feeNoChange) return null;
  const vsizeChange = estimateVsize(inputs.length, [...lens, scriptLengthOf(type)], type);
  const feeChange = feeFor(vsizeChange, input.feeRate);
  const change = total - pay - feeChange;
  if (algorithm !== 'bnb' && change >= dust) {
    return { inputs, change, fee: feeChange, vsize: vsizeChange, algorithm };
  }
  // No change: whatever is left over goes to the miner.
  return { inputs, change: 0, fee: total - pay, vsize: vsizeNoChange, algorithm };
}

/**
 * Branch and bound (Bitcoin Core's SelectCoinsBnB, after Murch's thesis): depth-first search over
 * coins sorted by effective value for a set that hits the target within the cost of a change
 * output, so no change is needed. Minimises waste; gives up after 100,000 tries.
 */
export function selectBnb<C extends Coin>(input: SelectionInput<C>): C[] | null {
  const rate = input.feeRate;
  const ltRate = input.longTermFeeRate ?? Math.min(rate, 10);
  const type = input.spendType ?? 'wpkh';
  const inFee = feeFor(inputVbytes(type), rate);
  const ltFee = feeFor(inputVbytes(type), ltRate);
  const lens = input.outputs.map((o) => o.scriptLength);
  // Marker and flag (half a vbyte) only exist when the inputs are segwit.
  const target =
    sum(input.outputs.map((o) => o.value)) +
    feeFor(estimateVsize(0, lens) + (type === 'pkh' ? 0 : 0.5), rate);
  const costOfChange = feeFor(outputVbytes(scriptLengthOf(type)), rate) + feeFor(inputVbytes(type), ltRate);
  const pool = input.coins
    .map((coin) => ({ coin, eff: coin.value - inFee }))
    .filter((u) => u.eff > 0)
    .sort((a, b) => b.eff - a.eff);
  let available = sum(pool.map((u) => u.eff));
  if (available < target) return null;
  const wastePer = inFee - ltFee;
  const selected: boolean[] = [];
  let value = 0;
  let waste = 0;
  let best: boolean[] | null = null;
  let bestWaste = Number.POSITIVE_INFINITY;
  for (let tries = 0; tries < BNB_MAX_TRIES; tries++) {
    let backtrack = false;
    if (value + available < target || value > target + costOfChange || (waste > bestWaste && wastePer > 0)) {
      backtrack = true;
    } else if (value >= target) {
      const total = waste + (value - target);
      if (total <= bestWaste) {
        best = [...selected];
        bestWaste = total;
      }
      backtrack = true;
    }
    if (backtrack) {
      while (selected.length > 0 && !selected[selected.length - 1]) {
        selected.pop();
        available += (pool[selected.length] as { eff: number }).eff;
      }
      if (selected.length === 0) break;
      const i = selected.length - 1;
      selected[i] = false;
      value -= (pool[i] as { eff: number }).eff;
      waste -= wastePer;
    } else {
      const i = selected.length;
      const u = pool[i] as { eff: number };
      available -= u.eff;
      const prev = pool[i - 1];
      // Skip a coin equal to one just excluded: the same subsets were already tried.
      if (i > 0 && !selected[i - 1] && prev && prev.eff === u.eff) {
        selected.push(false);
      } else {
        selected.push(true);
        value += u.eff;
        waste += wastePer;
      }
    }
  }
  if (!best) return null;
  return pool.filter((_, i) => best?.[i]).map((u) => u.coin);
}

/**
 * Picks coins for the outputs: BnB for a changeless match, else the smallest single coin that
 * covers everything with change, else largest-first. Throws INSUFFICIENT_FUNDS.
 */
export function selectCoins<C extends Coin>(input: SelectionInput<C>): Selection<C> {
  if (input.outputs.length === 0) throw new SendError('BAD_OUTPUTS', 'Nothing to pay.');
  const bnb = selectBnb(input);
  if (bnb) {
    const s = finish(input, bnb, 'bnb');
    if (s) return s;
  }
  const type = input.spendType ?? 'wpkh';
  const dust = input.changeDust ?? dustOf(type);
  const changeVbytes = outputVbytes(scriptLengthOf(type));
  const byValue = [...input.coins].sort((a, b) => a.value - b.value);
  for (const coin of byValue) {
    const s = finish(input, [coin], 'single');
    if (s && (s.change >= dust || s.fee <= feeFor(s.vsize + changeVbytes, input.feeRate))) return s;
  }
  const chosen: C[] = [];
  for (const coin of byValue.reverse()) {
    chosen.push(coin);
    const s = finish(input, [...chosen], 'largest-first');
    if (s) return s;
  }
  const available = sum(input.coins.map((c) => c.value));
  const need = sum(input.outputs.map((o) => o.value));
  throw new SendError(
    'INSUFFICIENT_FUNDS',
    `Not enough funds: ${available} sats available for ${need} sats plus fee.`,
    {
      availableSats: available,
      neededSats: need,
    },
  );
}

/** Uses exactly `coins` (manual coin choice): change if it is above dust. */
export function useCoins<C extends Coin>(input: SelectionInput<C>): Selection<C> {
  const s = finish(input, [...input.coins], 'all');
  if (!s) {
    throw new SendError('INSUFFICIENT_FUNDS', 'The chosen coins do not cover the amount plus fee.', {
      availableSats: sum(input.coins.map((c) => c.value)),
      neededSats: sum(input.outputs.map((o) => o.value)),
    });
  }
  return s;
}

/**
 * Send-max: every coin into one output (plus fixed ones), no change. Returns the amount the max
 * output receives. Throws when it would be dust.
 */
export function sendMax<C extends Coin>(
  coins: readonly C[],
  fixed: readonly { scriptLength: number; value: number }[],
  maxScriptLength: number,
  feeRate: number,
  maxDust: number,
  spendType: SpendType = 'wpkh',
): { inputs: C[]; amount: number; fee: number; vsize: number } {
  if (coins.length === 0) throw new SendError('INSUFFICIENT_FUNDS', 'There is nothing to send.');
  const vsize = estimateVsize(
    coins.length,
    [...fixed.map((o) => o.scriptLength), maxScriptLength],
    spendType,
  );
  const fee = feeFor(vsize, feeRate);
  const amount = sum(coins.map((c) => c.value)) - sum(fixed.map((o) => o.value)) - fee;
  if (amount < maxDust) {
    throw new SendError('INSUFFICIENT_FUNDS', 'After the fee, too little is left to send.', {
      availableSats: sum(coins.map((c) => c.value)),
      neededSats: fee + maxDust,
    });
  }
  return { inputs: [...coins], amount, fee, vsize };
}
