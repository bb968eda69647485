import type { Journal, JournalRow, PaymentUpdate } from './journal';
import { decryptAesAction } from './lnurl/pay';
import type { LightningPayment } from './provider';

/**
 * One helper decides what a provider's word about a payment means for the journal, whether the
 * word came as an event, as sendPayment's answer, or from a lookup after a restart.
 */

/** How long an outgoing payment the provider cannot find may stay pending before it is failed. */
export const LOST_PENDING_AFTER_SECONDS = 3600;

export interface ReconcileResult {
  row: JournalRow;
  /** The state changed (emit an event). */
  changed: boolean;
  /** An incoming payment just became paid. */
  paidNow: boolean;
}

/** The provider's view of a payment (null: it never heard of it) applied to a journal row. */
export function applyProviderState(
  journal: Journal,
  row: JournalRow,
  payment: LightningPayment | null,
  nowSec: number,
): ReconcileResult {
  const update: PaymentUpdate = {};
  if (payment === null) {
    if (row.direction === 'outgoing' && row.state === 'sending') {
      // Journaled but never handed over (the app stopped before the call, or the call never
      // arrived): nothing left, so it failed and may be paid again.
      update.state = 'failed';
      update.failure = 'unreachable';
      update.settledAt = nowSec;
    } else if (row.direction === 'outgoing' && nowSec - row.updatedAt > LOST_PENDING_AFTER_SECONDS) {
      update.state = 'failed';
      update.failure = 'timeout';
      update.settledAt = nowSec;
    } else if (row.direction === 'incoming' && row.expiresAt !== null && row.expiresAt <= nowSec) {
      update.state = 'failed';
      update.failure = 'expired';
    } else {
      return { row, changed: false, paidNow: false };
    }
  } else {
    if (payment.state === 'pending' && row.state === 'pending') {
      if (row.direction === 'incoming' && row.expiresAt !== null && row.expiresAt <= nowSec) {
        update.state = 'failed';
        update.failure = 'expired';
      } else return { row, changed: false, paidNow: false };
    } else if (payment.state === row.state && payment.state !== 'succeeded') {
      return { row, changed: false, paidNow: false };
    } else if (row.state === 'succeeded') {
      // A paid payment stays paid whatever a later, stale message says.
      return { row, changed: false, paidNow: false };
    } else {
      update.state = payment.state;
      if (payment.state === 'succeeded') {
        update.feeMsat = payment.feeMsat;
        update.preimage = payment.preimage;
        update.settledAt = payment.settledAt ?? nowSec;
        update.failure = null;
        if (row.direction === 'incoming' && payment.amountMsat > 0n) update.amountMsat = payment.amountMsat;
        if (row.successAction?.tag === 'aes' && payment.preimage)
          update.successAction = {
            ...row.successAction,
            plaintext: decryptAesAction(row.successAction, payment.preimage),
          };
      } else if (payment.state === 'failed') {
        update.failure = payment.failure ?? 'provider-error';
        update.settledAt = payment.settledAt ?? nowSec;
      }
      if (row.paymentHash === null && payment.paymentHash) update.paymentHash = payment.paymentHash;
    }
  }
  const next = journal.update(row.id, update);
  // 'sending' and 'pending' look the same to the user: moving between them is no news.
  const shown = (r: JournalRow) => (r.state === 'sending' ? 'pending' : r.state);
  return {
    row: next,
    changed: shown(next) !== shown(row) || next.failure !== row.failure,
    paidNow: row.direction === 'incoming' && row.state !== 'succeeded' && next.state === 'succeeded',
  };
}
