import { getDecodedToken } from '@cashu/cashu-ts';
import { z } from 'zod';
import type { Route } from '../control-api';
import { BadRequest } from '../control-api';
import type { LightningLedger } from '../lightning/ledger';
import type { WireProof } from './conditions';
import { MintError } from './errors';
import { ledgerLightning } from './lightning-port';
import type { MintOptions } from './mint';
import { CashuMint } from './mint';
import type { MintServer, MintServerOptions } from './server';
import { startMintServer } from './server';

export { CashuMint } from './mint';
export type { MintOptions } from './mint';
export type { MintServer, MintServerOptions } from './server';

/**
 * Every fault a stand-in mint can be put in:
 * - `down`: connections are refused (and open ones dropped);
 * - `slow`: every answer waits `slowMs`;
 * - `down-mid-melt`: a melt takes the inputs and pays, but the connection drops before the answer;
 * - `melt-pending-then-fail`: the mint's Lightning payment stays in flight (the melt answers
 *   PENDING, inputs PENDING), then fails and the inputs come back UNSPENT;
 * - `bad-dleq`: blind signatures carry a DLEQ proof that does not verify;
 * - `wrong-keyset`: outputs are signed with another keyset's key than the one they name.
 * A double spend is not a mode but an act: POST /cashu/double-spend spends a token's proofs at
 * the mint as if its sender had swapped them first.
 */
export const MINT_FAULTS = [
  'none',
  'down',
  'slow',
  'down-mid-melt',
  'melt-pending-then-fail',
  'bad-dleq',
  'wrong-keyset',
] as const;
export type MintFault = (typeof MINT_FAULTS)[number];

export interface StandInMint {
  name: string;
  url: string;
  mint: CashuMint;
  server: MintServer;
  /** The mint's Lightning node on the shared ledger. */
  node: string;
  fault: MintFault;
  setFault(fault: MintFault): void;
  stop(): Promise<void>;
}

/** What the mint's node holds at start, so melts can be paid: 0.1 BTC. */
const MINT_NODE_FUNDS_MSAT = 10_000_000_000n;

export async function startStandInMint(
  ledger: LightningLedger,
  name: string,
  opts: { mint?: Partial<MintOptions>; server?: Partial<MintServerOptions> } = {},
): Promise<StandInMint> {
  const node = `cashu-${name}`;
  if (!ledger.hasNode(node))
    ledger.createNode(node, { alias: `Cashu mint ${name}`, balanceMsat: MINT_NODE_FUNDS_MSAT });
  const mint = new CashuMint(ledgerLightning(ledger, node), { name: `Mint ${name}`, ...opts.mint });
  const server = await startMintServer(mint, opts.server);
  const stand: StandInMint = {
    name,
    url: server.url,
    mint,
    server,
    node,
    fault: 'none',
    setFault(fault) {
      stand.fault = fault;
      server.setFault(fault === 'down' || fault === 'slow' || fault === 'down-mid-melt' ? fault : 'none');
      mint.signingFault = fault === 'bad-dleq' || fault === 'wrong-keyset' ? fault : 'none';
      ledger.setFault(node, fault === 'melt-pending-then-fail' ? 'stuck-then-fail' : 'none');
    },
    async stop() {
      mint.close();
      await server.close();
    },
  };
  return stand;
}

export interface CashuStack {
  /** Two mints, so funds can move between them: "alpha" (sat and usd) and "beta" (sat). */
  mints: StandInMint[];
  routes: Route[];
  stop(): Promise<void>;
}

export interface CashuStackOptions {
  /** Options for both mints. */
  mint?: Partial<MintOptions>;
  /** Options for one mint over `mint`, e.g. `{ beta: { mpp: false } }` for a mint without NUT-15. */
  perMint?: { alpha?: Partial<MintOptions>; beta?: Partial<MintOptions> };
  server?: Partial<MintServerOptions>;
  ports?: [number, number];
}

export async function startCashuStack(
  ledger: LightningLedger,
  opts: CashuStackOptions = {},
): Promise<CashuStack> {
  const alpha = await startStandInMint(ledger, 'alpha', {
    mint: { units: ['sat', 'usd'], ...opts.mint, ...opts.perMint?.alpha },
    server: { ...opts.server, ...(opts.ports ? { port: opts.ports[0] } : {}) },
  });
  const beta = await startStandInMint(ledger, 'beta', {
    mint: { units: ['sat'], ...opts.mint, ...opts.perMint?.beta },
    server: { ...opts.server, ...(opts.ports ? { port: opts.ports[1] } : {}) },
  });
  const mints = [alpha, beta];
  return {
    mints,
    routes: cashuRoutes(mints),
    stop: async () => void (await Promise.all(mints.map((m) => m.stop()))),
  };
}

export function cashuRoutes(mints: StandInMint[]): Route[] {
  const pick = (name: unknown): StandInMint => {
    const m = mints.find((x) => x.name === name || x.url === name);
    if (!m) throw new BadRequest(`no mint "${String(name)}"; use ${mints.map((x) => x.name).join(', ')}`);
    return m;
  };
  return [
    {
      method: 'GET',
      path: '/cashu',
      handler: () =>
        mints.map((m) => ({
          name: m.name,
          url: m.url,
          node: m.node,
          fault: m.fault,
          units: m.mint.opts.units,
          mpp: m.mint.opts.mpp,
          keysets: m.mint.keysets
            .all()
            .map((k) => ({ id: k.id, unit: k.unit, active: k.active, fee: k.inputFeePpk })),
        })),
    },
    {
      method: 'POST',
      path: '/cashu/fault',
      handler: (body) => {
        const b = z.object({ mint: z.string(), fault: z.enum(MINT_FAULTS) }).parse(body);
        pick(b.mint).setFault(b.fault);
        return { mint: b.mint, fault: b.fault };
      },
    },
    {
      method: 'POST',
      path: '/cashu/rotate',
      handler: (body) => {
        const b = z.object({ mint: z.string(), unit: z.string().default('sat') }).parse(body);
        const k = pick(b.mint).mint.rotate(b.unit);
        return { id: k.id, unit: k.unit };
      },
    },
    {
      method: 'POST',
      path: '/cashu/double-spend',
      handler: (body) => {
        const b = z.object({ token: z.string() }).parse(body);
        let proofs: WireProof[];
        let mintUrl: string;
        try {
          const token = getDecodedToken(
            b.token,
            mints.flatMap((m) => m.mint.keysets.all().map((k) => k.id)),
          );
          mintUrl = token.mint;
          proofs = token.proofs.map((p) => ({
            amount: Number(p.amount.toString()),
            id: p.id,
            secret: p.secret,
            C: p.C,
          }));
        } catch (err) {
          throw new BadRequest(`not a token: ${(err as Error).message}`);
        }
        try {
          return { spent: pick(mintUrl).mint.spendElsewhere(proofs) };
        } catch (err) {
          if (err instanceof MintError) throw new BadRequest(`${err.code}: ${err.detail}`);
          throw err;
        }
      },
    },
  ];
}
