import type { Route } from '../control-api';
import type { LedgerOptions } from './ledger';
import { LightningLedger } from './ledger';
import type { LndRestServer } from './lnd-rest';
import { startLndRest } from './lnd-rest';
import type { LnurlServer } from './lnurl-server';
import { startLnurlServer } from './lnurl-server';
import { ledgerRoutes } from './routes';

export { LightningLedger } from './ledger';
export type { LedgerEvent, LedgerFault, LedgerInvoice, LedgerNode, LedgerPayment } from './ledger';

/** The node that stands for "the rest of the Lightning network": it pays you and you pay it. */
export const STACK_NODE = 'stack';
/** What the stack node holds at start: 1 BTC, in msat. */
export const STACK_NODE_FUNDS_MSAT = 100_000_000_000n;

export interface LightningStackOptions {
  ledger?: LedgerOptions;
  lnurlPort?: number;
  lndPort?: number;
}

export interface LightningStack {
  /** The one fake network every Lightning stand-in settles on. */
  ledger: LightningLedger;
  /** The LNURL service (LUD-03/04/06/09/10/12/16/17) with addresses coffee@ and tips@. */
  lnurl: LnurlServer;
  /** An LND node's REST gateway (TLS, macaroons), checked against LND's own Swagger description. */
  lnd: LndRestServer;
  routes: Route[];
  stop(): Promise<void>;
}

/**
 * The fake Lightning network and its control routes. Stand-ins that speak a Lightning API (LND
 * REST, the LNURL server, NWC, the Breez fake, the Cashu mint) each create their own node on
 * `ledger` and add their routes beside these.
 */
export async function startLightningStack(opts: LightningStackOptions = {}): Promise<LightningStack> {
  const ledger = new LightningLedger(opts.ledger);
  ledger.createNode(STACK_NODE, { alias: 'Flash stack', balanceMsat: STACK_NODE_FUNDS_MSAT });
  const lnurl = await startLnurlServer({
    ledger,
    ...(opts.lnurlPort !== undefined ? { port: opts.lnurlPort } : {}),
  });
  const lnd = await startLndRest({ ledger, ...(opts.lndPort !== undefined ? { port: opts.lndPort } : {}) });
  return {
    ledger,
    lnurl,
    lnd,
    routes: [...ledgerRoutes(ledger), ...lnurl.routes, ...lnd.routes],
    stop: async () => {
      await lnd.stop();
      await lnurl.stop();
      ledger.close();
    },
  };
}
