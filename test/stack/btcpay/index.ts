import { z } from 'zod';
import type { RegtestChain } from '../chain';
import type { Route } from '../control-api';
import { BadRequest } from '../control-api';
import type { ClaimResult } from './claim';
import { claimWithdraw } from './claim';
import { satsToBtc } from './engine';
import type { LightningNetworkPort } from './lightning-port';
import type { BtcpayFault, BtcpayServer } from './server';
import { FAULT_MODES, startBtcpayServer } from './server';
import type { SeedResult } from './state';
import { seedDemoShop } from './state';

export type { BtcpayFault, BtcpayServer } from './server';
export type { LightningNetworkPort } from './lightning-port';

export interface BtcpayStack {
  server: BtcpayServer;
  url: string;
  seed: SeedResult;
  routes: Route[];
  /** Pays what an invoice still owes (or `sats`) on-chain from the stack's wallet; returns the txid. */
  payOnChain(invoiceId: string, sats?: number): { txid: string; sats: number };
  /** Pays the invoice's BOLT11 from the stack's Lightning node. */
  payLightning(invoiceId: string): Promise<{ paymentHash: string }>;
  /** The customer's wallet claims an LNURL-withdraw (a reward or a refund) to the stack's node. */
  claim(lnurl: string, sats?: number): Promise<ClaimResult>;
  stop(): Promise<void>;
}

export interface BtcpayStackOptions {
  chain: RegtestChain;
  port?: number;
  lightning?: LightningNetworkPort | null;
  /** How the "customer" pays a BOLT11 invoice (the stack's Lightning node). */
  payLightning?: (bolt11: string) => Promise<void>;
  /** A BOLT11 invoice of the customer's node, for claiming LNURL-withdraws. */
  customerInvoice?: (amountMsat: bigint, description: string) => string;
  now?: () => number;
}

/** The BTCPay stand-in with a demo shop, and its control routes under /btcpay. */
export async function startBtcpayStack(opts: BtcpayStackOptions): Promise<BtcpayStack> {
  const server = await startBtcpayServer({
    chain: opts.chain,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  if (opts.lightning) server.setLightning(opts.lightning);
  const seed = seedDemoShop(server.state);
  const { state } = server;

  const invoiceOf = (id: string) => {
    const inv = state.engine.invoices.get(id);
    if (!inv) throw new BadRequest(`no invoice ${id}`);
    return inv;
  };
  const payOnChain = (invoiceId: string, sats?: number): { txid: string; sats: number } => {
    const inv = invoiceOf(invoiceId);
    const prompt = inv.prompts.find((p) => p.method === 'BTC-CHAIN');
    if (!prompt) throw new BadRequest('the invoice has no on-chain address');
    const owed = Number(inv.dueSats - state.engine.paidSats(inv));
    const amount = sats ?? owed;
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new BadRequest('nothing to pay');
    const { txid } = opts.chain.send(prompt.destination, amount);
    return { txid, sats: amount };
  };

  const payLightning = async (invoiceId: string): Promise<{ paymentHash: string }> => {
    const inv = invoiceOf(invoiceId);
    const prompt = inv.prompts.find((p) => p.method === 'BTC-LN');
    if (!prompt || !opts.payLightning) throw new BadRequest('the invoice has no Lightning invoice');
    await opts.payLightning(prompt.destination);
    return { paymentHash: prompt.watch };
  };

  const claim = (lnurl: string, sats?: number): Promise<ClaimResult> => {
    if (!opts.customerInvoice) throw new BadRequest('the stack has no customer wallet to claim with');
    return claimWithdraw(lnurl, opts.customerInvoice, sats);
  };

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/btcpay',
      handler: () => ({
        url: server.url,
        apiKey: seed.adminKey.apiKey,
        storeId: seed.store.id,
        appId: seed.app.id,
        fault: server.fault,
        specIssues: server.specIssues.length,
      }),
    },
    {
      method: 'POST',
      path: '/btcpay/fault',
      handler: (body) => {
        const { mode, slowMs } = z
          .object({ mode: z.enum(FAULT_MODES), slowMs: z.number().int().min(0).max(60_000).optional() })
          .parse(body);
        server.fault = mode as BtcpayFault;
        if (slowMs !== undefined) server.slowMs = slowMs;
        return { mode: server.fault, slowMs: server.slowMs };
      },
    },
    {
      method: 'POST',
      path: '/btcpay/key',
      handler: (body) => {
        const { permissions, label } = z
          .object({
            permissions: z.array(z.string().min(1).max(200)).max(50),
            label: z.string().max(100).optional(),
          })
          .parse(body);
        return { apiKey: state.createKey(seed.user.id, permissions, label ?? 'stack key').apiKey };
      },
    },
    {
      method: 'POST',
      path: '/btcpay/pay',
      handler: (body) => {
        const { invoiceId, sats, method } = z
          .object({
            invoiceId: z.string().min(1).max(64),
            sats: z.number().int().positive().optional(),
            method: z.enum(['chain', 'lightning']).optional(),
          })
          .parse(body);
        return method === 'lightning' ? payLightning(invoiceId) : payOnChain(invoiceId, sats);
      },
    },
    {
      method: 'POST',
      path: '/btcpay/claim',
      handler: (body) => {
        const { lnurl, sats } = z
          .object({
            lnurl: z.string().min(10).max(2000),
            sats: z.number().int().positive().optional(),
          })
          .parse(body);
        return claim(lnurl, sats);
      },
    },
    {
      method: 'POST',
      path: '/btcpay/expire',
      handler: (body) => {
        const { invoiceId } = z.object({ invoiceId: z.string().min(1).max(64) }).parse(body);
        const inv = invoiceOf(invoiceId);
        state.engine.expireNow(inv);
        return { status: inv.status, additionalStatus: inv.additionalStatus };
      },
    },
    {
      method: 'POST',
      path: '/btcpay/rate',
      handler: (body) => {
        const { pair, rate } = z
          .object({ pair: z.string().regex(/^BTC_[A-Z]{3,4}$/), rate: z.string().regex(/^\d+(\.\d+)?$/) })
          .parse(body);
        seed.store.rates.set(pair, rate);
        return { pair, rate };
      },
    },
    {
      method: 'GET',
      path: '/btcpay/invoice',
      handler: (_body, url) => {
        const inv = invoiceOf(url.searchParams.get('id') ?? '');
        return {
          id: inv.id,
          status: inv.status,
          additionalStatus: inv.additionalStatus,
          dueSats: Number(inv.dueSats),
          paid: satsToBtc(state.engine.paidSats(inv)),
          address: inv.prompts.find((p) => p.method === 'BTC-CHAIN')?.destination ?? null,
        };
      },
    },
  ];

  return {
    server,
    url: server.url,
    seed,
    routes,
    payOnChain,
    payLightning,
    claim,
    stop: () => server.close(),
  };
}
