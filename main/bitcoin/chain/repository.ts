import type { Db } from '../../store/database';
import type { BlockHeader } from './header';
import { parseHeader } from './header';
import type { HeaderStore, StoredHeader } from './header-chain';
import type { ChainNetwork } from './params';

export type ProofState = 'verified' | 'unverified' | 'failed';

export interface TxProof {
  txid: string;
  height: number;
  state: ProofState;
  reason: string | null;
  blockHash: string | null;
  pos: number | null;
  checkedAt: number;
}

export interface LieRecord {
  server: string;
  reason: string;
  detail: string;
  caughtAt: number;
}

export interface ChainRepository extends HeaderStore {
  getProof(txid: string): TxProof | null;
  setProof(proof: TxProof): void;
  /** Marks every verified proof at or above `height` unverified (their block was reorged away). */
  unverifyFrom(height: number, reason: string, at: number): string[];
  recordLie(lie: LieRecord): void;
  lies(server?: string): LieRecord[];
}

interface HeaderRow {
  height: number;
  header: Uint8Array;
  chainwork: string | null;
}
interface ProofRow {
  txid: string;
  height: number;
  state: ProofState;
  reason: string | null;
  block_hash: string | null;
  pos: number | null;
  checked_at: number;
}

const toWork = (w: bigint): string => w.toString(16).padStart(64, '0');
/** Parsed headers kept in memory per network: a retarget period's worth. */
const PARSED_HEADERS_KEPT = 2_016;

export function createChainRepository(db: Db, network: ChainNetwork): ChainRepository {
  const tipStmt = db.prepare<[string], HeaderRow>(
    `SELECT height, header, chainwork FROM chain_headers
      WHERE network = ? AND chainwork IS NOT NULL ORDER BY height DESC LIMIT 1`,
  );
  const getStmt = db.prepare<[string, number], HeaderRow>(
    'SELECT height, header, chainwork FROM chain_headers WHERE network = ? AND height = ?',
  );
  const deleteFrom = db.prepare<[string, number]>(
    'DELETE FROM chain_headers WHERE network = ? AND height >= ? AND chainwork IS NOT NULL',
  );
  const insert = db.prepare<[string, number, string, Uint8Array, string | null]>(
    `INSERT OR REPLACE INTO chain_headers (network, height, hash, header, chainwork) VALUES (?, ?, ?, ?, ?)`,
  );
  const getProofStmt = db.prepare<[string, string], ProofRow>(
    `SELECT txid, height, state, reason, block_hash, pos, checked_at FROM chain_tx_proofs
      WHERE network = ? AND txid = ?`,
  );
  const setProofStmt = db.prepare<
    [string, string, number, ProofState, string | null, string | null, number | null, number]
  >(
    `INSERT OR REPLACE INTO chain_tx_proofs (network, txid, height, state, reason, block_hash, pos, checked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const verifiedFrom = db.prepare<[string, number], { txid: string }>(
    `SELECT txid FROM chain_tx_proofs WHERE network = ? AND height >= ? AND state = 'verified'`,
  );
  const unverifyStmt = db.prepare<[string, number, string, number]>(
    `UPDATE chain_tx_proofs SET state = 'unverified', block_hash = NULL, reason = ?, checked_at = ?
      WHERE network = ? AND height >= ? AND state = 'verified'`,
  );
  const lieStmt = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO chain_server_lies (server, network, reason, detail, caught_at) VALUES (?, ?, ?, ?, ?)',
  );
  const liesStmt = db.prepare<
    [string],
    { server: string; reason: string; detail: string; caught_at: number }
  >('SELECT server, reason, detail, caught_at FROM chain_server_lies WHERE network = ? ORDER BY id');

  const toStored = (row: HeaderRow | undefined): StoredHeader | null =>
    row && row.chainwork !== null
      ? { height: row.height, header: parseHeader(row.header), chainwork: BigInt(`0x${row.chainwork}`) }
      : null;

  /**
   * Headers of the best chain already read, by height. WHY: verifying a wallet's proofs reads the
   * header of each transaction's block (5,000 reads over a few hundred blocks in a first sync) and
   * parsing one hashes it again; bounded, and dropped wherever the rows under it change.
   */
  const parsed = new Map<number, StoredHeader>();
  const forgetFrom = (height: number): void => {
    for (const h of parsed.keys()) if (h >= height) parsed.delete(h);
  };
  const cachedGet = (height: number): StoredHeader | null => {
    const hit = parsed.get(height);
    if (hit) return hit;
    const stored = toStored(getStmt.get(network, height));
    if (stored) {
      if (parsed.size >= PARSED_HEADERS_KEPT) {
        const oldest = parsed.keys().next().value;
        if (oldest !== undefined) parsed.delete(oldest);
      }
      parsed.set(height, stored);
    }
    return stored;
  };

  const replaceFrom = db.transaction((height: number, headers: readonly StoredHeader[]) => {
    forgetFrom(height);
    deleteFrom.run(network, height);
    for (const h of headers) {
      insert.run(network, h.height, h.header.hash, h.header.raw, toWork(h.chainwork));
    }
  });

  return {
    tip: () => toStored(tipStmt.get(network)),
    get: cachedGet,
    replaceFrom: (height, headers) => replaceFrom(height, headers),
    getIsolated(height): BlockHeader | null {
      const row = getStmt.get(network, height);
      return row && row.chainwork === null ? parseHeader(row.header) : null;
    },
    putIsolated(height, header) {
      parsed.delete(height);
      insert.run(network, height, header.hash, header.raw, null);
    },
    getProof(txid) {
      const row = getProofStmt.get(network, txid);
      return row
        ? {
            txid: row.txid,
            height: row.height,
            state: row.state,
            reason: row.reason,
            blockHash: row.block_hash,
            pos: row.pos,
            checkedAt: row.checked_at,
          }
        : null;
    },
    setProof(p) {
      setProofStmt.run(network, p.txid, p.height, p.state, p.reason, p.blockHash, p.pos, p.checkedAt);
    },
    unverifyFrom(height, reason, at) {
      const txids = verifiedFrom.all(network, height).map((r) => r.txid);
      unverifyStmt.run(reason, at, network, height);
      return txids;
    },
    recordLie(lie) {
      lieStmt.run(lie.server, network, lie.reason, lie.detail, lie.caughtAt);
    },
    lies(server) {
      return liesStmt
        .all(network)
        .filter((r) => server === undefined || r.server === server)
        .map((r) => ({ server: r.server, reason: r.reason, detail: r.detail, caughtAt: r.caught_at }));
    },
  };
}
