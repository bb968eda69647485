import type { Network } from '../../shared/contract/common';
import { FlashError } from '../../shared/errors';
import type { Db } from '../store/database';
import type { PlainProof } from './proof-codec';
import { proofY } from './proof-codec';
import type { Sealer } from './sealing';

/**
 * The eCash tables (migration 016): proofs (bearer parts sealed, see sealing.ts), the operations
 * journal and the mints. Every method is one SQLite statement or one transaction.
 */

export type ProofState = 'unspent' | 'reserved' | 'spent';

export interface ProofRow {
  y: string;
  mintUrl: string;
  unit: string;
  keysetId: string;
  amount: number;
  state: ProofState;
  opId: string | null;
}

export type OpKind = 'mint' | 'melt' | 'swap' | 'send' | 'receive' | 'move';

export interface OpRow {
  id: string;
  network: Network;
  kind: OpKind;
  mintUrl: string;
  unit: string;
  state: string;
  final: boolean;
  amount: number;
  fee: number;
  quoteId: string | null;
  request: string | null;
  parentId: string | null;
  counterparty: string | null;
  memo: string | null;
  error: string | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

interface RawOp {
  id: string;
  network: Network;
  kind: OpKind;
  mint_url: string;
  unit: string;
  state: string;
  final: number;
  amount: number;
  fee: number;
  quote_id: string | null;
  request: string | null;
  sealed: Uint8Array | null;
  parent_id: string | null;
  counterparty: string | null;
  memo: string | null;
  error: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
}

const opRow = (r: RawOp): OpRow => ({
  id: r.id,
  network: r.network,
  kind: r.kind,
  mintUrl: r.mint_url,
  unit: r.unit,
  state: r.state,
  final: r.final === 1,
  amount: r.amount,
  fee: r.fee,
  quoteId: r.quote_id,
  request: r.request,
  parentId: r.parent_id,
  counterparty: r.counterparty,
  memo: r.memo,
  error: r.error,
  attempts: r.attempts,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewOp {
  id: string;
  network: Network;
  kind: OpKind;
  mintUrl: string;
  unit: string;
  state: string;
  amount: number;
  fee?: number;
  quoteId?: string | null;
  request?: string | null;
  parentId?: string | null;
  counterparty?: string | null;
  memo?: string | null;
  payload?: unknown;
}

export interface OpPatch {
  state?: string;
  final?: boolean;
  fee?: number;
  amount?: number;
  quoteId?: string | null;
  request?: string | null;
  error?: string | null;
  payload?: unknown;
  attempt?: boolean;
}

export function createEcashStore(db: Db, sealer: Sealer, now: () => number = Date.now) {
  const proofAad = (y: string): string => `ecash.proof:${y}`;
  const opAad = (id: string): string => `ecash.op:${id}`;

  const insertProof = db.prepare(
    `INSERT INTO ecash_proofs (y, network, mint_url, unit, keyset_id, amount, sealed, state, op_id, created_by, created_at, updated_at)
     VALUES (@y, @network, @mint, @unit, @keyset, @amount, @sealed, @state, @op, @by, @now, @now)
     ON CONFLICT (y) DO NOTHING`,
  );

  const store = {
    db,

    // ── proofs ─────────────────────────────────────────────────────────────────────────────
    /**
     * Adds proofs we now hold. A proof already stored (same Y) is left as it is: the same money
     * arriving twice (a replayed swap, a restore) is counted once.
     */
    addProofs(
      network: Network,
      mintUrl: string,
      unit: string,
      proofs: readonly PlainProof[],
      createdBy: string | null,
      state: ProofState = 'unspent',
      opId: string | null = null,
    ): number {
      let added = 0;
      for (const p of proofs) {
        const y = proofY(p.secret);
        added += insertProof.run({
          y,
          network,
          mint: mintUrl,
          unit,
          keyset: p.id,
          amount: p.amount,
          sealed: sealer.seal(proofAad(y), p),
          state,
          op: opId,
          by: createdBy,
          now: now(),
        }).changes;
      }
      return added;
    },

    proofs(network: Network, mintUrl: string, unit: string, state: ProofState): ProofRow[] {
      return db
        .prepare<[Network, string, string, ProofState], Record<string, unknown>>(
          `SELECT y, mint_url, unit, keyset_id, amount, state, op_id FROM ecash_proofs
           WHERE network = ? AND mint_url = ? AND unit = ? AND state = ? ORDER BY amount DESC, y`,
        )
        .all(network, mintUrl, unit, state)
        .map(rowOf);
    },

    proofsOfOp(opId: string, state?: ProofState): ProofRow[] {
      const sql = `SELECT y, mint_url, unit, keyset_id, amount, state, op_id FROM ecash_proofs WHERE op_id = ?${state ? ' AND state = ?' : ''}`;
      const stmt = db.prepare<unknown[], Record<string, unknown>>(sql);
      return (state ? stmt.all(opId, state) : stmt.all(opId)).map(rowOf);
    },

    /** The bearer parts of stored proofs (needs the unlocked vault). */
    open(rows: readonly ProofRow[]): PlainProof[] {
      const stmt = db.prepare<[string], { sealed: Uint8Array }>(
        `SELECT sealed FROM ecash_proofs WHERE y = ?`,
      );
      return rows.map((r) => {
        const s = stmt.get(r.y);
        if (!s) throw new FlashError('INTERNAL', 'a stored proof vanished');
        return sealer.open<PlainProof>(proofAad(r.y), s.sealed);
      });
    },

    /**
     * Reserves unspent proofs for an operation (or takes them over from `takeFromOp`, e.g. a
     * reclaim from its send); fails with nothing changed if any is held elsewhere.
     */
    reserve(ys: readonly string[], opId: string, takeFromOp: string | null = null): void {
      const stmt = db.prepare(
        `UPDATE ecash_proofs SET state = 'reserved', op_id = ?, updated_at = ?
         WHERE y = ? AND (state = 'unspent' OR (state = 'reserved' AND op_id = ?))`,
      );
      db.transaction(() => {
        for (const y of ys)
          if (stmt.run(opId, now(), y, takeFromOp).changes !== 1)
            throw new FlashError('ECASH_PROOFS_BUSY', 'Some of these eCash proofs are already in use.');
      }).immediate();
    },

    setProofState(ys: readonly string[], state: ProofState, opId?: string | null): void {
      const stmt = db.prepare(
        `UPDATE ecash_proofs SET state = ?, op_id = COALESCE(?, op_id), updated_at = ? WHERE y = ?`,
      );
      db.transaction(() => {
        for (const y of ys) stmt.run(state, opId ?? null, now(), y);
      })();
    },

    /** Unspent and reserved sums per mint and unit of the network. */
    balances(network: Network): { mintUrl: string; unit: string; unspent: number; reserved: number }[] {
      return db
        .prepare<[Network], { mint_url: string; unit: string; unspent: number; reserved: number }>(
          `SELECT mint_url, unit,
                  SUM(CASE WHEN state = 'unspent' THEN amount ELSE 0 END) AS unspent,
                  SUM(CASE WHEN state = 'reserved' THEN amount ELSE 0 END) AS reserved
           FROM ecash_proofs WHERE network = ? AND state != 'spent' GROUP BY mint_url, unit`,
        )
        .all(network)
        .map((r) => ({ mintUrl: r.mint_url, unit: r.unit, unspent: r.unspent, reserved: r.reserved }));
    },

    // ── operations journal ─────────────────────────────────────────────────────────────────
    insertOp(op: NewOp): OpRow {
      const t = now();
      db.prepare(
        `INSERT INTO ecash_ops (id, network, kind, mint_url, unit, state, amount, fee, quote_id, request, sealed,
                                parent_id, counterparty, memo, created_at, updated_at)
         VALUES (@id, @network, @kind, @mint, @unit, @state, @amount, @fee, @quote, @request, @sealed,
                 @parent, @counterparty, @memo, @t, @t)`,
      ).run({
        id: op.id,
        network: op.network,
        kind: op.kind,
        mint: op.mintUrl,
        unit: op.unit,
        state: op.state,
        amount: op.amount,
        fee: op.fee ?? 0,
        quote: op.quoteId ?? null,
        request: op.request ?? null,
        sealed: op.payload === undefined ? null : sealer.seal(opAad(op.id), op.payload),
        parent: op.parentId ?? null,
        counterparty: op.counterparty ?? null,
        memo: op.memo ?? null,
        t,
      });
      return store.op(op.id) as OpRow;
    },

    updateOp(id: string, patch: OpPatch): OpRow {
      const sets: string[] = ['updated_at = @t'];
      const params: Record<string, unknown> = { id, t: now() };
      const set = (column: string, name: string, value: unknown): void => {
        sets.push(`${column} = @${name}`);
        params[name] = value;
      };
      if (patch.state !== undefined) set('state', 'state', patch.state);
      if (patch.final !== undefined) set('final', 'final', patch.final ? 1 : 0);
      if (patch.fee !== undefined) set('fee', 'fee', patch.fee);
      if (patch.amount !== undefined) set('amount', 'amount', patch.amount);
      if (patch.quoteId !== undefined) set('quote_id', 'quote', patch.quoteId);
      if (patch.request !== undefined) set('request', 'request', patch.request);
      if (patch.error !== undefined) set('error', 'error', patch.error);
      if (patch.attempt) sets.push('attempts = attempts + 1');
      if (patch.payload !== undefined) set('sealed', 'sealed', sealer.seal(opAad(id), patch.payload));
      db.prepare(`UPDATE ecash_ops SET ${sets.join(', ')} WHERE id = @id`).run(params);
      const row = store.op(id);
      if (!row) throw new FlashError('ECASH_OPERATION_NOT_FOUND', 'No such eCash operation.');
      return row;
    },

    /**
     * Moves an op from `from` to the patch only if it is still in `from` (compare-and-set), so two
     * steps racing on one op (a websocket notice and a user's click) cannot both journal outputs.
     */
    casOp(id: string, from: string, patch: OpPatch): OpRow | null {
      return db
        .transaction(() => {
          const cur = store.op(id);
          if (!cur || cur.state !== from) return null;
          return store.updateOp(id, patch);
        })
        .immediate();
    },

    op(id: string): OpRow | null {
      const r = db.prepare<[string], RawOp>(`SELECT * FROM ecash_ops WHERE id = ?`).get(id);
      return r ? opRow(r) : null;
    },

    payload<T>(id: string): T {
      const r = db
        .prepare<[string], { sealed: Uint8Array | null }>(`SELECT sealed FROM ecash_ops WHERE id = ?`)
        .get(id);
      if (!r?.sealed) throw new FlashError('INTERNAL', 'operation has no journaled payload');
      return sealer.open<T>(opAad(id), r.sealed);
    },

    openOps(network: Network): OpRow[] {
      return db
        .prepare<[Network], RawOp>(
          `SELECT * FROM ecash_ops WHERE network = ? AND final = 0 ORDER BY created_at`,
        )
        .all(network)
        .map(opRow);
    },

    listOps(network: Network, limit: number, offset: number, includeLegs = false): OpRow[] {
      return db
        .prepare<[Network, number, number], RawOp>(
          `SELECT * FROM ecash_ops WHERE network = ? ${includeLegs ? '' : 'AND parent_id IS NULL'}
           ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
        )
        .all(network, limit, offset)
        .map(opRow);
    },

    countOps(network: Network): number {
      return (
        db
          .prepare<[Network], { n: number }>(
            `SELECT COUNT(*) AS n FROM ecash_ops WHERE network = ? AND parent_id IS NULL`,
          )
          .get(network)?.n ?? 0
      );
    },

    childOps(parentId: string): OpRow[] {
      return db
        .prepare<[string], RawOp>(`SELECT * FROM ecash_ops WHERE parent_id = ? ORDER BY created_at`)
        .all(parentId)
        .map(opRow);
    },
  };
  return store;
}

export type EcashStore = ReturnType<typeof createEcashStore>;

function rowOf(r: Record<string, unknown>): ProofRow {
  return {
    y: r['y'] as string,
    mintUrl: r['mint_url'] as string,
    unit: r['unit'] as string,
    keysetId: r['keyset_id'] as string,
    amount: r['amount'] as number,
    state: r['state'] as ProofState,
    opId: (r['op_id'] as string | null) ?? null,
  };
}
