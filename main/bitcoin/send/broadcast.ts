import { bytesToHex } from '@noble/hashes/utils.js';
import { isFlashError } from '../../../shared/errors';
import { dialectOf, parsePackageResult } from '../electrum/dialect';
import { rpcErrorKind } from '../electrum/rpc-errors';
import type { ElectrumClient, JsonValue } from '../electrum/types';
import type { SendContext } from './context';
import { SendError } from './errors';
import type { PaymentRow } from './journal';
import type { Rejection } from './rejections';
import { classifyRejection } from './rejections';

export interface BroadcastResult {
  draftId: string;
  txid: string;
  /** 'broadcasting': not taken yet (offline, or refused for a passing reason); retried with backoff. */
  state: 'broadcast' | 'broadcasting';
}

/** JSON-RPC "method not found": a server without the method, whatever its version says. */
const METHOD_NOT_FOUND = -32601;

/** The server's error reply to a request; null when no reply came (timeout, lost connection). */
function replyError(err: unknown): { code: number; message: string } | null {
  if (!isFlashError(err) || err.code !== 'ELECTRUM_PROTOCOL') return null;
  const code = err.details?.rpcCode;
  // A protocol failure without a reply code is a broken connection, not an answer.
  return typeof code === 'number' ? { code, message: err.message } : null;
}

const isUnknownMethod = (err: unknown, reply: { code: number }): boolean =>
  reply.code === METHOD_NOT_FOUND || rpcErrorKind(err) === 'unsupported';

type Outcome =
  { kind: 'accepted' } | { kind: 'unknown'; note: string } | { kind: 'refused'; rejection: Rejection };

/**
 * Sends journaled payments ('broadcasting' rows) to the server and moves them on:
 *
 *   broadcasting ── taken, or "already known" ──────────────────────────────> broadcast
 *   broadcasting ── refused for good (invalid), or its inputs are spent by
 *                   another transaction in our view of the chain and mempool ─> failed (coins freed)
 *   broadcasting ── no answer, or refused for a passing reason ──────────────> broadcasting
 *                   (coins stay reserved; the retry loop tries again with backoff)
 *
 * A CPFP child goes out together with its unconfirmed parent as one package
 * (`blockchain.transaction.broadcast_package`) when the server negotiated protocol 1.6, and one by
 * one otherwise or when the server turns out not to have the method.
 */
export function createBroadcaster(ctx: SendContext) {
  const { journal, reader, log } = ctx;
  const inFlight = new Map<string, Promise<BroadcastResult>>();

  /**
   * The transaction that holds one of this payment's inputs in our view of the chain and mempool,
   * or that the coin it spends is gone (its funding transaction left the wallet's history).
   * Before a bump is sent, the transaction it replaces holding its coins is expected, not a loss:
   * `replacedHolds` says whether that one counts (it does once the network refused the bump).
   */
  function inputsTaken(row: PaymentRow, replacedHolds: boolean): string | null {
    for (const input of journal.inputs(row.id)) {
      const other = reader
        .spenders(row.walletId, input.txid, input.vout)
        .find((t) => t !== row.txid && (replacedHolds || t !== row.replacesTxid));
      if (other) return `its coin ${input.txid}:${input.vout} was spent by ${other}`;
      const knewIt = reader.rawTx(input.txid) !== null;
      if (knewIt && !reader.tx(row.walletId, input.txid) && journal.liveByTxid(input.txid).length === 0) {
        return `the transaction funding ${input.txid}:${input.vout} is gone from the chain and mempool`;
      }
    }
    return null;
  }

  function current(row: PaymentRow): PaymentRow | null {
    const now = journal.get(row.id);
    return now && now.state === 'broadcasting' ? now : null;
  }

  function accepted(row: PaymentRow): void {
    if (!current(row)) return;
    journal.markBroadcast(row.id, ctx.now());
    ctx.changed(row.walletId);
  }

  function failed(row: PaymentRow, why: string): void {
    if (!current(row)) return;
    journal.transition(row.id, 'broadcasting', 'failed', ctx.now(), why.slice(0, 500));
    ctx.changed(row.walletId);
  }

  async function single(client: ElectrumClient, raw: Uint8Array, txid: string): Promise<Outcome> {
    try {
      const result = await client.request('blockchain.transaction.broadcast', [bytesToHex(raw)]);
      // Protocol 1.0 answered errors as a result string; later versions answer the txid.
      if (typeof result === 'string' && result.toLowerCase() !== txid) {
        if (/^[0-9a-f]{64}$/i.test(result)) {
          log.warn('server answered a different txid', { expected: txid, got: result });
          return { kind: 'accepted' };
        }
        return { kind: 'refused', rejection: classifyRejection(result) };
      }
      return { kind: 'accepted' };
    } catch (err) {
      const reply = replyError(err);
      if (!reply) return { kind: 'unknown', note: err instanceof Error ? err.message : String(err) };
      return { kind: 'refused', rejection: classifyRejection(reply.message) };
    }
  }

  /** Parent and child as one package; null when the server does not offer the method. */
  async function asPackage(
    client: ElectrumClient,
    parentRaw: Uint8Array,
    child: PaymentRow & { rawTx: Uint8Array; txid: string },
  ): Promise<Outcome | null> {
    let value: JsonValue;
    try {
      value = await client.request('blockchain.transaction.broadcast_package', [
        [bytesToHex(parentRaw), bytesToHex(child.rawTx)],
      ]);
    } catch (err) {
      const reply = replyError(err);
      if (!reply) return { kind: 'unknown', note: err instanceof Error ? err.message : String(err) };
      if (isUnknownMethod(err, reply)) return null;
      // A malformed package is answered as an error reply: the one-by-one path judges each tx.
      log.warn('package refused as a whole; sending one by one', { error: reply.message.slice(0, 200) });
      return null;
    }
    let result;
    try {
      result = parsePackageResult(value, dialectOf(client));
    } catch (err) {
      // A reply of the wrong shape says nothing about the transactions: ask again later.
      return { kind: 'unknown', note: err instanceof Error ? err.message : String(err) };
    }
    if (result.success) return { kind: 'accepted' };
    const mine = result.errors.find((e) => e.txid === child.txid) ?? result.errors[0];
    if (!mine) return { kind: 'unknown', note: 'broadcast_package failed without a reason' };
    return { kind: 'refused', rejection: classifyRejection(mine.error) };
  }

  async function attempt(row: PaymentRow & { rawTx: Uint8Array; txid: string }): Promise<BroadcastResult> {
    const pending: BroadcastResult = { draftId: row.id, txid: row.txid, state: 'broadcasting' };
    let client: ElectrumClient;
    try {
      client = ctx.deps.electrum.client();
    } catch (err) {
      if (!isFlashError(err)) throw err;
      journal.note(row.id, 'broadcasting', 'no server connected', ctx.now());
      return pending;
    }
    let outcome: Outcome | null = null;
    const parentTxid = row.parentTxid;
    const parentRaw = parentTxid ? (journal.byTxid(parentTxid)?.rawTx ?? reader.rawTx(parentTxid)) : null;
    const parentUnconfirmed = parentTxid ? (reader.tx(row.walletId, parentTxid)?.height ?? 0) <= 0 : false;
    if (parentRaw && parentUnconfirmed) {
      if (dialectOf(client).broadcastPackage) outcome = await asPackage(client, parentRaw, row);
      if (outcome === null) {
        // One by one: the parent first (it is usually in the mempool already), then the child.
        const parent = await single(client, parentRaw, parentTxid ?? '');
        if (parent.kind === 'refused' && parent.rejection.kind !== 'known') {
          log.info('parent of a CPFP child refused on its own', { reason: parent.rejection.reason });
        }
      }
    }
    outcome ??= await single(client, row.rawTx, row.txid);

    if (outcome.kind === 'accepted') {
      accepted(row);
      return { ...pending, state: 'broadcast' };
    }
    if (outcome.kind === 'unknown') {
      // The transaction may or may not have reached the server: the retry loop asks it later.
      log.warn('broadcast outcome unknown', { paymentId: row.id, error: outcome.note.slice(0, 200) });
      journal.note(row.id, 'broadcasting', outcome.note.slice(0, 500), ctx.now());
      return pending;
    }
    const { kind, reason } = outcome.rejection;
    if (kind === 'known') {
      accepted(row);
      return { ...pending, state: 'broadcast' };
    }
    if (kind === 'permanent') {
      failed(row, reason);
      throw new SendError('BROADCAST_REJECTED', `The network refused the transaction: ${reason}`, {
        txid: row.txid,
      });
    }
    if (kind === 'conflict') {
      // For a bump, the network keeping the original is the answer: it will not take this one.
      const taken = inputsTaken(row, true);
      if (taken) {
        failed(row, `${reason}: ${taken}`);
        throw new SendError('BROADCAST_REJECTED', `The network refused the transaction: ${taken}.`, {
          txid: row.txid,
        });
      }
    }
    // Transient, or a conflict our own view cannot confirm yet: keep it, coins reserved.
    journal.note(row.id, 'broadcasting', reason, ctx.now());
    ctx.changed(row.walletId);
    return pending;
  }

  return {
    /** Before sending: fails a pending payment whose coins went elsewhere; true when it did. */
    failIfTaken(row: PaymentRow): boolean {
      const taken = inputsTaken(row, false);
      if (!taken) return false;
      failed(row, taken);
      return true;
    },
    accepted,
    /** One attempt for a 'broadcasting' row; concurrent calls for the same row share it. */
    send(row: PaymentRow): Promise<BroadcastResult> {
      if (!row.rawTx || !row.txid) throw new Error(`payment ${row.id} has no signed tx`);
      const running = inFlight.get(row.id);
      if (running) return running;
      const signed = { ...row, rawTx: row.rawTx, txid: row.txid };
      const p = attempt(signed).finally(() => inFlight.delete(row.id));
      inFlight.set(row.id, p);
      return p;
    },
  };
}

export type Broadcaster = ReturnType<typeof createBroadcaster>;
