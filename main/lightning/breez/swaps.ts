import { randomUUID } from 'node:crypto';
import type {
  FeeQuoteView,
  LightningPaymentView,
  Network,
  OnchainReceiveView,
  PreparedOnchainSend,
  RefundableSwapView,
  SwapLimitsView,
} from '../../../shared/contract';
import { parseAddress } from '../../../shared/bitcoin/address';
import { FlashError } from '../../../shared/errors';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import { DEFINITE_FAILURES, FAILURE_CODE, failureKindOf, toFlashError } from '../errors';
import type { Journal, JournalRow } from '../journal';
import type { LightningCapability, PreparedPayment } from '../provider';
import type { LiveProvider, ProviderManager } from '../providers';
import { applyProviderState } from '../reconcile';
import { paymentView } from '../views';

/**
 * Swaps between Lightning and on-chain bitcoin on backends that run them (Breez): limits,
 * receiving to a Bitcoin address, paying one from the Lightning balance (journaled like every
 * payment), refunds of failed swaps, and accepting a swap's changed fee.
 *
 * Refunds are not journaled: the money goes from a swap address that only our keys can spend to
 * an address the user chose, a second refund spends the same coin (it replaces the first), and
 * the SDK keeps the refund's state itself; a crash loses nothing.
 */

export const PREPARED_SWAP_TTL_MS = 10 * 60_000;
/** Journal origin of a payment to a Bitcoin address from the Lightning balance. */
export const SWAP_OUT_ORIGIN = 'swap-out';

const sats = (msat: bigint): number => Number(msat / 1000n);

export interface SwapsDeps {
  journal: Journal;
  providers: ProviderManager;
  network(): Network;
  bus: EventBus;
  log: Logger;
  now(): number;
}

interface PreparedEntry {
  providerId: string;
  createdAt: number;
  prepared: PreparedPayment;
  address: string;
}

export function createSwaps(deps: SwapsDeps) {
  const prepared = new Map<string, PreparedEntry>();
  const nowSec = () => Math.floor(deps.now() / 1000);
  const emit = (row: JournalRow) => deps.bus.emit('lightning.payment', paymentView(row));

  function able(live: LiveProvider, capability: LightningCapability): boolean {
    return live.info?.capabilities.includes(capability) ?? false;
  }

  /** The named provider, or the default, or else the first connected one that can do this. */
  function pick(capability: LightningCapability, providerId?: string): LiveProvider {
    if (providerId !== undefined) {
      const live = deps.providers.require(providerId);
      if (!able(live, capability))
        throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'This Lightning wallet has no swaps.', {
          providerId,
          what: capability,
        });
      return live;
    }
    try {
      const live = deps.providers.require();
      if (able(live, capability)) return live;
    } catch {
      // No usable default: look for another wallet that can.
    }
    const other = deps.providers.all().find((l) => l.state === 'connected' && able(l, capability));
    if (!other)
      throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'No connected Lightning wallet has swaps.', {
        what: capability,
      });
    return other;
  }

  async function ask<T>(fn: () => Promise<T> | undefined): Promise<T> {
    try {
      const out = fn();
      if (out === undefined)
        throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'This Lightning wallet has no swaps.');
      return await out;
    } catch (err) {
      throw toFlashError(err);
    }
  }

  function checkAddress(address: string): void {
    // Throws the typed address error (wrong network, bad checksum) before anything is asked.
    parseAddress(address, deps.network());
  }

  function prune(): void {
    for (const [id, e] of prepared) if (deps.now() - e.createdAt > PREPARED_SWAP_TTL_MS) prepared.delete(id);
  }

  async function lookUp(live: LiveProvider, row: JournalRow): Promise<JournalRow> {
    try {
      const found =
        row.paymentHash !== null
          ? await live.provider.lookupPayment(row.paymentHash)
          : await live.provider.lookupByDestination?.(row.counterparty ?? '', row.createdAt - 60);
      if (found === undefined) return row;
      const result = applyProviderState(deps.journal, row, found, nowSec());
      if (result.changed) emit(result.row);
      return result.row;
    } catch (err) {
      deps.log.warn('swap lookup failed', { id: row.id, code: toFlashError(err).code });
      return row;
    }
  }

  function rowOf(paymentId: string): { row: JournalRow; live: LiveProvider } {
    const row = deps.journal.get(paymentId);
    if (!row || row.network !== deps.network() || row.paymentHash === null || row.providerId === null)
      throw new FlashError('LIGHTNING_PAYMENT_NOT_FOUND', 'No such Lightning payment.');
    return { row, live: deps.providers.require(row.providerId) };
  }

  return {
    /** The default swap-capable wallet's limits; null when none is connected. */
    async limits(providerId?: string): Promise<SwapLimitsView | null> {
      let live: LiveProvider;
      try {
        live = pick('onchain-receive', providerId);
      } catch (err) {
        if (providerId === undefined && err instanceof FlashError && err.code === 'LIGHTNING_NOT_SUPPORTED')
          return null;
        throw err;
      }
      const l = await ask(() => live.provider.limits());
      const range = (r: { minMsat: bigint; maxMsat: bigint }) => ({
        minSats: sats(r.minMsat),
        maxSats: sats(r.maxMsat),
      });
      return {
        providerId: live.row.id,
        lightning: { send: range(l.send), receive: range(l.receive) },
        onchain:
          l.onchainSend && l.onchainReceive
            ? { send: range(l.onchainSend), receive: range(l.onchainReceive) }
            : null,
      };
    },

    async receiveOnchain(input: { providerId?: string; amountSats?: number }): Promise<OnchainReceiveView> {
      const live = pick('onchain-receive', input.providerId);
      const r = await ask(() => live.provider.receiveOnchain?.(input.amountSats));
      return {
        providerId: live.row.id,
        address: r.address,
        bip21: r.bip21,
        amountSats: input.amountSats ?? null,
        feeSats: sats(r.feeMsat),
        feeRatePercent: r.feeRatePercent ?? null,
        minSats: sats(r.limits.minMsat),
        maxSats: sats(r.limits.maxMsat),
      };
    },

    async prepareOnchainSend(input: {
      providerId?: string;
      address: string;
      amountSats: number;
    }): Promise<PreparedOnchainSend> {
      checkAddress(input.address);
      const live = pick('onchain-send', input.providerId);
      const p = await ask(() =>
        live.provider.preparePayment({
          target: { kind: 'onchain', address: input.address, amountSats: input.amountSats },
        }),
      );
      prune();
      const prepareId = randomUUID();
      prepared.set(prepareId, {
        providerId: live.row.id,
        createdAt: deps.now(),
        prepared: p,
        address: input.address,
      });
      const amountSats = sats(p.amountMsat);
      const feeSats = sats(p.feeMsat);
      return {
        prepareId,
        providerId: live.row.id,
        address: input.address,
        amountSats,
        feeSats,
        totalSats: amountSats + feeSats,
      };
    },

    /** Journal first, then the swap; an unclear outcome is looked up by its address, never resent. */
    async confirmOnchainSend(prepareId: string): Promise<LightningPaymentView> {
      prune();
      const entry = prepared.get(prepareId);
      if (!entry) throw new FlashError('LIGHTNING_PREPARED_NOT_FOUND', 'This payment preview is gone.');
      prepared.delete(prepareId);
      const live = deps.providers.require(entry.providerId);
      const id = deps.journal.beginSend({
        id: randomUUID(),
        paymentHash: null,
        direction: 'outgoing',
        providerId: live.row.id,
        providerKind: live.row.kind,
        network: deps.network(),
        state: 'sending',
        amountMsat: entry.prepared.amountMsat,
        feeLimitMsat: entry.prepared.feeMsat,
        description: null,
        counterparty: entry.address,
        origin: SWAP_OUT_ORIGIN,
        createdAt: nowSec(),
      });
      emit(deps.journal.get(id) as JournalRow);
      let row: JournalRow;
      try {
        const result = await live.provider.sendPayment(entry.prepared);
        const applied = applyProviderState(
          deps.journal,
          deps.journal.get(id) as JournalRow,
          result,
          nowSec(),
        );
        row = applied.row;
        if (applied.changed) emit(row);
      } catch (err) {
        const kind = failureKindOf(err);
        if (kind !== null && DEFINITE_FAILURES.has(kind)) {
          row = deps.journal.update(id, { state: 'failed', failure: kind, settledAt: nowSec() });
          emit(row);
          throw toFlashError(err);
        }
        deps.log.warn('swap outcome unclear; looking it up', { id, code: toFlashError(err).code });
        row = await lookUp(live, deps.journal.get(id) as JournalRow);
        if (row.state === 'sending') row = deps.journal.update(id, { state: 'pending' });
      }
      if (row.state === 'failed')
        throw new FlashError(
          row.failure ? FAILURE_CODE[row.failure] : 'LIGHTNING_PROVIDER_ERROR',
          'The swap failed.',
          {
            paymentId: row.id,
          },
        );
      return paymentView(row);
    },

    /** Failed swaps whose coins wait to be sent back, across every connected wallet that has them. */
    async listRefundables(): Promise<RefundableSwapView[]> {
      const out: RefundableSwapView[] = [];
      for (const live of deps.providers.all()) {
        if (live.state !== 'connected' || !able(live, 'refunds') || !live.provider.listRefundables) continue;
        const list = await ask(() => live.provider.listRefundables?.());
        for (const r of list)
          out.push({
            providerId: live.row.id,
            swapAddress: r.swapAddress,
            amountSats: r.amountSats,
            createdAt: r.createdAt,
            lastRefundTxid: r.lastRefundTxid ?? null,
          });
      }
      return out.sort((a, b) => b.createdAt - a.createdAt);
    },

    async prepareRefund(
      input: RefundInput,
    ): Promise<{ feeSats: number; txVsize: number; receiveSats: number }> {
      checkAddress(input.toAddress);
      const live = pick('refunds', input.providerId);
      const [quote, swaps] = await Promise.all([
        ask(() => live.provider.prepareRefund?.(input.swapAddress, input.toAddress, input.feeRateSatPerVb)),
        ask(() => live.provider.listRefundables?.()),
      ]);
      const swap = swaps.find((s) => s.swapAddress === input.swapAddress);
      if (!swap) throw new FlashError('LIGHTNING_PAYMENT_NOT_FOUND', 'This swap has nothing to refund.');
      return { ...quote, receiveSats: Math.max(0, swap.amountSats - quote.feeSats) };
    },

    async refund(input: RefundInput): Promise<{ txid: string }> {
      checkAddress(input.toAddress);
      const live = pick('refunds', input.providerId);
      return ask(() => live.provider.refund?.(input.swapAddress, input.toAddress, input.feeRateSatPerVb));
    },

    async feeQuote(paymentId: string): Promise<FeeQuoteView> {
      const { row, live } = rowOf(paymentId);
      if (row.state !== 'waiting-fee-acceptance')
        throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'This payment is not waiting for a fee decision.', {
          what: 'fee-acceptance',
        });
      const q = await ask(() => live.provider.feeQuote?.(row.paymentHash as string));
      return {
        paymentId,
        payerAmountSats: sats(q.amountMsat + q.feeMsat),
        feeSats: sats(q.feeMsat),
        receiverAmountSats: sats(q.amountMsat),
      };
    },

    async acceptFee(paymentId: string): Promise<LightningPaymentView> {
      const { row, live } = rowOf(paymentId);
      await ask(() => live.provider.acceptFee?.(row.paymentHash as string));
      return paymentView(await lookUp(live, row));
    },
  };
}

interface RefundInput {
  providerId?: string;
  swapAddress: string;
  toAddress: string;
  feeRateSatPerVb: number;
}

export type Swaps = ReturnType<typeof createSwaps>;
