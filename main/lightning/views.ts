import type {
  LightningPaymentView,
  LightningProviderStatus,
  LightningProviderView,
  SuccessActionView,
} from '../../shared/contract';
import type { ConnectionRow } from './connections';
import type { JournalRow, StoredSuccessAction } from './journal';
import type { PaymentLimits, ProviderBalance, ProviderInfo } from './provider';

/** Bridge shapes of the Lightning service's data: msat as decimal strings, nothing secret. */

export function successActionView(a: StoredSuccessAction | null): SuccessActionView | null {
  if (!a) return null;
  if (a.tag === 'aes') return { tag: 'aes', description: a.description, plaintext: a.plaintext };
  return a;
}

export function paymentView(row: JournalRow): LightningPaymentView {
  return {
    id: row.id,
    paymentHash: row.paymentHash,
    direction: row.direction,
    providerId: row.providerId,
    providerKind: row.providerKind,
    // 'sending' is the journal's own step before the provider answered: pending to the user.
    state: row.state === 'sending' ? 'pending' : row.state,
    amountMsat: row.amountMsat.toString(),
    feeMsat: row.feeMsat.toString(),
    description: row.description,
    counterparty: row.counterparty,
    bolt11: row.bolt11,
    preimage: row.preimage,
    failure: row.failure,
    origin: row.origin,
    comment: row.comment,
    successAction: successActionView(row.successAction),
    createdAt: row.createdAt,
    settledAt: row.settledAt,
    expiresAt: row.expiresAt,
  };
}

export type LiveState = LightningProviderView['state'];

export function providerView(
  row: ConnectionRow,
  live: { state: LiveState; error: string | null; info: ProviderInfo | null },
): LightningProviderView {
  return {
    id: row.id,
    kind: row.kind,
    label: row.label,
    isDefault: row.isDefault,
    state: live.state,
    error: live.error,
    alias: live.info?.alias ?? null,
    pubkey: live.info?.pubkey ?? null,
    network: live.info?.network ?? null,
    capabilities: live.info?.capabilities ?? [],
    endpoint: row.endpoint,
    createdAt: row.createdAt,
  };
}

export function statusView(
  provider: LightningProviderView,
  info: ProviderInfo | null,
  balance: ProviderBalance | null,
  limits: PaymentLimits | null,
): LightningProviderStatus {
  return {
    provider,
    balance: balance && {
      spendableMsat: balance.spendableMsat.toString(),
      receivableMsat: balance.receivableMsat === null ? null : balance.receivableMsat.toString(),
      pendingSendMsat: balance.pendingSendMsat.toString(),
      pendingReceiveMsat: balance.pendingReceiveMsat.toString(),
      onchainSats: balance.onchainSats,
    },
    limits: limits && {
      send: { minMsat: limits.send.minMsat.toString(), maxMsat: limits.send.maxMsat.toString() },
      receive: { minMsat: limits.receive.minMsat.toString(), maxMsat: limits.receive.maxMsat.toString() },
    },
    blockHeight: info?.blockHeight ?? null,
    synced: info?.synced ?? false,
  };
}
