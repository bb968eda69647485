import type { LightningLedger } from '../lightning/ledger';
import type { LightningNetworkPort } from './lightning-port';

/** The node BTCPay's Lightning payment method and payouts run on, in the shared ledger. */
export const BTCPAY_NODE = 'btcpay';
/** What that node holds at start (0.05 BTC, msat): enough for refunds, rewards and card taps. */
export const BTCPAY_NODE_FUNDS_MSAT = 5_000_000_000n;

/** The stand-in's Lightning side on the stack's shared fake Lightning ledger. */
export function ledgerPort(ledger: LightningLedger, node: string = BTCPAY_NODE): LightningNetworkPort {
  if (!ledger.hasNode(node))
    ledger.createNode(node, { alias: 'BTCPay Server', balanceMsat: BTCPAY_NODE_FUNDS_MSAT });
  return {
    createInvoice({ amountMsat, description, expirySeconds }) {
      const inv = ledger.createInvoice(node, { amountMsat, description, expirySeconds });
      return { bolt11: inv.bolt11, paymentHash: inv.paymentHash };
    },
    onPaid(paymentHash, listener) {
      const stop = ledger.subscribe(node, (event) => {
        if (event.type !== 'invoice-settled' || event.invoice.paymentHash !== paymentHash) return;
        stop();
        listener({ amountMsat: event.invoice.amountPaidMsat });
      });
      return stop;
    },
    decode(bolt11) {
      try {
        const inv = ledger.decode(bolt11);
        return { amountMsat: inv.amountMsat, paymentHash: inv.paymentHash };
      } catch {
        return null;
      }
    },
    async pay(bolt11) {
      const payment = await ledger.pay(node, bolt11);
      if (payment.state !== 'succeeded')
        throw new Error(`payment ${payment.state}: ${payment.failure ?? ''}`);
    },
  };
}
