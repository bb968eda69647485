import type { Network, VaultStatus } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import type { PlainProof } from '../ecash/proof-codec';
import { createSealer } from '../ecash/sealing';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import type { PlainSecret } from './body';
import type { CheckSpent } from './ecash-check';
import { userTables } from './manifest';

/** A backup's unspent proof, opened with the backup's own eCash key. */
export interface BackupProof {
  y: string;
  network: Network;
  mintUrl: string;
  unit: string;
  proof: PlainProof;
}

/** What a merge will add to this profile's eCash, decided before its transaction. */
export interface EcashMergePlan {
  /** Unspent at the mint (or at a mint that did not answer) and not held here yet. */
  proofs: BackupProof[];
  alreadyHere: number;
  spentDropped: number;
  /** Reserved by an operation the backup's journal had open: see `planEcashMerge`. */
  inOpenOperations: number;
  unchecked: string[];
}

const EMPTY_PLAN: EcashMergePlan = {
  proofs: [],
  alreadyHere: 0,
  spentDropped: 0,
  inOpenOperations: 0,
  unchecked: [],
};

/**
 * The backup's secrets as a vault that is always open, so the eCash sealing code opens the
 * backup's proofs with the backup's key (the AAD of each proof names its Y, as here). It only
 * reads: anything that would change a vault is refused.
 */
function backupSecretsVault(secrets: readonly PlainSecret[]): VaultService {
  const byName = new Map(secrets.map((s) => [s.name, s.value]));
  const readOnly = (): never => {
    throw new FlashError('INTERNAL', 'The secrets of a backup are read only.');
  };
  const status: VaultStatus = { state: 'unlocked', autoLockMinutes: 0, failedAttempts: 0, retryAfterMs: 0 };
  return {
    status: () => status,
    setup: readOnly,
    unlock: readOnly,
    lock: () => status,
    touch: () => undefined,
    changePassword: readOnly,
    setAutoLock: readOnly,
    verifyPassword: readOnly,
    putSecret: readOnly,
    getSecret(name) {
      const value = byName.get(name);
      if (!value) throw new FlashError('BACKUP_DAMAGED', 'The backup lacks the key of its eCash.');
      return new Uint8Array(value);
    },
    hasSecret: (name) => byName.has(name),
    deleteSecret: readOnly,
    onLock: () => () => undefined,
    onUnlock: () => () => undefined,
    start: () => undefined,
    stop: () => undefined,
  };
}

/**
 * Opens the backup's unspent proofs, leaves out those this profile already holds (same Y), and asks
 * each mint (NUT-07, by Y only) which of the rest are spent: the computer the backup came from may
 * have spent them since. Runs before the merge's transaction, as it waits on the network.
 *
 * Proofs the backup had reserved for an open operation are not brought: the merge does not bring
 * that journal, and a reserved proof may sit in a token already handed to someone (a send), which
 * the mint still calls unspent until they claim it. They are counted for the report.
 */
export async function planEcashMerge(
  db: Db,
  snap: Db,
  secrets: readonly PlainSecret[],
  check: CheckSpent,
  log: Logger,
): Promise<EcashMergePlan> {
  if (!userTables(snap).includes('ecash_proofs')) return EMPTY_PLAN;
  const rows = snap
    .prepare<
      [],
      { y: string; network: Network; mint_url: string; unit: string; sealed: Uint8Array; state: string }
    >(
      `SELECT y, network, mint_url, unit, sealed, state FROM ecash_proofs
        WHERE state IN ('unspent', 'reserved') ORDER BY mint_url, y`,
    )
    .all();
  const inOpenOperations = rows.filter((r) => r.state === 'reserved').length;
  const held = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM ecash_proofs WHERE y = ?');
  const theirSealer = createSealer(backupSecretsVault(secrets));
  let alreadyHere = 0;
  const candidates: BackupProof[] = [];
  for (const r of rows) {
    if (r.state !== 'unspent') continue;
    if (held.get(r.y)) {
      alreadyHere++;
      continue;
    }
    let proof: PlainProof;
    try {
      proof = theirSealer.open<PlainProof>(`ecash.proof:${r.y}`, r.sealed);
    } catch (err) {
      if (err instanceof FlashError) throw err;
      throw new FlashError('BACKUP_DAMAGED', 'An eCash proof of the backup does not open with its key.');
    }
    candidates.push({ y: r.y, network: r.network, mintUrl: r.mint_url, unit: r.unit, proof });
  }

  const byMint = new Map<string, BackupProof[]>();
  for (const p of candidates) byMint.set(p.mintUrl, [...(byMint.get(p.mintUrl) ?? []), p]);
  const proofs: BackupProof[] = [];
  const unchecked: string[] = [];
  let spentDropped = 0;
  for (const [mintUrl, list] of byMint) {
    let spent: Set<string>;
    try {
      spent = await check(
        mintUrl,
        list.map((p) => p.y),
      );
    } catch (err) {
      // As in a full restore: kept, and a later spend of a spent one is refused by the mint.
      log.warn('mint not reachable to check merged eCash', {
        mint: mintUrl,
        error: err instanceof Error ? err.message : String(err),
      });
      unchecked.push(mintUrl);
      proofs.push(...list);
      continue;
    }
    for (const p of list) {
      if (spent.has(p.y)) spentDropped++;
      else proofs.push(p);
    }
  }
  return { proofs, alreadyHere, spentDropped, inOpenOperations, unchecked };
}

/**
 * NUT-13 counters: when this profile derives its eCash outputs from the same seed as the backup's,
 * outputs the backup's computer already had signed must never be derived again ("outputs have
 * already been signed"), so each counter moves up to the backup's. With another seed they are left:
 * skipping ahead would open a gap that recovery from the words (NUT-09) might stop at. A profile
 * that has not sealed a seed yet will derive it from words the merge may just have brought, so it
 * is treated as the same.
 */
export function sameEcashSeed(vault: VaultService, secrets: readonly PlainSecret[]): boolean {
  const theirs = secrets.find((s) => s.name === ECASH_SEED_SECRET);
  if (!theirs) return false;
  if (!vault.hasSecret(ECASH_SEED_SECRET)) return true;
  const mine = vault.getSecret(ECASH_SEED_SECRET);
  try {
    return Buffer.from(mine).equals(Buffer.from(theirs.value));
  } finally {
    mine.fill(0);
  }
}

const ECASH_SEED_SECRET = 'ecash.seed';
