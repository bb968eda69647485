import { z } from 'zod';
import type { Route } from '../control-api';
import { BadRequest } from '../control-api';
import type { LightningLedger } from './ledger';
import type { NwcWallet, NwcWalletVariant } from './nwc-wallet';
import { NWC_WALLET_FAULTS, NWC_WALLET_VARIANTS, startNwcWallet } from './nwc-wallet';

export interface NwcStack {
  /** One wallet per encryption variant, each its own node on the ledger. */
  wallets: Record<NwcWalletVariant, NwcWallet>;
  routes: Route[];
  stop(): Promise<void>;
}

/** What each stack wallet holds at start: 1,000,000 sats. */
export const NWC_WALLET_FUNDS_MSAT = 1_000_000_000n;

export const nwcNodeName = (variant: NwcWalletVariant): string => `nwc-${variant}`;

/**
 * The NWC wallet services of `npm run stack`: one per NIP-47 encryption variant on the stack's
 * relays, so a client can be tried against each. Control routes:
 * GET /nwc, POST /nwc/fault {variant, fault, slowMs?, restrictedMethods?},
 * POST /nwc/connection {variant, methods?} (another app's connection URI).
 */
export async function startNwcStack(ledger: LightningLedger, relays: string[]): Promise<NwcStack> {
  const started: NwcWallet[] = [];
  const stop = async (): Promise<void> => {
    for (const w of started.splice(0).reverse()) await w.stop();
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
  ];
  return { wallets, routes, stop };
}
