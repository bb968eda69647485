/**
 * What the BTCPay stand-in needs from the stack's Lightning network: to issue BOLT11 invoices
 * for its invoices, hear when they are paid, and pay BOLT11 invoices for LNURL-withdraw
 * payouts (refunds, rewards, Bolt card taps). The shared fake Lightning ledger plugs in here.
 */
export interface LightningNetworkPort {
  createInvoice(opts: { amountMsat: bigint; description: string; expirySeconds: number }): {
    bolt11: string;
    paymentHash: string;
  };
  /** Calls `listener` once the invoice with `paymentHash` is paid; returns an unsubscribe. */
  onPaid(paymentHash: string, listener: (paid: { amountMsat: bigint }) => void): () => void;
  /** Amount (null when the invoice has none) and payment hash of a BOLT11 invoice, or null. */
  decode(bolt11: string): { amountMsat: bigint | null; paymentHash: string } | null;
  /** Pays a BOLT11 invoice from the store's node; rejects when it cannot be paid. */
  pay(bolt11: string): Promise<void>;
}
