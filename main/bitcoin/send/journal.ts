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

/** Allowed transitions; anything else is a bug and throws. */
const NEXT: Readonly<Record<PaymentState, readonly PaymentState[]>> = {
  drafted: ['signed', 'broadcasting', 'failed'],
  signed: ['broadcasting', 'failed'],
  broadcasting: ['broadcast', 'failed'],
  broadcast: ['confirmed', 'replaced', 'failed'],
  confirmed: [],
  failed: [],
  replaced: [],
};

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
    /** Stores the signed tx (and the signed PSBT) atomically with the state change. */
    recordSigned(
      id: string,
      from: PaymentState,
      to: 'signed' | 'broadcasting',
      signed: { psbt: Uint8Array; txid: string; rawTx: Uint8Array; feeSats: number },
      now: number,
    ): void {
      if (!NEXT[from].includes(to))
        throw new Error(`payment ${id}: ${from} -> ${to} is not a valid transition`);
      const res = q.setSigned.run(to, signed.psbt, signed.txid, signed.rawTx, signed.feeSats, now, id, from);
      if (res.changes !== 1) throw new Error(`payment ${id} was not in state ${from}`);
    },
    transition,
    /** Marks a broadcast bump and the payment it replaced in one transaction. */
    markBroadcast(id: string, now: number): void {
      db.transaction(() => {
        transition(id, 'broadcasting', 'broadcast', now);
        const row = get(id);
        if (row?.replacesTxid) {
          const old = q.byTxid.get(row.replacesTxid);
          if (old && old.state === 'broadcast') transition(old.id, 'broadcast', 'replaced', now);
        }
      })();
    },
    pruneDrafts(olderThan: number): void {
      q.deleteDrafts.run(olderThan);
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
