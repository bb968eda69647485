import type { OpContext } from './context';
import { toFlashError } from './errors';
import { sumPlain, toPlain } from './proof-codec';

/**
 * Restore from the recovery words (NUT-13 + NUT-09): for every keyset of every mint named,
 * inactive ones included, regenerate the deterministic outputs in batches of 100 from counter 0
 * until `gap` (at least 300) counters in a row were never signed; unblind what the mint signed,
 * keep what NUT-07 says is unspent, and move each counter past the last signed one, so new
 * outputs never collide with old ones ("outputs have already been signed").
 */

export const RESTORE_GAP = 300;
export const RESTORE_BATCH = 100;

export interface RestoreMintReport {
  mintUrl: string;
  ok: boolean;
  error: string | null;
  keysets: {
    id: string;
    unit: string;
    active: boolean;
    signed: number;
    unspent: number;
    amount: number;
    nextCounter: number;
  }[];
}

export async function restoreMint(
  ctx: OpContext,
  mintUrl: string,
  gap = RESTORE_GAP,
): Promise<RestoreMintReport> {
  const report: RestoreMintReport = { mintUrl, ok: true, error: null, keysets: [] };
  try {
    const keysets = ctx.mints.keysets(mintUrl);
    for (const ks of keysets) {
      const wallet = ctx.mints.wallet(mintUrl, ks.unit);
      await wallet.ensureOperableKeysets([ks.id]);
      const { proofs, lastCounterWithSignature } = await wallet.batchRestore(gap, RESTORE_BATCH, 0, ks.id);
      let unspent: ReturnType<typeof toPlain>[] = [];
      if (proofs.length > 0) {
        const states = await wallet.checkProofsStates(proofs);
        unspent = proofs.filter((_, i) => states[i]?.state === 'UNSPENT').map(toPlain);
        ctx.store.addProofs(ctx.network(), mintUrl, ks.unit, unspent, 'restore');
      }
      const next = lastCounterWithSignature === undefined ? 0 : lastCounterWithSignature + 1;
      if (next > 0) await wallet.counters.advanceToAtLeast(ks.id, next);
      report.keysets.push({
        id: ks.id,
        unit: ks.unit,
        active: ks.active,
        signed: proofs.length,
        unspent: unspent.length,
        amount: sumPlain(unspent),
        nextCounter: await wallet.counters.peekNext(ks.id),
      });
    }
    ctx.mints.markReachable(mintUrl, true);
  } catch (err) {
    const e = toFlashError(err, mintUrl);
    report.ok = false;
    report.error = e.message;
  }
  return report;
}
