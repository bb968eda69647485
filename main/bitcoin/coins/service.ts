import { Transaction } from 'bitcoinjs-lib';
import { FlashError } from '../../../shared/errors';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import type { Db } from '../../store/database';
import type { ProofState } from '../chain/repository';
import { confirmationsOf, proofJoinSql, validatedTipSql, verificationOf } from '../wallet/confirmation';
import type { Bip329Record, LabelType, LineIssue } from './bip329';
import {
  formatBip329,
  labelProblem,
  MAX_IMPORT_BYTES,
  MAX_LABEL_LENGTH,
  normalizeRef,
  parseBip329,
  walletOrigin,
} from './bip329';
import type { CsvCell } from './csv';
import { toCsv } from './csv';
import { CoinsError } from './errors';
import { computeFee } from './fee';

export interface CoinsDeps {
  db: Db;
  bus?: EventBus;
  log: Logger;
  now?: () => number;
}

export interface Utxo {
  txid: string;
  vout: number;
  outpoint: string;
  sats: number;
  address: string;
  chain: 0 | 1;
  index: number;
  /** > 0 block height; 0 / -1 unconfirmed (Electrum convention). */
  height: number;
  confirmations: number;
  frozen: boolean;
  /** The output's own label. */
  label: string | null;
  /** Labels it inherits for display: its address's and its funding transaction's. */
  addressLabel: string | null;
  txLabel: string | null;
}

export interface LabelEntry {
  type: LabelType;
  ref: string;
  label: string;
  origin: string | null;
}

export interface ImportResult {
  imported: number;
  skipped: number;
  errors: LineIssue[];
  warnings: LineIssue[];
}

export interface CoinsService {
  listUtxos(walletId: string): Utxo[];
  setFrozen(walletId: string, outpoints: readonly string[], frozen: boolean): { changed: number };
  setLabel(input: { walletId: string; type: LabelType; ref: string; label: string | null }): void;
  labels(walletId: string): LabelEntry[];
  exportLabels(walletId: string): string;
  importLabels(walletId: string, jsonl: string): ImportResult;
  exportHistoryCsv(walletId: string): string;
  start(): void;
  stop(): void;
}

export const HISTORY_CSV_COLUMNS = [
  'date',
  'txid',
  'direction',
  'amount_sats',
  'fee_sats',
  'fee_rate',
  'confirmations',
  'verification',
  'label',
] as const;

function splitOutpoint(outpoint: string): { txid: string; vout: number } {
  const ref = normalizeRef('output', outpoint);
  if (!ref) throw new CoinsError('BAD_REF', `${outpoint.slice(0, 80)} is not a txid:vout outpoint.`);
  const [txid, vout] = ref.split(':') as [string, string];
  return { txid, vout: Number(vout) };
}

/** Block time from an 80-byte header (little-endian u32 at byte 68), in ms. */
function headerTimeMs(header: Uint8Array): number {
  const b = Uint8Array.from(header);
  return new DataView(b.buffer).getUint32(68, true) * 1000;
}

/**
 * Coin control (list, freeze, unfreeze), BIP329 labels, and the CSV history export. Reads the
 * wallet tables owned by main/bitcoin/wallet; writes only wallet_frozen_outputs and wallet_labels.
 */
export function createCoinsService(deps: CoinsDeps): CoinsService {
  const { db, log } = deps;
  const now = deps.now ?? Date.now;
  const q = {
    wallet: db.prepare<
      [string],
      { network: string; fingerprint: string | null; account_path: string | null; account_type: string }
    >(`SELECT network, fingerprint, account_path, account_type FROM wallets WHERE id = ?`),
    utxos: db.prepare<
      [string],
      {
        txid: string;
        vout: number;
        value_sats: number;
        chain: 0 | 1;
        idx: number;
        address: string;
        height: number;
        proofState: ProofState | null;
        tip: number | null;
        frozen: number;
        label: string | null;
        addr_label: string | null;
        tx_label: string | null;
      }
    >(
      // Every join is on a primary key; the spent check uses wallet_tx_inputs_by_prevout.
      `SELECT o.txid, o.vout, o.value_sats, o.chain, o.idx, a.address, t.height, p.state AS proofState,
              ${validatedTipSql('w.network')} AS tip,
              (f.txid IS NOT NULL) AS frozen,
              lo.label AS label, la.label AS addr_label, lt.label AS tx_label
       FROM wallet_tx_outputs o
       JOIN wallets w ON w.id = o.wallet_id
       JOIN wallet_txs t ON t.wallet_id = o.wallet_id AND t.txid = o.txid
       JOIN wallet_addresses a ON a.wallet_id = o.wallet_id AND a.chain = o.chain AND a.idx = o.idx
       ${proofJoinSql('t', 'w.network')}
       LEFT JOIN wallet_frozen_outputs f ON f.wallet_id = o.wallet_id AND f.txid = o.txid AND f.vout = o.vout
       LEFT JOIN wallet_labels lo ON lo.wallet_id = o.wallet_id AND lo.type = 'output' AND lo.ref = o.txid || ':' || o.vout
       LEFT JOIN wallet_labels la ON la.wallet_id = o.wallet_id AND la.type = 'addr' AND la.ref = a.address
       LEFT JOIN wallet_labels lt ON lt.wallet_id = o.wallet_id AND lt.type = 'tx' AND lt.ref = o.txid
       WHERE o.wallet_id = ?
         AND NOT EXISTS (SELECT 1 FROM wallet_tx_inputs i
                         WHERE i.wallet_id = o.wallet_id AND i.prev_txid = o.txid AND i.prev_vout = o.vout)
       ORDER BY t.sort_height DESC, o.txid, o.vout`,
    ),
    ownedOutput: db.prepare<[string, string, number], { one: number }>(
      `SELECT 1 AS one FROM wallet_tx_outputs WHERE wallet_id = ? AND txid = ? AND vout = ?`,
    ),
    freeze: db.prepare<[string, string, number, number]>(
      `INSERT OR IGNORE INTO wallet_frozen_outputs (wallet_id, txid, vout, frozen_at) VALUES (?, ?, ?, ?)`,
    ),
    unfreeze: db.prepare<[string, string, number]>(
      `DELETE FROM wallet_frozen_outputs WHERE wallet_id = ? AND txid = ? AND vout = ?`,
    ),
    frozen: db.prepare<[string], { txid: string; vout: number }>(
      `SELECT txid, vout FROM wallet_frozen_outputs WHERE wallet_id = ? ORDER BY txid, vout`,
    ),
    upsertLabel: db.prepare<[string, string, string, string, string | null, number]>(
      `INSERT INTO wallet_labels (wallet_id, type, ref, label, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (wallet_id, type, ref) DO UPDATE SET
         label = excluded.label, origin = COALESCE(excluded.origin, wallet_labels.origin),
         updated_at = excluded.updated_at`,
    ),
    deleteLabel: db.prepare<[string, string, string]>(
      `DELETE FROM wallet_labels WHERE wallet_id = ? AND type = ? AND ref = ?`,
    ),
    labels: db.prepare<[string], { type: LabelType; ref: string; label: string; origin: string | null }>(
      `SELECT type, ref, label, origin FROM wallet_labels WHERE wallet_id = ? ORDER BY type, ref`,
    ),
    history: db.prepare<
      [string],
      {
        txid: string;
        net_sats: number;
        height: number;
        first_seen_at: number;
        direction: 'in' | 'out' | 'self';
        proof_state: 'verified' | 'unverified' | 'failed' | null;
        tip: number | null;
        header: Uint8Array | null;
        raw: Uint8Array | null;
        label: string | null;
      }
    >(
      `SELECT t.txid, t.net_sats, t.height, t.first_seen_at, t.direction, p.state AS proof_state,
              ${validatedTipSql('w.network')} AS tip,
              h.header, b.raw, l.label
       FROM wallet_txs t
       JOIN wallets w ON w.id = t.wallet_id
       ${proofJoinSql('t', 'w.network')}
       LEFT JOIN chain_headers h ON h.network = w.network AND h.height = t.height
       LEFT JOIN bitcoin_txs b ON b.txid = t.txid
       LEFT JOIN wallet_labels l ON l.wallet_id = t.wallet_id AND l.type = 'tx' AND l.ref = t.txid
       WHERE t.wallet_id = ?
       ORDER BY t.sort_height DESC, t.first_seen_at DESC, t.txid DESC`,
    ),
    raw: db.prepare<[string], { raw: Uint8Array }>(`SELECT raw FROM bitcoin_txs WHERE txid = ?`),
  };

  function requireWallet(walletId: string) {
    const w = q.wallet.get(walletId);
    if (!w) throw new FlashError('WALLET_NOT_FOUND', 'No such wallet.', { walletId });
    return w;
  }

  function changed(walletId: string): void {
    deps.bus?.emit('wallet.updated', { walletId });
  }

  function checkLabelRef(type: LabelType, ref: string): string {
    const norm = normalizeRef(type, ref.trim());
    if (!norm) throw new CoinsError('BAD_REF', `Not a valid ${type} reference.`, { type });
    return norm;
  }

  return {
    listUtxos(walletId) {
      requireWallet(walletId);
      return q.utxos.all(walletId).map((r) => ({
        txid: r.txid,
        vout: r.vout,
        outpoint: `${r.txid}:${r.vout}`,
        sats: r.value_sats,
        address: r.address,
        chain: r.chain,
        index: r.idx,
        height: r.height,
        confirmations: confirmationsOf(r, r.tip),
        frozen: r.frozen === 1,
        label: r.label,
        addressLabel: r.addr_label,
        txLabel: r.tx_label,
      }));
    },

    setFrozen(walletId, outpoints, frozen) {
      requireWallet(walletId);
      const coins = outpoints.map(splitOutpoint);
      const unknown = coins.filter((c) => !q.ownedOutput.get(walletId, c.txid, c.vout));
      if (unknown.length > 0) {
        throw new CoinsError(
          'UNKNOWN_COIN',
          `${unknown.length} of these coins are not outputs of this wallet.`,
          { coin: `${unknown[0]?.txid}:${unknown[0]?.vout}`, count: unknown.length },
        );
      }
      const at = now();
      const n = db.transaction(() => {
        let count = 0;
        for (const c of coins) {
          count += frozen
            ? q.freeze.run(walletId, c.txid, c.vout, at).changes
            : q.unfreeze.run(walletId, c.txid, c.vout).changes;
        }
        return count;
      })();
      if (n > 0) {
        log.info(frozen ? 'coins frozen' : 'coins unfrozen', { walletId, count: n });
        changed(walletId);
      }
      return { changed: n };
    },

    setLabel({ walletId, type, ref, label }) {
      requireWallet(walletId);
      const norm = checkLabelRef(type, ref);
      const text = label?.trim() ?? '';
      if ([...text].length > MAX_LABEL_LENGTH) {
        throw new CoinsError('LABEL_TOO_LONG', `A label has at most ${MAX_LABEL_LENGTH} characters.`);
      }
      const problem = labelProblem(text);
      if (problem === 'multiline') throw new CoinsError('BAD_REF', 'A label is a single line.');
      if (problem === 'control')
        throw new CoinsError('BAD_REF', 'A label cannot contain control characters.');
      if (text === '') q.deleteLabel.run(walletId, type, norm);
      else q.upsertLabel.run(walletId, type, norm, text, null, now());
      changed(walletId);
    },

    labels(walletId) {
      requireWallet(walletId);
      return q.labels.all(walletId);
    },

    exportLabels(walletId) {
      const w = requireWallet(walletId);
      const own = walletOrigin(w.fingerprint, w.account_path, w.account_type);
      const frozen = new Set(q.frozen.all(walletId).map((f) => `${f.txid}:${f.vout}`));
      const lines: string[] = [];
      for (const l of q.labels.all(walletId)) {
        const rec: Bip329Record = { type: l.type, ref: l.ref, label: l.label };
        // Imported labels keep their origin; ours name this wallet's account.
        const origin = l.origin ?? (l.type === 'tx' || l.type === 'output' ? own : undefined);
        if (origin) rec.origin = origin;
        if (l.type === 'output') {
          rec.spendable = !frozen.has(l.ref);
          frozen.delete(l.ref);
        }
        lines.push(formatBip329(rec));
      }
      // Frozen coins without a label still travel, as label-less spendable:false records.
      for (const ref of frozen) lines.push(formatBip329({ type: 'output', ref, spendable: false }));
      return lines.length ? lines.join('\n') + '\n' : '';
    },

    importLabels(walletId, jsonl) {
      requireWallet(walletId);
      const bytes = Buffer.byteLength(jsonl, 'utf8');
      if (bytes > MAX_IMPORT_BYTES) {
        throw new CoinsError('IMPORT_TOO_LARGE', 'The label file is larger than 5 MB.', {
          bytes,
          maxBytes: MAX_IMPORT_BYTES,
        });
      }
      const parsed = parseBip329(jsonl);
      const at = now();
      // One transaction: the valid lines land together; bad lines are reported, not fatal (BIP329).
      db.transaction(() => {
        for (const { record } of parsed.records) {
          if (record.label === null) q.deleteLabel.run(walletId, record.type, record.ref);
          else if (record.label !== undefined)
            q.upsertLabel.run(walletId, record.type, record.ref, record.label, record.origin ?? null, at);
          if (record.spendable !== undefined) {
            const { txid, vout } = splitOutpoint(record.ref);
            if (record.spendable) q.unfreeze.run(walletId, txid, vout);
            else q.freeze.run(walletId, txid, vout, at);
          }
        }
      })();
      log.info('labels imported', {
        walletId,
        imported: parsed.records.length,
        errors: parsed.errors.length,
      });
      if (parsed.records.length > 0) changed(walletId);
      return {
        imported: parsed.records.length,
        skipped: parsed.skipped + parsed.errors.length,
        errors: parsed.errors,
        warnings: parsed.warnings,
      };
    },

    exportHistoryCsv(walletId) {
      requireWallet(walletId);
      const cache = new Map<string, Transaction | null>();
      const prevTx = (txid: string): Transaction | null => {
        if (!cache.has(txid)) {
          const r = q.raw.get(txid);
          cache.set(txid, r ? Transaction.fromBuffer(r.raw) : null);
        }
        return cache.get(txid) ?? null;
      };
      const rows: CsvCell[][] = [];
      // .all(), not .iterate(): prevout lookups need the connection while the rows are walked.
      for (const r of q.history.all(walletId)) {
        let fee: ReturnType<typeof computeFee> | null = null;
        if (r.raw) {
          try {
            fee = computeFee(Transaction.fromBuffer(r.raw), prevTx);
          } catch {
            fee = null;
          }
        }
        const when = r.height > 0 && r.header ? headerTimeMs(r.header) : r.first_seen_at;
        rows.push([
          new Date(when).toISOString(),
          r.txid,
          r.direction,
          r.net_sats,
          fee?.feeSats ?? null,
          fee?.feeRate ?? null,
          confirmationsOf({ height: r.height, proofState: r.proof_state }, r.tip),
          verificationOf({ height: r.height, proofState: r.proof_state }),
          r.label,
        ]);
      }
      return toCsv(HISTORY_CSV_COLUMNS, rows);
    },

    start() {},
    stop() {},
  };
}
