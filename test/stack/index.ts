import type { ElectrumServer } from '../../shared/contract';
import type { BitcoinStackOptions } from './bitcoin';
import { startBitcoinStack } from './bitcoin';
import type { BtcpayStack } from './btcpay';
import { startBtcpayStack } from './btcpay';
import { ledgerPort } from './btcpay/ledger-port';
import type { RegtestChain } from './chain';
import type { ControlApi, Route } from './control-api';
import { BadRequest, startControlApi } from './control-api';
import type { ElectrumTestServer, FaultMode } from './electrum-server';
import type { LieMode } from './lying';
import type { LightningLedger } from './lightning';
import type { LnurlServer } from './lightning/lnurl-server';
import type { LndRestServer } from './lightning/lnd-rest';
import { STACK_NODE, startLightningStack } from './lightning';
import type { NwcStack } from './lightning/nwc-part';
import { startNwcStack } from './lightning/nwc-part';
import { startNostrRelays } from './nostr-relays';
import type { PcscServer } from './nfc/pcsc-server';
import { startPcscServer } from './nfc/pcsc-server';
import type { StandInMint } from './cashu';
import { startCashuStack } from './cashu';
import type { BreezStandIn } from './lightning/breez-fake';
import { startBreezPart } from './lightning/breez-part';
import type { PriceStandIn } from './prices';
import { startPriceStandIn } from './prices';

export type { FaultMode } from './electrum-server';
export type { LieMode } from './lying';
export { RegtestChain } from './chain';

export interface StackOptions extends BitcoinStackOptions {
  controlPort?: number;
  btcpayPort?: number;
}

export interface Stack {
  electrum: ElectrumServer & { transport: 'tcp' };
  electrumTls: ElectrumServer & { transport: 'tls' };
  /** SHA-256 of the TLS listener's certificate, `AB:CD:...`. */
  electrumTlsFingerprint: string;
  controlUrl: string;
  chain: RegtestChain;
  electrumServer: ElectrumTestServer;
  /** NOSTR relays (ws://127.0.0.1:N), two by default. */
  relays: string[];
  /** The BTCPay Server stand-in, paid from `chain`, with a demo store and POS app. */
  btcpay: BtcpayStack;
  /** The fake Lightning network every Lightning stand-in settles on (see lightning/ledger.ts). */
  lightning: LightningLedger;
  /** The LNURL service: pay links, withdraw links, login links, Lightning addresses coffee@/tips@. */
  lnurl: LnurlServer;
  /** LND's REST gateway on the `lnd` ledger node: TLS, macaroons, validated against ../shared/lnd. */
  lnd: LndRestServer;
  /** NWC wallet services on `relays`, one per NIP-47 encryption variant, on the `lightning` ledger. */
  nwc: NwcStack['wallets'];
  /** Zap-capable Lightning addresses (NIP-57) by name: alice, bob, carol. */
  zapAddresses: NwcStack['zapAddresses'];
  /** Two Cashu mints on the ledger ("alpha": sat and usd, "beta": sat), so funds can move between them. */
  cashuMints: StandInMint[];
  /** Breez SDK stand-in on the ledger, served for browser mode's --breez-stand-in <controlUrl>. */
  breez: BreezStandIn;
  /** A simulated NFC reader with NTAG 424 cards, for browser mode's --simulated-nfc <nfc.url>. */
  nfc: PcscServer;
  /** A public price source (mempool.space's and Coinbase's price APIs) with fault modes. */
  prices: PriceStandIn;
  setFault(mode: FaultMode): void;
  /** Makes the Electrum server lie to SPV clients ('none' to stop); also POST /lie. */
  setLie(mode: LieMode): void;
  stop(): Promise<void>;
}

/** One part of the stack: what it serves on the control API and how to stop it. */
interface StackPart {
  routes: Route[];
  stop(): Promise<void>;
}

/**
 * Starts every local stand-in on 127.0.0.1. Today: the regtest chain and its Electrum server.
 * NOSTR relays and the Cashu mint join as further parts, each adding routes and a stop().
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const parts: StackPart[] = [];
  let control: ControlApi | null = null;
  const stopAll = async (): Promise<void> => {
    await control?.close();
    control = null;
    // Reverse order: later parts may depend on earlier ones.
    for (const part of parts.splice(0).reverse()) await part.stop();
  };
  try {
    const bitcoin = await startBitcoinStack(opts);
    parts.push(bitcoin);
    const nostr = await startNostrRelays(2);
    parts.push(nostr);
    const lightning = await startLightningStack();
    parts.push(lightning);
    const btcpay = await startBtcpayStack({
      chain: bitcoin.chain,
      lightning: ledgerPort(lightning.ledger),
      payLightning: async (bolt11) => {
        const paid = await lightning.ledger.pay(STACK_NODE, bolt11);
        if (paid.state !== 'succeeded') throw new BadRequest(`payment ${paid.state}`);
      },
      customerInvoice: (amountMsat, description) =>
        lightning.ledger.createInvoice(STACK_NODE, { amountMsat, description }).bolt11,
      ...(opts.btcpayPort !== undefined ? { port: opts.btcpayPort } : {}),
    });
    parts.push(btcpay);
    const nwc = await startNwcStack(lightning.ledger, nostr.urls);
    parts.push(nwc);
    const cashu = await startCashuStack(lightning.ledger);
    parts.push(cashu);
    const breez = startBreezPart({ ledger: lightning.ledger, chain: bitcoin.chain });
    parts.push(breez);
    const nfc = await startPcscServer();
    parts.push(nfc);
    const prices = await startPriceStandIn();
    parts.push(prices);
    control = await startControlApi({
      routes: parts.flatMap((p) => p.routes),
      ...(opts.controlPort !== undefined ? { port: opts.controlPort } : {}),
    });
    return {
      electrum: bitcoin.electrum,
      electrumTls: bitcoin.electrumTls,
      electrumTlsFingerprint: bitcoin.tls.fingerprint256,
      controlUrl: control.url,
      chain: bitcoin.chain,
      electrumServer: bitcoin.server,
      relays: nostr.urls,
      btcpay,
      lightning: lightning.ledger,
      lnurl: lightning.lnurl,
      lnd: lightning.lnd,
      nwc: nwc.wallets,
      zapAddresses: nwc.zapAddresses,
      cashuMints: cashu.mints,
      breez: breez.standIn,
      nfc,
      prices,
      setFault: (mode) => bitcoin.server.setFault(mode),
      setLie: (mode) => bitcoin.server.setLie(mode),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
