import { randomUUID } from 'node:crypto';
import type { CreatedInvoiceView, Network } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import { toFlashError } from './errors';
import type { Journal, JournalRow } from './journal';
import type { ProviderManager } from './providers';
import { paymentView } from './views';

/**
 * Receiving: an invoice made by a provider is journaled as an incoming payment (pending until
 * paid, failed 'expired' after its expiry), so the QR can turn "Paid" when the provider's event
 * or a lookup says so, and the feed shows it.
 */

export const DEFAULT_INVOICE_EXPIRY_SECONDS = 3600;

export interface InvoiceRequestInput {
  providerId?: string;
  amountMsat?: bigint;
  description: string;
  expirySeconds?: number;
  /** Who asked: the receive screen ('user'), 'lnurl-withdraw', 'nwc:<app>'… */
  origin?: string;
  counterparty?: string | null;
}

export function createReceiving(deps: {
  journal: Journal;
  providers: ProviderManager;
  network(): Network;
  bus: EventBus;
  now(): number;
}) {
  return {
    async createInvoice(input: InvoiceRequestInput): Promise<CreatedInvoiceView & { paymentId: string }> {
      const live = deps.providers.require(input.providerId);
      if (!live.info?.capabilities.includes('make-invoice'))
        throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'This Lightning connection cannot make invoices.', {
          providerId: live.row.id,
        });
      if (input.amountMsat !== undefined && input.amountMsat <= 0n)
        throw new FlashError('LIGHTNING_AMOUNT_OUT_OF_LIMITS', 'The amount must be positive.');
      let created;
      try {
        created = await live.provider.createInvoice({
          description: input.description,
          expirySeconds: input.expirySeconds ?? DEFAULT_INVOICE_EXPIRY_SECONDS,
          ...(input.amountMsat !== undefined ? { amountMsat: input.amountMsat } : {}),
        });
      } catch (err) {
        throw toFlashError(err);
      }
      const row: JournalRow = deps.journal.insertIfAbsent({
        id: randomUUID(),
        paymentHash: created.paymentHash,
        direction: 'incoming',
        providerId: live.row.id,
        providerKind: live.row.kind,
        network: deps.network(),
        state: 'pending',
        amountMsat: created.amountMsat ?? 0n,
        bolt11: created.bolt11,
        description: input.description === '' ? null : input.description,
        counterparty: input.counterparty ?? null,
        origin: input.origin ?? 'user',
        createdAt: Math.floor(deps.now() / 1000),
        expiresAt: created.expiresAt,
      });
      deps.bus.emit('lightning.payment', paymentView(row));
      return {
        paymentId: row.id,
        providerId: live.row.id,
        bolt11: created.bolt11,
        paymentHash: created.paymentHash,
        amountMsat: created.amountMsat === null ? null : created.amountMsat.toString(),
        expiresAt: created.expiresAt,
        feeMsat: created.feeMsat === null ? null : created.feeMsat.toString(),
      };
    },
  };
}
