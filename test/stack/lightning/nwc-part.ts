import { z } from 'zod';
import type { Route } from '../control-api';
import { BadRequest } from '../control-api';
import type { LightningLedger } from './ledger';
import type { NwcWallet, NwcWalletVariant } from './nwc-wallet';
import { NWC_WALLET_FAULTS, NWC_WALLET_VARIANTS, startNwcWallet } from './nwc-wallet';
import type { ZapServer } from './zap-server';
import { startZapServer, ZAP_SERVER_FAULTS } from './zap-server';

export interface NwcStack {
  /** One wallet per encryption variant, each its own node on the ledger. */
  wallets: Record<NwcWalletVariant, NwcWallet>;
  /** A zap-capable LNURL server (NIP-57) with a Lightning address per name in ZAP_USERS. */
  zapServer: ZapServer;
  /** `name@127.0.0.1:port` by name. */
  zapAddresses: Record<string, string>;
  routes: Route[];
  stop(): Promise<void>;
}

/** What each stack wallet holds at start: 1,000,000 sats. */
export const NWC_WALLET_FUNDS_MSAT = 1_000_000_000n;

export const nwcNodeName = (variant: NwcWalletVariant): string => `nwc-${variant}`;

/** Lightning addresses the stack's zap server answers for, each paid into its own ledger node. */
export const ZAP_USERS = ['alice', 'bob', 'carol'] as const;

/**
 * The NWC wallet services of `npm run stack`: one per NIP-47 encryption variant on the stack's
 * relays, so a client can be tried against each. Control routes:
 * GET /nwc, POST /nwc/fault {variant, fault, slowMs?, restrictedMethods?},
 * POST /nwc/connection {variant, methods?} (another app's connection URI),
 * GET /zaps (addresses and receipts), POST /zaps/fault {fault}.
 */
export async function startNwcStack(ledger: LightningLedger, relays: string[]): Promise<NwcStack> {
  const started: NwcWallet[] = [];
  let zapServer: ZapServer | null = null;
  const stop = async (): Promise<void> => {
    for (const w of started.splice(0).reverse()) await w.stop();
    await zapServer?.stop();
    zapServer = null;
  };
  const wallets = {} as Record<NwcWalletVariant, NwcWallet>;
  try {
    for (const variant of NWC_WALLET_VARIANTS) {
      const w = await startNwcWallet({
        ledger,
        node: nwcNodeName(variant),
        relays,
        variant,
        balanceMsat: NWC_WALLET_FUNDS_MSAT,
        alias: `Stack NWC wallet (${variant})`,
      });
      started.push(w);
      wallets[variant] = w;
    }
    zapServer = await startZapServer({ ledger });
  } catch (err) {
    await stop();
    throw err;
  }
  const Variant = z.enum(NWC_WALLET_VARIANTS);
  const wallet = (v: unknown): NwcWallet => {
    const parsed = Variant.safeParse(v);
    if (!parsed.success) throw new BadRequest(`variant is one of ${NWC_WALLET_VARIANTS.join(', ')}`);
    return wallets[parsed.data];
  };
  const view = (w: NwcWallet) => ({
    variant: w.variant,
    node: w.node,
    walletPubkey: w.walletPubkey,
    uri: w.uri,
    fault: w.fault,
    paysExecuted: w.paysExecuted(),
  });
  const zaps = zapServer;
  const zapAddresses: Record<string, string> = {};
  for (const name of ZAP_USERS) {
    const node = `zap-${name}`;
    if (!ledger.hasNode(node)) ledger.createNode(node, { alias: `${name} (zaps)` });
    zapAddresses[name] = zaps.addUser(name, node);
  }
  const routes: Route[] = [
    { method: 'GET', path: '/nwc', handler: () => started.map(view) },
    {
      method: 'POST',
      path: '/nwc/fault',
      handler: (body) => {
        const b = z
          .object({
            variant: Variant,
            fault: z.enum(NWC_WALLET_FAULTS),
            slowMs: z.number().int().min(0).max(120_000).optional(),
            restrictedMethods: z.array(z.string().max(64)).max(16).optional(),
          })
          .strict()
          .safeParse(body);
        if (!b.success) throw new BadRequest(b.error.message);
        const w = wallet(b.data.variant);
        w.fault = b.data.fault;
        if (b.data.slowMs !== undefined) w.slowMs = b.data.slowMs;
        if (b.data.restrictedMethods) w.restrictedMethods = b.data.restrictedMethods;
        return view(w);
      },
    },
    {
      method: 'POST',
      path: '/nwc/connection',
      handler: (body) => {
        const b = z
          .object({ variant: Variant, methods: z.array(z.string().max(64)).max(16).optional() })
          .strict()
          .safeParse(body);
        if (!b.success) throw new BadRequest(b.error.message);
        return { uri: wallet(b.data.variant).addConnection(b.data.methods).uri };
      },
    },
    {
      method: 'GET',
      path: '/zaps',
      handler: () => ({
        addresses: zapAddresses,
        nostrPubkey: zaps.nostrPubkey,
        fault: zaps.fault,
        receipts: zaps.receipts().map((r) => ({ id: r.id, tags: r.tags })),
      }),
    },
    {
      method: 'POST',
      path: '/zaps/fault',
      handler: (body) => {
        const b = z
          .object({ fault: z.enum(ZAP_SERVER_FAULTS) })
          .strict()
          .safeParse(body);
        if (!b.success) throw new BadRequest(b.error.message);
        zaps.fault = b.data.fault;
        return { fault: zaps.fault };
      },
    },
  ];
  return { wallets, zapServer: zaps, zapAddresses, routes, stop };
}
