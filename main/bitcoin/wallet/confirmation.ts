import type { Network } from '../../../shared/contract';
import type { Db } from '../../store/database';
import type { ProofState } from '../chain/repository';

/**
 * The one place that decides whether a wallet transaction is confirmed. Balance, activity,
 * transaction details, coins, deposits and coin selection all ask here.
 *
 * The server's word that a transaction is in a block is not enough: it counts as confirmed only
 * once its merkle proof checked out against a header we validated ourselves (main/bitcoin/chain
 * records that per txid and height). Until then a mined transaction is "confirming". Confirmations
 * are counted from our own validated tip, never from the tip a server announces.
 */

/** What the wallet stores about a transaction's place in the chain. */
export interface ChainPosition {
  /** Electrum height as the server reported it: > 0 in a block, 0 or -1 in the mempool. */
  height: number;
  /** The SPV check recorded for the transaction at this same height; null when there is none. */
  proofState: ProofState | null;
}

/**
 * - 'mempool': not in a block;
 * - 'confirming': in a block says the server, but not verified yet (or its proof failed);
 * - 'confirmed': in a block, and verified.
 */
export type Standing = 'mempool' | 'confirming' | 'confirmed';

/** The SPV state as the contract shows it (ActivityItem.verification). */
export type Verification = 'mempool' | 'verified' | 'unverified' | 'failed';

/** The server says it is in a block. Only for what depends on the server's view alone (a mined tx cannot be replaced). */
export function isInBlock(p: Pick<ChainPosition, 'height'>): boolean {
  return p.height > 0;
}

export function isConfirmed(p: ChainPosition): boolean {
  return isInBlock(p) && p.proofState === 'verified';
}

export function standingOf(p: ChainPosition): Standing {
  if (!isInBlock(p)) return 'mempool';
  return isConfirmed(p) ? 'confirmed' : 'confirming';
}

export function verificationOf(p: ChainPosition): Verification {
  if (!isInBlock(p)) return 'mempool';
  return p.proofState ?? 'unverified';
}

/**
 * Blocks from the transaction's block up to our validated tip, both included; 0 until confirmed.
 * A verified proof means we hold the header at its height, so our tip is at least that high; the
 * floor of 1 only guards a tip read before a reorg's headers were stored.
 */
export function confirmationsOf(p: ChainPosition, validatedTip: number | null): number {
  if (!isConfirmed(p)) return 0;
  if (validatedTip === null) return 1;
  return Math.max(1, validatedTip - p.height + 1);
}

/**
 * SQL joining a wallet transaction (`txAlias`, with `height` and `txid`) to its proof at that same
 * height, given an expression for the network: select `p.state` as its proof state.
 */
export function proofJoinSql(txAlias: string, networkExpr: string, proofAlias = 'p'): string {
  return `LEFT JOIN chain_tx_proofs ${proofAlias} ON ${proofAlias}.network = ${networkExpr}
            AND ${proofAlias}.txid = ${txAlias}.txid AND ${proofAlias}.height = ${txAlias}.height`;
}

/** SQL for our validated tip height on a network (the best chain of main/bitcoin/chain), or NULL. */
export function validatedTipSql(networkExpr: string): string {
  return `(SELECT height FROM chain_headers WHERE network = ${networkExpr} AND chainwork IS NOT NULL
            ORDER BY height DESC LIMIT 1)`;
}

const tipStatements = new WeakMap<Db, (network: Network) => number | null>();

/** Our validated tip height on `network` (the chain service's tip()), or null before any header. */
export function validatedTip(db: Db, network: Network): number | null {
  let read = tipStatements.get(db);
  if (!read) {
    const stmt = db.prepare<[string], { height: number | null }>(`SELECT ${validatedTipSql('?')} AS height`);
    read = (n) => stmt.get(n)?.height ?? null;
    tipStatements.set(db, read);
  }
  return read(network);
}

/** What the wallet service needs from the SPV layer's events (ChainService.onTip). */
export interface ValidatedTipEvents {
  onTip(listener: (tip: { height: number; hash: string }) => void): () => void;
}
