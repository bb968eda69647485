import { Mint } from '@cashu/cashu-ts';
import type { Db } from '../store/database';
import type { Logger } from '../core/logger';

/** Asks a mint which of these Y values are spent (NUT-07). Injectable so tests can point at the stand-in. */
export type CheckSpent = (mintUrl: string, ys: string[]) => Promise<Set<string>>;

const BATCH = 100;

/** NUT-07 over HTTP with cashu-ts's Mint client: POST /v1/checkstate { Ys }. */
export const checkSpentWithMint: CheckSpent = async (mintUrl, ys) => {
  const mint = new Mint(mintUrl);
  const spent = new Set<string>();
  for (let i = 0; i < ys.length; i += BATCH) {
    const { states } = await mint.check({ Ys: ys.slice(i, i + BATCH) });
    for (const s of states) if (s.state === 'SPENT') spent.add(s.Y);
  }
  return spent;
};

/**
 * After a restore: a backup is a copy of bearer money, and the computer it came from may have spent
 * some of those proofs since. Each mint is asked (NUT-07, by Y only: nothing secret leaves) about
 * every proof the restore brought as unspent; the ones it calls SPENT are marked spent, so the
 * balance never counts money that is gone. Reserved proofs belong to an open operation in the
 * restored journal, which settles them itself when the eCash service resumes it. A mint that
 * does not answer leaves its proofs as they were (listed in the report); a later spend of a spent
 * proof is refused by the mint and settled by the journal, so nothing can be counted twice.
 */
export async function dropSpentProofs(
  db: Db,
  check: CheckSpent,
  log: Logger,
): Promise<{ dropped: number; unchecked: string[] }> {
  const rows = db
    .prepare<[], { mint_url: string; y: string }>(
      `SELECT mint_url, y FROM ecash_proofs WHERE state = 'unspent' ORDER BY mint_url, y`,
    )
    .all();
  const byMint = new Map<string, string[]>();
  for (const r of rows) byMint.set(r.mint_url, [...(byMint.get(r.mint_url) ?? []), r.y]);
  const markSpent = db.prepare(
    `UPDATE ecash_proofs SET state = 'spent', updated_at = ? WHERE y = ? AND state = 'unspent'`,
  );
  let dropped = 0;
  const unchecked: string[] = [];
  for (const [mintUrl, ys] of byMint) {
    let spent: Set<string>;
    try {
      spent = await check(mintUrl, ys);
    } catch (err) {
      log.warn('mint not reachable to check restored eCash', {
        mint: mintUrl,
        error: err instanceof Error ? err.message : String(err),
      });
      unchecked.push(mintUrl);
      continue;
    }
    const now = Date.now();
    db.transaction(() => {
      for (const y of ys) if (spent.has(y)) dropped += markSpent.run(now, y).changes;
    })();
  }
  return { dropped, unchecked };
}
