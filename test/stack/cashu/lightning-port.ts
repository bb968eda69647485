import type { LightningLedger } from '../lightning/ledger';
import { LedgerPayError } from '../lightning/ledger';

/**
 * What the mint needs from Lightning: its own node on the stack's shared ledger. Mint quotes are
 * invoices of that node (the BOLT11 encodes the amount, which wallets check); melts are payments
 * from it, with the routing fee the ledger charges.
 */
export interface MintLightning {
  node: string;
  createInvoice(
    amountMsat: bigint,
    description: string,
  ): { bolt11: string; paymentHash: string; expiresAt: number };
  /** Called with the payment hash of each of the node's invoices that gets paid. */
  onInvoicePaid(listener: (paymentHash: string) => void): () => void;
  /** Amount (msat, null when amountless), payment hash, expiry and whether the payee is this node. */
  decode(bolt11: string): {
    amountMsat: bigint | null;
    paymentHash: string;
    expiresAt: number;
    toSelf: boolean;
  };
  /**
   * Starts paying; resolves with the final outcome (the promise may take a while: in flight).
   * `partMsat` pays only that part of the invoice, one path of a multi-part payment (NUT-15).
   */
  pay(
    bolt11: string,
    opts: { maxFeeMsat: bigint; amountMsat?: bigint; partMsat?: bigint },
  ): Promise<{ ok: true; preimage: string; feeMsat: bigint } | { ok: false; reason: string }>;
  /** A payment of this hash already made by the node: its state. */
  paymentState(paymentHash: string): 'none' | 'in-flight' | 'succeeded' | 'failed';
}

export function ledgerLightning(ledger: LightningLedger, node: string): MintLightning {
  return {
    node,
    createInvoice(amountMsat, description) {
      const inv = ledger.createInvoice(node, { amountMsat, description, expirySeconds: 3600 });
      return { bolt11: inv.bolt11, paymentHash: inv.paymentHash, expiresAt: inv.expiresAt };
    },
    onInvoicePaid(listener) {
      return ledger.subscribe(node, (event) => {
        if (event.type === 'invoice-settled') listener(event.invoice.paymentHash);
      });
    },
    decode(bolt11) {
      const d = ledger.decode(bolt11);
      return {
        amountMsat: d.amountMsat,
        paymentHash: d.paymentHash,
        expiresAt: d.expiresAt,
        toSelf: d.payeeNodeKey === ledger.node(node).pubkey,
      };
    },
    async pay(bolt11, opts) {
      try {
        const done = await ledger.pay(node, bolt11, {
          maxFeeMsat: opts.maxFeeMsat,
          ...(opts.amountMsat !== undefined ? { amountMsat: opts.amountMsat } : {}),
          ...(opts.partMsat !== undefined ? { partialMsat: opts.partMsat } : {}),
        });
        if (done.state === 'succeeded' && done.preimage)
          return { ok: true, preimage: done.preimage, feeMsat: done.feeMsat };
        return { ok: false, reason: done.failure ?? 'failed' };
      } catch (err) {
        if (err instanceof LedgerPayError) return { ok: false, reason: err.failure };
        throw err;
      }
    },
    paymentState(paymentHash) {
      return ledger.lookupPayment(node, paymentHash)?.state ?? 'none';
    },
  };
}
