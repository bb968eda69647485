import { parseAddress } from '../../../shared/bitcoin/address';
import type { Selection } from './coin-select';
import { selectCoins, sendMax, useCoins } from './coin-select';
import type { SendContext } from './context';
import type { Draft, DraftView } from './draft-view';
import { SendError } from './errors';
import { MAX_FEE_RATE } from './fees';
import type { PsbtOutputSpec } from './psbt';
import { dustThreshold } from './size';
import type { WalletUtxo } from './wallet-reader';

export type SendOutput = { address: string; sats: number } | { address: string; max: true };

export interface PrepareInput {
  walletId: string;
  outputs: SendOutput[];
  /** sat/vB; up to 3 decimals. */
  feeRate: number;
  /** Manual coin choice ("txid:vout"); only these coins are spent. */
  coins?: string[];
}

export function checkFeeRate(rate: number): void {
  if (!Number.isFinite(rate) || rate < 1 || rate > MAX_FEE_RATE) {
    throw new SendError('BAD_FEE_RATE', `A fee rate is between 1 and ${MAX_FEE_RATE} sat/vB.`, {
      feeRate: rate,
    });
  }
}

/** The coins the user ticked, each checked to be a spendable coin of this wallet. */
function chosenCoins(ctx: SendContext, walletId: string, keys: readonly string[]): WalletUtxo[] {
  const all = new Map(ctx.reader.utxos(walletId).map((u) => [`${u.txid}:${u.vout}`, u]));
  // A coin named twice is still one coin (a transaction may not spend it twice).
  return [...new Set(keys)].map((key) => {
    const u = all.get(key);
    const [txid = '', vout = '-1'] = key.split(':');
    if (!u && ctx.reader.isFrozen(walletId, txid, Number(vout))) {
      throw new SendError('COIN_FROZEN', `${key} is frozen: unfreeze it before spending it.`, { coin: key });
    }
    if (!u)
      throw new SendError('UNKNOWN_COIN', `${key} is not a spendable coin of this wallet.`, { coin: key });
    return u;
  });
}

/**
 * A new payment. Journal: one 'drafted' row, no network call. Signing and broadcasting it is
 * confirm.ts's job (drafted → broadcasting → broadcast → confirmed).
 */
export function preparePayment(ctx: SendContext, view: DraftView, input: PrepareInput): Draft {
  const acct = ctx.account(input.walletId);
  checkFeeRate(input.feeRate);
  if (input.outputs.length === 0) throw new SendError('BAD_OUTPUTS', 'Add a recipient.');
  const maxCount = input.outputs.filter((o) => 'max' in o).length;
  if (maxCount > 1) throw new SendError('BAD_OUTPUTS', 'Only one output can take the maximum.');
  const parsed = input.outputs.map((o) => {
    const script = parseAddress(o.address, acct.network).scriptPubKey;
    if ('max' in o) return { script, value: 0, max: true };
    if (!Number.isSafeInteger(o.sats) || o.sats <= 0) {
      throw new SendError('BAD_OUTPUTS', 'An amount is a positive whole number of sats.');
    }
    const dust = dustThreshold(script);
    if (o.sats < dust) {
      throw new SendError('AMOUNT_BELOW_DUST', `${o.sats} sats is below the dust limit of ${dust} sats.`, {
        dustSats: dust,
      });
    }
    return { script, value: o.sats, max: false };
  });
  const coins = input.coins
    ? chosenCoins(ctx, input.walletId, input.coins)
    : ctx.defaultCoins(input.walletId);
  const fixed = parsed.filter((p) => !p.max);
  if (maxCount === 1) {
    const maxOut = parsed.find((p) => p.max) as { script: Uint8Array };
    const r = sendMax(
      coins,
      fixed.map((p) => ({ scriptLength: p.script.length, value: p.value })),
      maxOut.script.length,
      input.feeRate,
      dustThreshold(maxOut.script),
      acct.scriptType,
    );
    const outputs = parsed.map((p) => ({ script: p.script, value: p.max ? r.amount : p.value }));
    return view.save(acct, 'send', r.inputs.map(ctx.inputSpec), outputs, { changeIndex: null });
  }
  const selInput = {
    coins,
    outputs: fixed.map((p) => ({ scriptLength: p.script.length, value: p.value })),
    feeRate: input.feeRate,
    spendType: acct.scriptType,
  };
  const sel: Selection<WalletUtxo> = input.coins ? useCoins(selInput) : selectCoins(selInput);
  const outputs: PsbtOutputSpec[] = fixed.map((p) => ({ script: p.script, value: p.value }));
  let changeIndex: number | null = null;
  if (sel.change > 0) {
    const c = ctx.changeAddress(input.walletId);
    changeIndex = c.index;
    outputs.push({ script: c.scriptPubKey, value: sel.change, change: { chain: 1, index: c.index } });
  }
  return view.save(acct, 'send', sel.inputs.map(ctx.inputSpec), outputs, { changeIndex });
}
