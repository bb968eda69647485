import type { LightningPaymentView } from '../../../../shared/contract/lightning';
import { FlashError } from '../../../../shared/errors';
import type { EventBus } from '../../../core/event-bus';
import type { LightningPayment } from '../../provider';
import type { LightningService } from '../../service';
import type { NwcBackend, NwcOrigin } from './backend';

/** The activity feed's origin for an app's payments: the app's name is what the user reads. */
export const nwcOriginLabel = (origin: NwcOrigin): string => `nwc:${origin.appName}`;

/** A journal row as the provider-level payment the NWC service reasons about. */
export function paymentOfView(v: LightningPaymentView): LightningPayment {
  return {
    paymentHash: v.paymentHash ?? '',
    direction: v.direction,
    amountMsat: BigInt(v.amountMsat),
    feeMsat: BigInt(v.feeMsat),
    state: v.state,
    createdAt: v.createdAt,
    settledAt: v.settledAt,
    description: v.description,
    bolt11: v.bolt11,
    preimage: v.preimage,
    failure: v.failure,
  };
}

/**
 * Flash's NWC service on the Lightning service: the default provider, every payment journaled
 * there before it is sent (origin `nwc:<app>`), and the journal's updates as notifications.
 */
export function nwcBackendFromLightning(lightning: LightningService, bus: EventBus): NwcBackend {
  const status = async () => {
    const s = await lightning.status();
    if (!s) throw new FlashError('LIGHTNING_NO_PROVIDER', 'No Lightning wallet is connected.');
    return s;
  };
  const byHash = (hash: string): LightningPaymentView | null => {
    // The journal is newest first; an app looks up recent payments.
    for (let offset = 0; offset < 5000; offset += 500) {
      const page = lightning.listPayments(500, offset);
      const hit = page.find((p) => p.paymentHash === hash);
      if (hit) return hit;
      if (page.length < 500) break;
    }
    return null;
  };
  return {
    async info() {
      const s = await status();
      return {
        kind: s.provider.kind,
        alias: s.provider.alias ?? s.provider.label,
        pubkey: s.provider.pubkey,
        network: s.provider.network,
        capabilities: s.provider.capabilities,
        blockHeight: s.blockHeight,
        synced: s.synced,
      };
    },
    async balance() {
      const b = (await status()).balance;
      if (!b) throw new FlashError('LIGHTNING_UNREACHABLE', 'The Lightning wallet does not say its balance.');
      return {
        spendableMsat: BigInt(b.spendableMsat),
        receivableMsat: b.receivableMsat === null ? null : BigInt(b.receivableMsat),
        pendingSendMsat: BigInt(b.pendingSendMsat),
        pendingReceiveMsat: BigInt(b.pendingReceiveMsat),
        onchainSats: b.onchainSats,
      };
    },
    async preparePay({ invoice, amountMsat, origin }) {
      const p = await lightning.prepare({
        text: invoice,
        ...(amountMsat !== undefined ? { amountMsat } : {}),
        origin: nwcOriginLabel(origin),
      });
      if (!p.paymentHash)
        throw new FlashError('LIGHTNING_INVOICE_INVALID', 'An app may pay BOLT11 invoices only.');
      return {
        paymentHash: p.paymentHash,
        amountMsat: BigInt(p.amountMsat),
        feeReserveMsat: BigInt(p.feeMsat),
        description: p.description,
        confirm: async () => paymentOfView(await lightning.confirm(p.prepareId)),
      };
    },
    async createInvoice(request, origin) {
      if (request.descriptionHash)
        throw new FlashError(
          'LIGHTNING_NOT_SUPPORTED',
          'Invoices with a description hash are not offered to apps.',
        );
      const created = await lightning.createInvoice({
        ...(request.amountMsat !== undefined ? { amountMsat: request.amountMsat } : {}),
        description: request.description,
        ...(request.expirySeconds !== undefined ? { expirySeconds: request.expirySeconds } : {}),
        origin: nwcOriginLabel(origin),
        counterparty: origin.appName,
      });
      return {
        bolt11: created.bolt11,
        paymentHash: created.paymentHash,
        amountMsat: created.amountMsat === null ? null : BigInt(created.amountMsat),
        expiresAt: created.expiresAt,
        feeMsat: created.feeMsat === null ? null : BigInt(created.feeMsat),
      };
    },
    async lookup(paymentHash) {
      const v = byHash(paymentHash);
      return v ? paymentOfView(v) : null;
    },
    onPayment(listener) {
      return bus.on('lightning.payment', (v) => {
        if (v.paymentHash) listener(paymentOfView(v));
      });
    },
  };
}
