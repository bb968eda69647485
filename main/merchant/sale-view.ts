import type { OrderTotals, Sale, SaleState } from '../../shared/contract/merchant';
import { formatAtoms, isDecimalString, round, toAtoms } from '../../shared/merchant/decimal';
import type { GreenfieldSchemas } from './greenfield/client';

type Invoice = GreenfieldSchemas['InvoiceData'];
type PaymentMethod = GreenfieldSchemas['InvoicePaymentMethodDataModel'];

/**
 * How the counter reads a BTCPay invoice: its status and additional status folded into one
 * state with a clear next step (see the renderer's texts), and one QR for every wallet.
 */
export function saleState(status: string | undefined, additional: string | undefined): SaleState {
  switch (status) {
    case 'Settled':
      return additional === 'PaidOver' ? 'paidOver' : 'paid';
    case 'Processing':
      return additional === 'PaidOver' ? 'paidOver' : 'processing';
    case 'Expired':
      if (additional === 'PaidLate') return 'paidLate';
      if (additional === 'PaidPartial') return 'expiredPartial';
      return 'expired';
    case 'Invalid':
      return 'invalid';
    default:
      return additional === 'PaidPartial' ? 'partial' : 'waiting';
  }
}

/**
 * The unified payment QR, as BTCPay's checkout builds it (BitcoinCheckoutModelExtension):
 * `bitcoin:ADDRESS?amount=…&lightning=BOLT11`, with the bech32 address and the Lightning invoice
 * upper-cased for a denser QR and the keys kept lower-case. Lightning alone is `lightning:BOLT11`.
 * Returns the QR text and the same link in its ordinary case.
 */
export function unifiedPaymentUri(methods: readonly PaymentMethod[]): { qr: string; uri: string } | null {
  const chain = methods.find((m) => m.paymentMethodId === 'BTC-CHAIN' && m.activated !== false);
  const ln =
    methods.find((m) => m.paymentMethodId === 'BTC-LN' && m.activated !== false) ??
    methods.find((m) => m.paymentMethodId === 'BTC-LNURL' && m.activated !== false);
  const lnDestination = ln?.destination ?? null;
  if (chain?.paymentLink && chain.destination) {
    const link = chain.paymentLink;
    const sep = link.includes('?') ? '&' : '?';
    const uri = lnDestination ? `${link}${sep}lightning=${lnDestination}` : link;
    let qr = lnDestination ? `${link}${sep}lightning=${lnDestination.toUpperCase()}` : link;
    if (/^(bc|tb|bcrt)1/i.test(chain.destination)) {
      qr = qr.replace(`bitcoin:${chain.destination}`, `bitcoin:${chain.destination.toUpperCase()}`);
    }
    return { qr, uri };
  }
  if (lnDestination)
    return { qr: `lightning:${lnDestination.toUpperCase()}`, uri: `lightning:${lnDestination}` };
  return null;
}

function sats(btc: string | undefined): number {
  if (!btc) return 0;
  const m = /^(-?)(\d+)(?:\.(\d{1,8}))?/.exec(btc);
  if (!m) return 0;
  const v = Number(m[2]) * 100_000_000 + Number((m[3] ?? '').padEnd(8, '0'));
  return m[1] === '-' ? -v : v;
}

export function toSale(
  invoice: Invoice,
  methods: readonly PaymentMethod[],
  totals: OrderTotals | null,
  serverUrl: string,
): Sale {
  const chain = methods.find((m) => m.paymentMethodId === 'BTC-CHAIN');
  const ln = methods.find((m) => m.paymentMethodId === 'BTC-LN');
  const any = chain ?? ln ?? methods[0];
  const qr = unifiedPaymentUri(methods);
  const metadata = (invoice.metadata ?? {}) as Record<string, unknown>;
  const id = invoice.id ?? '';
  return {
    invoiceId: id,
    orderId: typeof metadata['orderId'] === 'string' ? metadata['orderId'] : '',
    amount: invoice.amount ?? '0',
    currency: invoice.currency ?? '',
    state: saleState(invoice.status, invoice.additionalStatus),
    status: invoice.status ?? 'New',
    additionalStatus: invoice.additionalStatus ?? 'None',
    qr: qr?.qr ?? null,
    paymentUri: qr?.uri ?? null,
    address: chain?.destination ?? null,
    bolt11: ln?.destination ?? null,
    dueSats: Math.max(0, sats(any?.due)),
    paidSats: sats(any?.totalPaid),
    expiresAt: (invoice.expirationTime ?? 0) * 1000,
    createdAt: (invoice.createdTime ?? 0) * 1000,
    checkoutLink: invoice.checkoutLink ?? `${serverUrl}/i/${id}`,
    receiptUrl: `${serverUrl}/i/${id}/receipt`,
    totals,
    note: typeof metadata['note'] === 'string' ? metadata['note'] : null,
  };
}

/**
 * The order totals BTCPay keeps in the invoice's posData (written by its POS or by us). BTCPay
 * writes them as JSON numbers; they are read back through their decimal text, never as floats.
 */
export function totalsFromMetadata(invoice: Invoice, decimals: number): OrderTotals | null {
  const metadata = (invoice.metadata ?? {}) as Record<string, unknown>;
  const posData = metadata['posData'];
  if (!posData || typeof posData !== 'object') return null;
  const p = posData as Record<string, unknown>;
  const text = (v: unknown): string => {
    const raw = typeof v === 'number' || typeof v === 'string' ? String(v) : '0';
    return isDecimalString(raw)
      ? formatAtoms(round(toAtoms(raw), decimals), decimals)
      : formatAtoms(0n, decimals);
  };
  return {
    currency: invoice.currency ?? '',
    itemsTotal: text(p['itemsTotal']),
    discount: text(p['discountAmount']),
    subtotal: text(p['subTotal']),
    tax: text(p['tax']),
    taxOnTip: text(metadata['taxOnTip']),
    tip: text(p['tip']),
    total: text(p['total']),
  };
}
