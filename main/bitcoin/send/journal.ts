import type { Db } from '../../store/database';

export type PaymentState =
  'drafted' | 'signed' | 'broadcasting' | 'broadcast' | 'confirmed' | 'failed' | 'replaced';
export type PaymentKind = 'send' | 'bump' | 'cpfp' | 'import';

export interface PaymentRow {
  id: string;
  walletId: string;
  kind: PaymentKind;
  state: PaymentState;
  psbt: Uint8Array;
  txid: string | null;
  rawTx: Uint8Array | null;
  amountSats: number;
  feeSats: number;
  vsize: number;
  feeRateSatPerKvb: number;
  changeSats: number;
  changeIndex: number | null;
  replacesTxid: string | null;
  parentTxid: string | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

interface DbRow {
  id: string;
  wallet_id: string;
  kind: PaymentKind;
  state: PaymentState;
  psbt: Uint8Array;
  txid: string | null;
  raw_tx: Uint8Array | null;
  amount_sats: number;
  fee_sats: number;
  vsize: number;
  fee_rate_sat_per_kvb: number;
  change_sats: number;
  change_index: number | null;
  replaces_txid: string | null;
  parent_txid: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

const toRow = (r: DbRow): PaymentRow => ({
  id: r.id,
  walletId: r.wallet_id,
  kind: r.kind,
  state: r.state,
  psbt: Uint8Array.from(r.psbt),
  txid: r.txid,
  rawTx: r.raw_tx ? Uint8Array.from(r.raw_tx) : null,
  amountSats: r.amount_sats,
  feeSats: r.fee_sats,
  vsize: r.vsize,
  feeRateSatPerKvb: r.fee_rate_sat_per_kvb,
  changeSats: r.change_sats,
  changeIndex: r.change_index,
  replacesTxid: r.replaces_txid,
  parentTxid: r.parent_txid,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Allowed transitions; anything else is a bug and throws.
 *
 *   drafted ──sign, raw tx written durably──> broadcasting ──server took it──> broadcast ──mined──> confirmed
 *                                               │  ▲                             │
 *                                               │  └── dropped from the mempool, └──> replaced (a bump of it
 *                                               │      re-send refused for now        was broadcast)
 *                                               ├──> failed: refused for good, or our view of the chain and
 *                                               │    mempool shows its inputs spent by another transaction
 *                                               └──> replaced: a bump of it was broadcast first
 *
 * A row in 'broadcasting' keeps its coins reserved and is retried with backoff for as long as it
 * can still confirm.
 */
const NEXT: Readonly<Record<PaymentState, readonly PaymentState[]>> = {
  drafted: ['signed', 'broadcasting', 'failed'],
  signed: ['broadcasting', 'failed'],
  broadcasting: ['broadcast', 'failed', 'replaced'],
  broadcast: ['confirmed', 'replaced', 'failed', 'broadcasting'],
  confirmed: [],
  failed: [],
  replaced: [],
};

/** States whose coins stay reserved: the payment may still confirm. */
export const LIVE_STATES: readonly PaymentState[] = ['signed', 'broadcasting', 'broadcast'];

/**
 * Runs `write` as one transaction that reaches the disk before it returns. The store runs WAL
 * with synchronous=NORMAL, which may lose the last commits on power loss; a signed transaction
 * must survive that, since the network may already have it.
 */
function durably(db: Db, write: () => void): void {
  const previous = db.pragma('synchronous', { simple: true });
  db.pragma('synchronous = FULL');
  try {
    db.transaction(write)();
  } finally {
    db.pragma(`synchronous = ${Number(previous)}`);
  }
}

export interface NewPayment {
  id: string;
  walletId: string;
  kind: PaymentKind;
  psbt: Uint8Array;
  amountSats: number;
  feeSats: number;
  vsize: number;
  feeRateSatPerKvb: number;
  changeSats: number;
  changeIndex: number | null;
  replacesTxid?: string | null;
  parentTxid?: string | null;
  inputs: readonly { txid: string; vout: number }[];
}

export function createJournal(db: Db) {
  const q = {
    insert: db.prepare(
      `INSERT INTO send_payments (id, wallet_id, kind, state, psbt, amount_sats, fee_sats, vsize, fee_rate_sat_per_kvb,
         change_sats, change_index, replaces_txid, parent_txid, created_at, updated_at)
       VALUES (@id, @walletId, @kind, 'drafted', @psbt, @amountSats, @feeSats, @vsize, @feeRateSatPerKvb,
         @changeSats, @changeIndex, @replacesTxid, @parentTxid, @now, @now)`,
    ),
    insertInput: db.prepare<[string, string, number]>(
      `INSERT OR IGNORE INTO send_payment_inputs (payment_id, prev_txid, prev_vout) VALUES (?, ?, ?)`,
    ),
    get: db.prepare<[string], DbRow>(`SELECT * FROM send_payments WHERE id = ?`),
    byTxid: db.prepare<[string], DbRow>(
      `SELECT * FROM send_payments WHERE txid = ? ORDER BY created_at DESC LIMIT 1`,
    ),
    inState: db.prepare<[string], DbRow>(`SELECT * FROM send_payments WHERE state = ? ORDER BY created_at`),
    list: db.prepare<[string, number], DbRow>(
      `SELECT * FROM send_payments WHERE wallet_id = ? ORDER BY created_at DESC LIMIT ?`,
    ),
    inputs: db.prepare<[string], { prev_txid: string; prev_vout: number }>(
      `SELECT prev_txid, prev_vout FROM send_payment_inputs WHERE payment_id = ?`,
    ),
    setState: db.prepare<[PaymentState, string | null, number, string, PaymentState]>(
      `UPDATE send_payments SET state = ?, error = ?, updated_at = ? WHERE id = ? AND state = ?`,
    ),
    setNote: db.prepare<[string | null, number, string, PaymentState]>(
      `UPDATE send_payments SET error = ?, updated_at = ? WHERE id = ? AND state = ?`,
    ),
    liveByTxid: db.prepare<[string], DbRow>(
      `SELECT * FROM send_payments WHERE txid = ? AND state IN ('signed', 'broadcasting', 'broadcast')`,
    ),
    liveSpending: db.prepare<[string], DbRow>(
      `SELECT DISTINCT p.* FROM send_payment_inputs i JOIN send_payments p ON p.id = i.payment_id
       WHERE i.prev_txid = ? AND p.state IN ('signed', 'broadcasting', 'broadcast')`,
    ),
    setSigned: db.prepare<
      [PaymentState, Uint8Array, string, Uint8Array, number, number, string, PaymentState]
    >(
      `UPDATE send_payments SET state = ?, psbt = ?, txid = ?, raw_tx = ?, fee_sats = ?, updated_at = ?
       WHERE id = ? AND state = ?`,
    ),
    deleteDrafts: db.prepare<[number]>(
      `DELETE FROM send_payments WHERE state = 'drafted' AND created_at < ?`,
    ),
  };

  const get = (id: string): PaymentRow | null => {
    const r = q.get.get(id);
    return r ? toRow(r) : null;
  };

  const transition = (
    id: string,
    from: PaymentState,
    to: PaymentState,
    now: number,
    error: string | null = null,
  ): void => {
    if (!NEXT[from].includes(to))
      throw new Error(`payment ${id}: ${from} -> ${to} is not a valid transition`);
    const res = q.setState.run(to, error, now, id, from);
    if (res.changes !== 1) throw new Error(`payment ${id} was not in state ${from}`);
  };

  return {
    insertDraft(p: NewPayment, now: number): void {
      db.transaction(() => {
        q.insert.run({
          ...p,
          replacesTxid: p.replacesTxid ?? null,
          parentTxid: p.parentTxid ?? null,
          now,
        });
        for (const i of p.inputs) q.insertInput.run(p.id, i.txid, i.vout);
      })();
    },
    get,
    byTxid(txid: string): PaymentRow | null {
      const r = q.byTxid.get(txid);
      return r ? toRow(r) : null;
    },
    inState(state: PaymentState): PaymentRow[] {
      return q.inState.all(state).map(toRow);
    },
    list(walletId: string, limit: number): PaymentRow[] {
      return q.list.all(walletId, limit).map(toRow);
    },
    inputs(id: string): { txid: string; vout: number }[] {
      return q.inputs.all(id).map((r) => ({ txid: r.prev_txid, vout: r.prev_vout }));
    },
    /**
     * Stores the signed tx (and the signed PSBT) with the state change, durably: after this
     * returns, the payment survives a crash or power loss and start-up completes it.
     */
    recordSigned(
      id: string,
      from: PaymentState,
      to: 'signed' | 'broadcasting',
      signed: { psbt: Uint8Array; txid: string; rawTx: Uint8Array; feeSats: number },
      now: number,
    ): void {
      if (!NEXT[from].includes(to))
        throw new Error(`payment ${id}: ${from} -> ${to} is not a valid transition`);
      durably(db, () => {
        const res = q.setSigned.run(
          to,
          signed.psbt,
          signed.txid,
          signed.rawTx,
          signed.feeSats,
          now,
          id,
          from,
        );
        if (res.changes !== 1) throw new Error(`payment ${id} was not in state ${from}`);
      });
    },
    transition,
    /** Keeps the state and records why the last attempt did not go through (shown to the user). */
    note(id: string, state: PaymentState, note: string | null, now: number): void {
      q.setNote.run(note, now, id, state);
    },
    /**
     * Marks a payment broadcast and, in the same transaction, what its broadcast ended: the
     * payment a bump replaced becomes 'replaced', and our later payments that spent from it (its
     * descendants, which the network evicted with it) become 'failed'.
     */
    markBroadcast(id: string, now: number): void {
      db.transaction(() => {
        transition(id, 'broadcasting', 'broadcast', now);
        const row = get(id);
        if (!row?.replacesTxid) return;
        for (const old of q.liveByTxid.all(row.replacesTxid)) {
          if (old.id === id) continue;
          transition(old.id, old.state, 'replaced', now);
          const queue = [row.replacesTxid];
          for (let txid = queue.shift(); txid !== undefined; txid = queue.shift()) {
            for (const child of q.liveSpending.all(txid)) {
              if (child.id === id) continue;
              transition(
                child.id,
                child.state,
                'failed',
                now,
                `cancelled: the fee bump ${row.txid} replaced ${txid}`,
              );
              if (child.txid) queue.push(child.txid);
            }
          }
        }
      })();
    },
    /** Live payments (coins reserved) with this txid. */
    liveByTxid(txid: string): PaymentRow[] {
      return q.liveByTxid.all(txid).map(toRow);
    },
    /** Live payments (coins reserved) that spend an output of `txid`. */
    liveSpending(txid: string): PaymentRow[] {
      return q.liveSpending.all(txid).map(toRow);
    },
    pruneDrafts(olderThan: number): void {
      q.deleteDrafts.run(olderThan);
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
