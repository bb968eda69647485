import { z } from 'zod';
import type { ElectrumServer } from '../../shared/contract';
import type { ChainOptions } from './chain';
import { RegtestChain } from './chain';
import { enableReplaceByFee } from './replacement';
import type { Route } from './control-api';
import type { ElectrumTestServer, FaultMode } from './electrum-server';
import { createElectrumServer, FAULT_MODES } from './electrum-server';
import type { DialectQuirk, ProtocolOffer } from './electrum-methods';
import { DEFAULT_PROTOCOL_OFFER, DIALECT_QUIRKS, PROTOCOL_OFFERS } from './electrum-methods';
import type { LieMode } from './lying';
import { LIE_MODES } from './lying';
import type { TlsCredentials } from './tls';
import { generateTlsCredentials } from './tls';

export interface BitcoinStackOptions {
  electrumPort?: number;
  electrumTlsPort?: number;
  chain?: ChainOptions;
  /** Reuse a certificate (e.g. to keep a pin valid across restarts); a fresh one otherwise. */
  tls?: TlsCredentials;
  /** BIP125 replacement in the mempool (default on, as in Bitcoin Core). */
  rbf?: boolean;
  /**
   * Electrum protocol versions offered. Default: FLASH_STACK_ELECTRUM_PROTOCOL when set (so one
   * test suite runs once per version), else 1.4-1.6 as Fulcrum 2 offers.
   */
  electrumProtocol?: ProtocolOffer;
  /** Dialect faults of real servers (see electrum-methods.ts). */
  electrumQuirks?: DialectQuirk[];
}

/** The protocol offer a stack gets when its options name none. */
export function defaultProtocolOffer(): ProtocolOffer {
  const fromEnv = process.env['FLASH_STACK_ELECTRUM_PROTOCOL'];
  if (fromEnv === undefined || fromEnv === '') return DEFAULT_PROTOCOL_OFFER;
  if (!(PROTOCOL_OFFERS as readonly string[]).includes(fromEnv)) {
    throw new Error(`FLASH_STACK_ELECTRUM_PROTOCOL must be one of ${PROTOCOL_OFFERS.join(', ')}`);
  }
  return fromEnv as ProtocolOffer;
}

export interface BitcoinStack {
  chain: RegtestChain;
  server: ElectrumTestServer;
  electrum: ElectrumServer & { transport: 'tcp' };
  electrumTls: ElectrumServer & { transport: 'tls' };
  tls: TlsCredentials;
  routes: Route[];
  stop(): Promise<void>;
}

/** The regtest chain with its Electrum server on TCP and TLS, and its control routes. */
export async function startBitcoinStack(opts: BitcoinStackOptions = {}): Promise<BitcoinStack> {
  const chain = new RegtestChain(opts.chain);
  // Like Bitcoin Core's default mempool policy, so "Speed up" works on the demo stack.
  if (opts.rbf !== false) enableReplaceByFee(chain);
  const credentials = opts.tls ?? (await generateTlsCredentials());
  const server = createElectrumServer({
    chain,
    protocol: opts.electrumProtocol ?? defaultProtocolOffer(),
    quirks: opts.electrumQuirks ?? [],
  });
  try {
    const tcp = await server.listen({ transport: 'tcp', port: opts.electrumPort ?? 0 });
    const tlsEnd = await server.listen({
      transport: 'tls',
      port: opts.electrumTlsPort ?? 0,
      tls: credentials,
    });
    const electrum = { host: tcp.host, port: tcp.port, transport: 'tcp' as const };
    const electrumTls = { host: tlsEnd.host, port: tlsEnd.port, transport: 'tls' as const };
    return {
      chain,
      server,
      electrum,
      electrumTls,
      tls: credentials,
      routes: bitcoinRoutes(chain, server, electrum, electrumTls, credentials),
      stop: () => server.close(),
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}

const MineBody = z
  .object({
    blocks: z.number().int().min(1).max(1000).default(1),
    address: z.string().min(1).optional(),
  })
  .strict();
const SendBody = z.object({ address: z.string().min(1), sats: z.number().int().positive() }).strict();
const FaultBody = z.object({ mode: z.enum(FAULT_MODES as [FaultMode, ...FaultMode[]]) }).strict();
const BroadcastBody = z.object({ hex: z.string().min(2) }).strict();
const LieBody = z.object({ mode: z.enum(LIE_MODES as [LieMode, ...LieMode[]]) }).strict();
const ElectrumBody = z
  .object({
    protocol: z.enum(PROTOCOL_OFFERS as [ProtocolOffer, ...ProtocolOffer[]]).optional(),
    quirks: z.array(z.enum(DIALECT_QUIRKS as [DialectQuirk, ...DialectQuirk[]])).optional(),
  })
  .strict();
const ReorgBody = z
  .object({
    depth: z.number().int().min(1).max(1000),
    blocks: z.number().int().min(2).max(1001).optional(),
    remine: z.boolean().optional(),
  })
  .strict();

function bitcoinRoutes(
  chain: RegtestChain,
  server: ElectrumTestServer,
  electrum: ElectrumServer,
  electrumTls: ElectrumServer,
  credentials: TlsCredentials,
): Route[] {
  const info = () => ({
    network: 'regtest',
    tipHeight: chain.tipHeight,
    tipHash: chain.tip().hash,
    genesisHash: chain.genesisHash,
    stackAddress: chain.stackAddress,
    electrum,
    electrumTls,
    electrumTlsFingerprint: credentials.fingerprint256,
    fault: server.fault,
    lie: server.lie,
    electrumProtocol: server.protocol,
    electrumQuirks: server.quirks,
    mempool: chain.mempoolTxids().length,
  });
  return [
    { method: 'GET', path: '/info', handler: info },
    {
      method: 'POST',
      path: '/mine',
      handler: (body) => {
        const { blocks, address } = MineBody.parse(body ?? {});
        const blockHashes = chain.mine(blocks, address);
        return { blockHashes, tipHeight: chain.tipHeight };
      },
    },
    {
      method: 'POST',
      path: '/send',
      handler: (body) => {
        const { address, sats } = SendBody.parse(body);
        return chain.send(address, sats);
      },
    },
    {
      method: 'POST',
      path: '/broadcast',
      handler: (body) => ({ txid: chain.broadcast(BroadcastBody.parse(body).hex) }),
    },
    {
      method: 'POST',
      path: '/fault',
      handler: (body) => {
        const { mode } = FaultBody.parse(body);
        server.setFault(mode);
        return { mode };
      },
    },
    {
      method: 'POST',
      path: '/lie',
      handler: (body) => {
        const { mode } = LieBody.parse(body);
        server.setLie(mode);
        return { mode };
      },
    },
    {
      method: 'POST',
      path: '/electrum',
      handler: (body) => {
        const { protocol, quirks } = ElectrumBody.parse(body ?? {});
        if (protocol) server.setProtocol(protocol);
        if (quirks) server.setQuirks(quirks);
        return { protocol: server.protocol, quirks: server.quirks };
      },
    },
    {
      method: 'POST',
      path: '/reorg',
      handler: (body) => {
        const { depth, blocks, remine } = ReorgBody.parse(body);
        const result = chain.reorg(depth, {
          ...(blocks !== undefined ? { blocks } : {}),
          ...(remine !== undefined ? { remine } : {}),
        });
        return { ...result, tipHeight: chain.tipHeight };
      },
    },
  ];
}
