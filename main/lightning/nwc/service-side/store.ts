import type { Db } from '../../../store/database';
import type { NwcEncryption } from '../encryption';
import type { BudgetPeriod, BudgetSpend } from './budget';

export interface NwcConnectionRow {
  id: string;
  name: string;
  servicePubkey: string;
  clientPubkey: string;
  relays: string[];
  methods: string[];
  budgetSats: number;
  budgetPeriod: BudgetPeriod;
  /** Seconds since the epoch; null: never. */
  expiresAt: number | null;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface NwcRequestRow {
  eventId: string;
  connectionId: string;
  method: string;
  encryption: NwcEncryption;
  state: 'running' | 'answered';
  response: string | null;
}

export type NwcPaymentState = 'pending' | 'succeeded' | 'failed';

export interface NwcPaymentRow {
  connectionId: string;
  paymentHash: string;
  direction: 'outgoing' | 'incoming';
  requestEventId: string;
  invoice: string;
  description: string | null;
  amountMsat: bigint;
  feeMsat: bigint;
  state: NwcPaymentState;
  createdAt: number;
}

interface ConnectionDbRow {
  id: string;
  name: string;
  service_pubkey: string;
  client_pubkey: string;
  relays: string;
  methods: string;
  budget_sats: number;
  budget_period: BudgetPeriod;
  expires_at: number | null;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

interface PaymentDbRow {
  connection_id: string;
  payment_hash: string;
  direction: 'outgoing' | 'incoming';
  request_event_id: string;
  invoice: string;
  description: string | null;
  amount_msat: number | bigint;
  fee_msat: number | bigint;
  state: NwcPaymentState;
  created_at: number | bigint;
}

const toConnection = (r: ConnectionDbRow): NwcConnectionRow => ({
  id: r.id,
  name: r.name,
  servicePubkey: r.service_pubkey,
  clientPubkey: r.client_pubkey,
  relays: JSON.parse(r.relays) as string[],
  methods: JSON.parse(r.methods) as string[],
  budgetSats: r.budget_sats,
  budgetPeriod: r.budget_period,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

const toPayment = (r: PaymentDbRow): NwcPaymentRow => ({
  connectionId: r.connection_id,
  paymentHash: r.payment_hash,
  direction: r.direction,
  requestEventId: r.request_event_id,
  invoice: r.invoice,
  description: r.description,
  amountMsat: BigInt(r.amount_msat),
  feeMsat: BigInt(r.fee_msat),
  state: r.state,
  createdAt: Number(r.created_at),
});

/** The NWC service's tables (migration 011): connections, the request journal, payments. */
export function createNwcServiceStore(db: Db) {
  // msat can pass 2^53 only in theory (21M BTC is 2.1e18 msat): read them as BigInt to be exact.
  const paymentsOf = db
    .prepare<[string], PaymentDbRow>(
      `SELECT * FROM nwc_payments WHERE connection_id = ? AND direction = 'outgoing' ORDER BY created_at`,
    )
    .safeIntegers(true);
  const paymentByHash = db
    .prepare<[string, string], PaymentDbRow>(
      `SELECT * FROM nwc_payments WHERE payment_hash = ? AND direction = ? ORDER BY created_at DESC LIMIT 1`,
    )
    .safeIntegers(true);

  const spends = (connectionId: string): BudgetSpend[] =>
    paymentsOf.all(connectionId).map((r) => {
      const p = toPayment(r);
      return { amountMsat: p.amountMsat, feeMsat: p.feeMsat, state: p.state, createdAt: p.createdAt };
    });

  return {
    insertConnection(c: NwcConnectionRow): void {
      db.prepare(
        `INSERT INTO nwc_connections (id, name, service_pubkey, client_pubkey, relays, methods, budget_sats,
           budget_period, expires_at, created_at, revoked_at, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
      ).run(
        c.id,
        c.name,
        c.servicePubkey,
        c.clientPubkey,
        JSON.stringify(c.relays),
        JSON.stringify(c.methods),
        c.budgetSats,
        c.budgetPeriod,
        c.expiresAt,
        c.createdAt,
      );
    },
    connections(): NwcConnectionRow[] {
      return db
        .prepare<[], ConnectionDbRow>(`SELECT * FROM nwc_connections ORDER BY created_at DESC, id`)
        .all()
        .map(toConnection);
    },
    connection(id: string): NwcConnectionRow | null {
      const r = db.prepare<[string], ConnectionDbRow>(`SELECT * FROM nwc_connections WHERE id = ?`).get(id);
      return r ? toConnection(r) : null;
    },
    byServicePubkey(pubkey: string): NwcConnectionRow | null {
      const r = db
        .prepare<[string], ConnectionDbRow>(`SELECT * FROM nwc_connections WHERE service_pubkey = ?`)
        .get(pubkey);
      return r ? toConnection(r) : null;
    },
    revoke(id: string, at: number): boolean {
      return (
        db
          .prepare(`UPDATE nwc_connections SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`)
          .run(at, id).changes > 0
      );
    },
    touch(id: string, at: number): void {
      db.prepare(`UPDATE nwc_connections SET last_used_at = ? WHERE id = ?`).run(at, id);
    },
    /**
     * Records a request before anything is done about it. Returns the earlier record when this
     * event was seen before (another relay, a replay): the caller answers from it, or stays
     * silent while it is still running.
     */
    beginRequest(r: Omit<NwcRequestRow, 'state' | 'response'>, at: number): NwcRequestRow | null {
      const existing = db
        .prepare<
          [string],
          {
            state: 'running' | 'answered';
            response: string | null;
            method: string;
            encryption: NwcEncryption;
            connection_id: string;
          }
        >(`SELECT state, response, method, encryption, connection_id FROM nwc_requests WHERE event_id = ?`)
        .get(r.eventId);
      if (existing)
        return {
          eventId: r.eventId,
          connectionId: existing.connection_id,
          method: existing.method,
          encryption: existing.encryption,
          state: existing.state,
          response: existing.response,
        };
      db.prepare(
        `INSERT INTO nwc_requests (event_id, connection_id, method, encryption, received_at, state, response)
         VALUES (?, ?, ?, ?, ?, 'running', NULL)`,
      ).run(r.eventId, r.connectionId, r.method, r.encryption, at);
      return null;
    },
    finishRequest(eventId: string, response: string): void {
      db.prepare(`UPDATE nwc_requests SET state = 'answered', response = ? WHERE event_id = ?`).run(
        response,
        eventId,
      );
    },
    /** Requests left running by a crash: their answers are lost, their payments are looked up. */
    runningRequests(): NwcRequestRow[] {
      return db
        .prepare<[], { event_id: string; connection_id: string; method: string; encryption: NwcEncryption }>(
          `SELECT event_id, connection_id, method, encryption FROM nwc_requests WHERE state = 'running'`,
        )
        .all()
        .map((r) => ({
          eventId: r.event_id,
          connectionId: r.connection_id,
          method: r.method,
          encryption: r.encryption,
          state: 'running' as const,
          response: null,
        }));
    },
    spends,
    /**
     * Reserves a payment against the budget in the same transaction that checked it: `check`
     * sees the spends and decides; only then is the pending row written.
     */
    reserve<T extends { ok: boolean }>(row: NwcPaymentRow, check: (spends: BudgetSpend[]) => T): T {
      return db.transaction((): T => {
        const verdict = check(spends(row.connectionId));
        if (!verdict.ok) return verdict;
        db.prepare(
          `INSERT INTO nwc_payments (connection_id, payment_hash, direction, request_event_id, invoice,
             description, amount_msat, fee_msat, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (connection_id, payment_hash, direction) DO UPDATE SET
             request_event_id = excluded.request_event_id, amount_msat = excluded.amount_msat,
             fee_msat = excluded.fee_msat, state = excluded.state, created_at = excluded.created_at
           WHERE nwc_payments.state = 'failed'`,
        ).run(
          row.connectionId,
          row.paymentHash,
          row.direction,
          row.requestEventId,
          row.invoice,
          row.description,
          row.amountMsat,
          row.feeMsat,
          row.state,
          row.createdAt,
        );
        return verdict;
      })();
    },
    recordIncoming(row: NwcPaymentRow): void {
      db.prepare(
        `INSERT OR IGNORE INTO nwc_payments (connection_id, payment_hash, direction, request_event_id, invoice,
           description, amount_msat, fee_msat, state, created_at) VALUES (?, ?, 'incoming', ?, ?, ?, ?, 0, 'pending', ?)`,
      ).run(
        row.connectionId,
        row.paymentHash,
        row.requestEventId,
        row.invoice,
        row.description,
        row.amountMsat,
        row.createdAt,
      );
    },
    settle(
      connectionId: string,
      paymentHash: string,
      direction: 'outgoing' | 'incoming',
      state: NwcPaymentState,
      feeMsat: bigint | null,
      amountMsat: bigint | null = null,
    ): void {
      db.prepare(
        `UPDATE nwc_payments SET state = ?, fee_msat = COALESCE(?, fee_msat), amount_msat = COALESCE(?, amount_msat)
         WHERE connection_id = ? AND payment_hash = ? AND direction = ?`,
      ).run(state, feeMsat, amountMsat, connectionId, paymentHash, direction);
    },
    payment(paymentHash: string, direction: 'outgoing' | 'incoming'): NwcPaymentRow | null {
      const r = paymentByHash.get(paymentHash, direction);
      return r ? toPayment(r) : null;
    },
    /** A connection's own payments and invoices, newest first (what list_transactions shows it). */
    paymentsOfConnection(connectionId: string, limit: number, offset: number): NwcPaymentRow[] {
      return db
        .prepare<[string, number, number], PaymentDbRow>(
          `SELECT * FROM nwc_payments WHERE connection_id = ? ORDER BY created_at DESC, payment_hash
           LIMIT ? OFFSET ?`,
        )
        .safeIntegers(true)
        .all(connectionId, limit, offset)
        .map(toPayment);
    },
    ownPayment(connectionId: string, paymentHash: string): NwcPaymentRow | null {
      const r = db
        .prepare<[string, string], PaymentDbRow>(
          `SELECT * FROM nwc_payments WHERE connection_id = ? AND payment_hash = ?
           ORDER BY direction = 'outgoing' DESC LIMIT 1`,
        )
        .safeIntegers(true)
        .get(connectionId, paymentHash);
      return r ? toPayment(r) : null;
    },
    pendingPayments(): NwcPaymentRow[] {
      return db
        .prepare<[], PaymentDbRow>(`SELECT * FROM nwc_payments WHERE state = 'pending'`)
        .safeIntegers(true)
        .all()
        .map(toPayment);
    },
  };
}

export type NwcServiceStore = ReturnType<typeof createNwcServiceStore>;
