import type { Network } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { Db } from '../store/database';
import type { LightningFailureKind, LightningProviderKind } from './provider';

/**
 * The Lightning payments journal (table `lightning_payments`, see migration 013 for the states).
 * Every outgoing payment is written here as 'sending' before its provider is asked to send it;
 * `beginSend` is the one gate, so a hash that is in flight or paid can never be sent again.
 */

export type JournalState =
  'sending' | 'pending' | 'succeeded' | 'failed' | 'refundable' | 'waiting-fee-acceptance';
export type Direction = 'incoming' | 'outgoing';

/** LUD-09/10 success action as stored (aes keeps ciphertext and iv, and the plaintext once known). */
export type StoredSuccessAction =
  | { tag: 'message'; message: string }
  | { tag: 'url'; description: string; url: string }
  | { tag: 'aes'; description: string; ciphertext: string; iv: string; plaintext: string | null };

export interface JournalRow {
  id: string;
  paymentHash: string | null;
  direction: Direction;
  providerId: string | null;
  providerKind: LightningProviderKind;
  network: Network;
  state: JournalState;
  amountMsat: bigint;
  feeMsat: bigint;
  feeLimitMsat: bigint | null;
  bolt11: string | null;
  description: string | null;
  counterparty: string | null;
  preimage: string | null;
  failure: LightningFailureKind | null;
  origin: string;
  comment: string | null;
  successAction: StoredSuccessAction | null;
  createdAt: number;
  updatedAt: number;
  settledAt: number | null;
  expiresAt: number | null;
}

interface RawRow {
  id: string;
  payment_hash: string | null;
  direction: string;
  provider_id: string | null;
  provider_kind: string;
  network: string;
  state: string;
  amount_msat: bigint;
  fee_msat: bigint;
  fee_limit_msat: bigint | null;
  bolt11: string | null;
  description: string | null;
  counterparty: string | null;
  preimage: string | null;
  failure: string | null;
  origin: string;
  comment: string | null;
  success_action: string | null;
  created_at: bigint;
  updated_at: bigint;
  settled_at: bigint | null;
  expires_at: bigint | null;
}

const num = (v: bigint | null): number | null => (v === null ? null : Number(v));

function fromRaw(r: RawRow): JournalRow {
  return {
    id: r.id,
    paymentHash: r.payment_hash,
    direction: r.direction as Direction,
    providerId: r.provider_id,
    providerKind: r.provider_kind as LightningProviderKind,
    network: r.network as Network,
    state: r.state as JournalState,
    amountMsat: r.amount_msat,
    feeMsat: r.fee_msat,
    feeLimitMsat: r.fee_limit_msat,
    bolt11: r.bolt11,
    description: r.description,
    counterparty: r.counterparty,
    preimage: r.preimage,
    failure: r.failure as LightningFailureKind | null,
    origin: r.origin,
    comment: r.comment,
    successAction: r.success_action === null ? null : (JSON.parse(r.success_action) as StoredSuccessAction),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    settledAt: num(r.settled_at),
    expiresAt: num(r.expires_at),
  };
}

export interface NewPayment {
  id: string;
  paymentHash: string | null;
  direction: Direction;
  providerId: string | null;
  providerKind: LightningProviderKind;
  network: Network;
  state: JournalState;
  amountMsat: bigint;
  feeMsat?: bigint;
  feeLimitMsat?: bigint | null;
  bolt11?: string | null;
  description?: string | null;
  counterparty?: string | null;
  preimage?: string | null;
  failure?: LightningFailureKind | null;
  origin?: string;
  comment?: string | null;
  successAction?: StoredSuccessAction | null;
  createdAt: number;
  settledAt?: number | null;
  expiresAt?: number | null;
}

export interface PaymentUpdate {
  state?: JournalState;
  feeMsat?: bigint;
  preimage?: string | null;
  failure?: LightningFailureKind | null;
  settledAt?: number | null;
  paymentHash?: string | null;
  amountMsat?: bigint;
  successAction?: StoredSuccessAction | null;
}

/** States in which a payment may still move money: never send its hash again. */
export const OPEN_STATES: readonly JournalState[] = ['sending', 'pending', 'waiting-fee-acceptance'];

export function createJournal(db: Db, now: () => number) {
  const select = (sql: string) => db.prepare(sql).safeIntegers(true);
  const byId = select('SELECT * FROM lightning_payments WHERE id = ?');
  const byHash = select('SELECT * FROM lightning_payments WHERE direction = ? AND payment_hash = ?');
  const insert = db.prepare(
    `INSERT INTO lightning_payments (id, payment_hash, direction, provider_id, provider_kind, network, state,
       amount_msat, fee_msat, fee_limit_msat, bolt11, description, counterparty, preimage, failure, origin,
       comment, success_action, created_at, updated_at, settled_at, expires_at)
     VALUES (@id, @paymentHash, @direction, @providerId, @providerKind, @network, @state, @amountMsat, @feeMsat,
       @feeLimitMsat, @bolt11, @description, @counterparty, @preimage, @failure, @origin, @comment, @successAction,
       @createdAt, @createdAt, @settledAt, @expiresAt)`,
  );
  const nowSec = () => Math.floor(now() / 1000);

  function insertRow(p: NewPayment): void {
    insert.run({
      id: p.id,
      paymentHash: p.paymentHash,
      direction: p.direction,
      providerId: p.providerId,
      providerKind: p.providerKind,
      network: p.network,
      state: p.state,
      amountMsat: p.amountMsat,
      feeMsat: p.feeMsat ?? 0n,
      feeLimitMsat: p.feeLimitMsat ?? null,
      bolt11: p.bolt11 ?? null,
      description: p.description ?? null,
      counterparty: p.counterparty ?? null,
      preimage: p.preimage ?? null,
      failure: p.failure ?? null,
      origin: p.origin ?? 'user',
      comment: p.comment ?? null,
      successAction: p.successAction ? JSON.stringify(p.successAction) : null,
      createdAt: p.createdAt,
      settledAt: p.settledAt ?? null,
      expiresAt: p.expiresAt ?? null,
    });
  }

  function get(id: string): JournalRow | null {
    const r = byId.get(id) as RawRow | undefined;
    return r ? fromRaw(r) : null;
  }
  function findByHash(direction: Direction, paymentHash: string): JournalRow | null {
    const r = byHash.get(direction, paymentHash) as RawRow | undefined;
    return r ? fromRaw(r) : null;
  }

  return {
    get,
    byHash: findByHash,

    /**
     * The gate before any network call: journals an outgoing payment as 'sending', in one
     * transaction with the check that its hash is not in flight or paid. A failed earlier
     * attempt is re-used (one row per hash). Returns the row id to update after the call.
     */
    beginSend(p: NewPayment): string {
      return db
        .transaction((): string => {
          if (p.paymentHash !== null) {
            const existing = findByHash('outgoing', p.paymentHash);
            if (existing && existing.state === 'succeeded')
              throw new FlashError('LIGHTNING_ALREADY_PAID', 'This invoice was already paid.', {
                paymentId: existing.id,
              });
            if (existing && existing.state !== 'failed')
              throw new FlashError(
                'LIGHTNING_PAYMENT_IN_FLIGHT',
                'A payment of this invoice is in progress.',
                {
                  paymentId: existing.id,
                },
              );
            if (existing) {
              db.prepare(
                `UPDATE lightning_payments SET state = 'sending', provider_id = @providerId, provider_kind = @providerKind,
                 amount_msat = @amountMsat, fee_msat = 0, fee_limit_msat = @feeLimitMsat, failure = NULL, preimage = NULL,
                 origin = @origin, comment = @comment, success_action = @successAction, counterparty = @counterparty,
                 updated_at = @now, settled_at = NULL WHERE id = @id`,
              ).run({
                id: existing.id,
                providerId: p.providerId,
                providerKind: p.providerKind,
                amountMsat: p.amountMsat,
                feeLimitMsat: p.feeLimitMsat ?? null,
                origin: p.origin ?? 'user',
                comment: p.comment ?? null,
                successAction: p.successAction ? JSON.stringify(p.successAction) : null,
                counterparty: p.counterparty ?? null,
                now: nowSec(),
              });
              return existing.id;
            }
          }
          insertRow({ ...p, direction: 'outgoing', state: 'sending' });
          return p.id;
        })
        .immediate();
    },

    /** Records a payment learned from elsewhere (an incoming invoice, the provider's history). */
    insertIfAbsent(p: NewPayment): JournalRow {
      return db
        .transaction((): JournalRow => {
          if (p.paymentHash !== null) {
            const existing = findByHash(p.direction, p.paymentHash);
            if (existing) return existing;
          }
          insertRow(p);
          return get(p.id) as JournalRow;
        })
        .immediate();
    },

    update(id: string, u: PaymentUpdate): JournalRow {
      const sets: string[] = ['updated_at = @now'];
      const params: Record<string, unknown> = { id, now: nowSec() };
      const put = (col: string, key: string, value: unknown) => {
        sets.push(`${col} = @${key}`);
        params[key] = value;
      };
      if (u.state !== undefined) put('state', 'state', u.state);
      if (u.feeMsat !== undefined) put('fee_msat', 'feeMsat', u.feeMsat);
      if (u.preimage !== undefined) put('preimage', 'preimage', u.preimage);
      if (u.failure !== undefined) put('failure', 'failure', u.failure);
      if (u.settledAt !== undefined) put('settled_at', 'settledAt', u.settledAt);
      if (u.paymentHash !== undefined) put('payment_hash', 'paymentHash', u.paymentHash);
      if (u.amountMsat !== undefined) put('amount_msat', 'amountMsat', u.amountMsat);
      if (u.successAction !== undefined)
        put('success_action', 'successAction', u.successAction ? JSON.stringify(u.successAction) : null);
      db.prepare(`UPDATE lightning_payments SET ${sets.join(', ')} WHERE id = @id`).run(params);
      const row = get(id);
      if (!row) throw new FlashError('LIGHTNING_PAYMENT_NOT_FOUND', 'No such payment.');
      return row;
    },

    /** Outgoing payments that may still move, and invoices not yet paid or expired. */
    open(network: Network): JournalRow[] {
      return (
        select(
          `SELECT * FROM lightning_payments WHERE network = ? AND state IN ('sending', 'pending', 'waiting-fee-acceptance')
           ORDER BY created_at`,
        ).all(network) as RawRow[]
      ).map(fromRaw);
    },

    /** Newest first. */
    list(network: Network, limit: number, offset: number): JournalRow[] {
      return (
        select(
          'SELECT * FROM lightning_payments WHERE network = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?',
        ).all(network, limit, offset) as RawRow[]
      ).map(fromRaw);
    },

    count(network: Network): number {
      const r = select('SELECT count(*) AS n FROM lightning_payments WHERE network = ?').get(network) as {
        n: bigint;
      };
      return Number(r.n);
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
