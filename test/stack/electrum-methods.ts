import type { JsonValue } from '../../main/bitcoin/electrum/types';
import type { RegtestChain } from './chain';
import { ChainRejection } from './chain';
import type { HistoryEntry } from './electrum-status';
import { statusHash } from './electrum-status';
import { submitPackage } from './package-relay';

/**
 * The Electrum protocol methods, answered as each protocol version specifies them
 * (spesmilo/electrum-protocol, docs/protocol-methods.rst and protocol-changes.rst). The shapes that
 * changed in 1.6 follow the session's negotiated version, so a client that asks for 1.6 and then
 * reads 1.4's shapes fails here exactly as it fails against Fulcrum or ElectrumX.
 */

/** JSON-RPC error codes as ElectrumX and Fulcrum use them. */
export const RPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  /** aiorpcx's code when a session's cost runs over (ElectrumX). */
  EXCESSIVE_RESOURCE_USAGE: -101,
  BAD_REQUEST: 1,
  DAEMON_ERROR: 2,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** Close the connection after sending this error (failed version negotiation). */
    readonly closeAfter = false,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export const SERVER_SOFTWARE = 'flash-stack 0.2';

/**
 * Which protocol versions the server offers. '1.4' is a server that stops at 1.4.2 (ElectrumX
 * before 1.18, electrs); '1.5' one whose maximum is 1.5, a version the spec skipped: as ElectrumX
 * does, it answers with 1.4's handlers; '1.6' offers only 1.6; '1.4-1.6' is Fulcrum 2 and
 * ElectrumX 1.18.
 */
export type ProtocolOffer = '1.4' | '1.5' | '1.6' | '1.4-1.6';
export const PROTOCOL_OFFERS: readonly ProtocolOffer[] = ['1.4', '1.5', '1.6', '1.4-1.6'];
export const DEFAULT_PROTOCOL_OFFER: ProtocolOffer = '1.4-1.6';

export function offerRange(offer: ProtocolOffer): { min: string; max: string } {
  switch (offer) {
    case '1.4':
      return { min: '1.4', max: '1.4.2' };
    case '1.5':
      return { min: '1.4', max: '1.5' };
    case '1.6':
      return { min: '1.6', max: '1.6' };
    case '1.4-1.6':
      return { min: '1.4', max: '1.6' };
  }
}

/**
 * Dialect faults real servers have, each of them allowed by the protocol or common in the field:
 * - 'no-batch': a JSON array is answered with one "Invalid request" error (Fulcrum with batching
 *   off, several small servers);
 * - 'close-on-error': the connection is closed after any error reply;
 * - 'estimatefee-unavailable': `blockchain.estimatefee` answers -1 (node without enough data);
 * - 'ignore-cp-height': `cp_height` is ignored: no header proofs, as if it were 0;
 * - 'rate-limit': requests beyond a budget get aiorpcx's -101 "excessive resource usage";
 * - 'electrumx-errors': error texts as ElectrumX words them (the default is Fulcrum's);
 * - 'mixed-shapes': not a dialect but a broken server, for the client's fault path: it answers
 *   `blockchain.block.headers` in the shape of the version it did NOT negotiate.
 */
export type DialectQuirk =
  | 'no-batch'
  | 'close-on-error'
  | 'estimatefee-unavailable'
  | 'ignore-cp-height'
  | 'rate-limit'
  | 'electrumx-errors'
  | 'mixed-shapes';
export const DIALECT_QUIRKS: readonly DialectQuirk[] = [
  'no-batch',
  'close-on-error',
  'estimatefee-unavailable',
  'ignore-cp-height',
  'rate-limit',
  'electrumx-errors',
  'mixed-shapes',
];

/** Headers per blockchain.block.headers reply: one difficulty period, as the docs recommend. */
export const MAX_HEADERS = 2016;
const ESTIMATE_MODES = new Set(['CONSERVATIVE', 'ECONOMICAL']);

/** What one connection remembers between requests. */
export interface SessionState {
  /** The version agreed in server.version; null before it (see `call`). */
  protocol: string | null;
  headersSubscribed: boolean;
  /** Subscribed script hash -> the status last sent for it. */
  scriptHashes: Map<string, string | null>;
}

export function newSessionState(): SessionState {
  return { protocol: null, headersSubscribed: false, scriptHashes: new Map() };
}

export interface ServerInfo {
  host: string;
  tcpPort: number | null;
  tlsPort: number | null;
}

/** What the handlers read from a chain: the chain itself, or the lying wrapper around it. */
export type ElectrumBackend = Pick<
  RegtestChain,
  | 'genesisHash'
  | 'tipHeight'
  | 'tip'
  | 'blockAt'
  | 'feeRate'
  | 'headerProof'
  | 'history'
  | 'mempoolFor'
  | 'status'
  | 'balance'
  | 'listUnspent'
  | 'transactionHex'
  | 'merkleProof'
  | 'broadcast'
  | 'feeHistogram'
>;

export interface MethodOptions {
  offer: () => ProtocolOffer;
  quirks: () => ReadonlySet<DialectQuirk>;
  /** For broadcast_package (package relay needs the chain itself, not a read-only view). */
  chain?: RegtestChain;
}

export interface ElectrumMethods {
  call(method: string, params: JsonValue[], session: SessionState): JsonValue;
  /** A script hash's status as this session's protocol version computes it. */
  statusFor(scriptHash: string, session: SessionState): string | null;
}

type Handler = (params: JsonValue[], session: SessionState) => JsonValue;

export function createElectrumMethods(
  backend: ElectrumBackend,
  info: () => ServerInfo,
  opts: MethodOptions,
): ElectrumMethods {
  const quirk = (q: DialectQuirk): boolean => opts.quirks().has(q);
  const tipHeader = (): JsonValue => ({ height: backend.tipHeight, hex: backend.tip().headerHex });
  const modern = (session: SessionState): boolean => compareVersions(session.protocol ?? '1.4', '1.6') >= 0;
  const unknownMethod = (method: string): RpcError =>
    new RpcError(
      RPC.METHOD_NOT_FOUND,
      quirk('electrumx-errors') ? `unknown method "${method}"` : 'Unknown method',
    );

  /**
   * History (mempool entries carry their `fee`, as the spec shows) with the mempool part in the session's order: canonical (-height, txid) from 1.6; in
   * 1.4 the order is undefined, and this server uses txid descending, unlike 1.6, so a client that
   * computes 1.4 statuses itself, or compares them across versions, is caught.
   */
  const historyFor = (scriptHash: string, session: SessionState): HistoryEntry[] => {
    const all = backend.history(scriptHash);
    if (modern(session)) return all;
    const confirmed = all.filter((e) => e.height > 0);
    const mempool = all
      .filter((e) => e.height <= 0)
      .sort((a, b) => (a.tx_hash < b.tx_hash ? 1 : a.tx_hash > b.tx_hash ? -1 : 0));
    return [...confirmed, ...mempool];
  };
  const statusFor = (scriptHash: string, session: SessionState): string | null =>
    statusHash(historyFor(scriptHash, session));

  const handlers: Record<string, Handler> = {
    'server.version': (params, session) => {
      if (session.protocol !== null) throw new RpcError(RPC.BAD_REQUEST, 'server.version already sent');
      const { min, max } = offerRange(opts.offer());
      // 1.6: "the server must tolerate and ignore extraneous arguments"; a server that stops
      // before 1.6 checks its signature (client_name, protocol_version) like any method.
      if (params.length > 2 && compareVersions(max, '1.6') < 0) {
        throw new RpcError(RPC.INVALID_PARAMS, 'server.version takes at most 2 arguments');
      }
      const requested = params[1] ?? '1.4';
      let clientMin: string;
      let clientMax: string;
      if (typeof requested === 'string') {
        clientMin = clientMax = requested;
      } else if (
        Array.isArray(requested) &&
        requested.length === 2 &&
        requested.every((v) => typeof v === 'string')
      ) {
        [clientMin, clientMax] = requested as [string, string];
      } else {
        throw new RpcError(RPC.INVALID_PARAMS, 'protocol_version must be a string or [min, max]');
      }
      if (!isVersion(clientMin) || !isVersion(clientMax)) {
        throw new RpcError(RPC.INVALID_PARAMS, 'protocol versions look like "1.4"');
      }
      const chosen = minVersion(clientMax, max);
      if (compareVersions(chosen, maxVersion(clientMin, min)) < 0) {
        throw new RpcError(RPC.BAD_REQUEST, `unsupported protocol version: ${clientMin}-${clientMax}`, true);
      }
      session.protocol = chosen;
      return [SERVER_SOFTWARE, chosen];
    },
    'server.ping': () => null,
    'server.banner': () => 'Flash Desktop regtest stack. Coins here are worthless test coins.',
    'server.donation_address': () => '',
    'server.peers.subscribe': () => [],
    'server.features': (_params, session) => {
      const { host, tcpPort, tlsPort } = info();
      const { min, max } = offerRange(opts.offer());
      return {
        genesis_hash: backend.genesisHash,
        hosts: { [host]: { tcp_port: tcpPort, ssl_port: tlsPort } },
        protocol_min: min,
        protocol_max: max,
        server_version: SERVER_SOFTWARE,
        hash_function: 'sha256',
        pruning: null,
        // As Fulcrum does: said only where the method exists and works.
        ...(modern(session) && opts.chain ? { broadcast_package: true } : {}),
      };
    },

    'blockchain.headers.subscribe': (_params, session) => {
      session.headersSubscribed = true;
      return tipHeader();
    },
    'blockchain.block.header': (params) => {
      const height = uint(params[0], 'height');
      const cpHeight = quirk('ignore-cp-height') ? 0 : uint(params[1] ?? 0, 'cp_height');
      const block = backend.blockAt(height);
      if (!block) throw new RpcError(RPC.BAD_REQUEST, `height ${height} out of range`);
      if (cpHeight === 0) return block.headerHex;
      if (height > cpHeight || cpHeight > backend.tipHeight) {
        throw new RpcError(
          RPC.BAD_REQUEST,
          `header height ${height} must be <= cp_height ${cpHeight} <= tip`,
        );
      }
      return { header: block.headerHex, ...backend.headerProof(height, cpHeight) };
    },
    'blockchain.block.headers': (params, session) => {
      const start = uint(params[0], 'start_height');
      const requested = uint(params[1], 'count');
      const cpHeight = quirk('ignore-cp-height') ? 0 : uint(params[2] ?? 0, 'cp_height');
      const count = Math.max(0, Math.min(requested, MAX_HEADERS, backend.tipHeight + 1 - start));
      const headers: string[] = [];
      for (let h = start; h < start + count; h++) headers.push(backend.blockAt(h)?.headerHex ?? '');
      const result: { [k: string]: JsonValue } =
        modern(session) !== quirk('mixed-shapes')
          ? { count, headers, max: MAX_HEADERS }
          : { count, hex: headers.join(''), max: MAX_HEADERS };
      if (count > 0 && cpHeight !== 0) {
        const last = start + count - 1;
        if (last > cpHeight || cpHeight > backend.tipHeight) {
          throw new RpcError(RPC.BAD_REQUEST, `start_height + count - 1 must be <= cp_height <= tip`);
        }
        Object.assign(result, backend.headerProof(last, cpHeight));
      }
      return result;
    },
    'blockchain.estimatefee': (params, session) => {
      uint(params[0], 'number');
      if (params.length > 1) {
        if (!modern(session))
          throw new RpcError(RPC.INVALID_PARAMS, 'blockchain.estimatefee takes 1 argument');
        const mode = params[1];
        if (mode !== null && (typeof mode !== 'string' || !ESTIMATE_MODES.has(mode.toUpperCase()))) {
          throw new RpcError(RPC.BAD_REQUEST, `unknown estimatefee mode: ${String(mode)}`);
        }
      }
      if (quirk('estimatefee-unavailable')) return -1;
      return satPerVbToBtcPerKb(backend.feeRate);
    },

    'blockchain.scripthash.subscribe': (params, session) => {
      const sh = scriptHashParam(params[0]);
      const status = statusFor(sh, session);
      session.scriptHashes.set(sh, status);
      return status;
    },
    'blockchain.scripthash.unsubscribe': (params, session) =>
      session.scriptHashes.delete(scriptHashParam(params[0])),
    'blockchain.scripthash.get_history': (params, session) =>
      toJson(historyFor(scriptHashParam(params[0]), session)),
    'blockchain.scripthash.get_mempool': (params, session) =>
      toJson(historyFor(scriptHashParam(params[0]), session).filter((e) => e.height <= 0)),
    'blockchain.scripthash.get_balance': (params) => backend.balance(scriptHashParam(params[0])),
    'blockchain.scripthash.listunspent': (params) => toJson(backend.listUnspent(scriptHashParam(params[0]))),

    'blockchain.transaction.get': (params) => {
      const txid = txidParam(params[0]);
      if (params[1] === true) throw new RpcError(RPC.BAD_REQUEST, 'verbose transactions are not supported');
      const hex = backend.transactionHex(txid);
      if (hex === null) throw noSuchTransaction();
      return hex;
    },
    'blockchain.transaction.get_merkle': (params) => {
      const txid = txidParam(params[0]);
      const height = uint(params[1], 'height');
      try {
        return backend.merkleProof(txid, height);
      } catch (err) {
        if (err instanceof ChainRejection) throw new RpcError(RPC.BAD_REQUEST, err.reason);
        throw err;
      }
    },
    'blockchain.transaction.id_from_pos': (params) => {
      const height = uint(params[0], 'height');
      const pos = uint(params[1], 'tx_pos');
      const block = backend.blockAt(height);
      const txid = block?.txids[pos];
      if (!block || txid === undefined)
        throw new RpcError(RPC.BAD_REQUEST, `no tx at position ${pos} of block ${height}`);
      if (params[2] !== true) return txid;
      return { tx_hash: txid, merkle: backend.merkleProof(txid, height).merkle };
    },
    'blockchain.transaction.broadcast': (params) => {
      if (typeof params[0] !== 'string')
        throw new RpcError(RPC.INVALID_PARAMS, 'raw_tx must be a hex string');
      try {
        return backend.broadcast(params[0]);
      } catch (err) {
        if (err instanceof ChainRejection) {
          throw new RpcError(
            RPC.BAD_REQUEST,
            quirk('electrumx-errors')
              ? `the transaction was rejected by network rules.\n\n${err.reason}\n[${params[0]}]`
              : `the transaction was rejected by network rules.\n\n${err.reason}`,
          );
        }
        throw err;
      }
    },

    'mempool.get_fee_histogram': () => backend.feeHistogram(),
  };

  /** Methods that exist only before 1.6, or only from 1.6. */
  const before16: Record<string, Handler> = {
    'blockchain.relayfee': () => satPerVbToBtcPerKb(1),
  };
  const from16: Record<string, Handler> = {
    'mempool.get_info': () => ({
      mempoolminfee: satPerVbToBtcPerKb(1),
      minrelaytxfee: satPerVbToBtcPerKb(1),
      incrementalrelayfee: satPerVbToBtcPerKb(1),
    }),
    'blockchain.transaction.broadcast_package': (params) => {
      const [txs, verbose] = params;
      if (!Array.isArray(txs) || txs.length === 0 || !txs.every((t) => typeof t === 'string')) {
        throw new RpcError(RPC.INVALID_PARAMS, 'raw_txs must be a list of hex strings');
      }
      if (verbose !== undefined && typeof verbose !== 'boolean') {
        throw new RpcError(RPC.BAD_REQUEST, '"verbose" must be a boolean');
      }
      if (!opts.chain) throw unknownMethod('blockchain.transaction.broadcast_package');
      const outcome = submitPackage(opts.chain, txs as string[]);
      if (outcome.kind === 'malformed') {
        throw new RpcError(
          RPC.BAD_REQUEST,
          `the tx package was rejected by network rules.\n\n${outcome.reason}.`,
        );
      }
      if (verbose === true) return outcome.verbose as unknown as JsonValue;
      return outcome.errors.length === 0
        ? { success: true }
        : { success: false, errors: outcome.errors.map((e) => ({ txid: e.txid, error: e.error })) };
    },
  };

  const noSuchTransaction = (): RpcError =>
    new RpcError(
      RPC.DAEMON_ERROR,
      quirk('electrumx-errors')
        ? "daemon error: DaemonError({'code': -5, 'message': 'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.'})"
        : 'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.',
    );

  return {
    statusFor,
    call(method, params, session) {
      if (session.protocol === null && method !== 'server.version') {
        const { min, max } = offerRange(opts.offer());
        // From 1.6 "the server.version message must be the first message sent". Older servers
        // accepted other messages first and spoke their lowest version.
        if (compareVersions(max, '1.6') >= 0) {
          throw new RpcError(RPC.BAD_REQUEST, 'use server.version to identify client', true);
        }
        session.protocol = min;
      }
      const table = modern(session) ? from16 : before16;
      const own = (t: Record<string, Handler>): Handler | undefined =>
        Object.prototype.hasOwnProperty.call(t, method) ? t[method] : undefined;
      const handler = own(handlers) ?? own(table);
      if (!handler) throw unknownMethod(method);
      return handler(params, session);
    },
  };
}

function toJson<T extends object>(items: T[]): JsonValue {
  return items as unknown as JsonValue;
}

function satPerVbToBtcPerKb(satPerVb: number): number {
  return (satPerVb * 1000) / 100_000_000;
}

function uint(value: JsonValue | undefined, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RpcError(RPC.INVALID_PARAMS, `${name} must be a non-negative integer`);
  }
  return value;
}

function scriptHashParam(value: JsonValue | undefined): string {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new RpcError(RPC.INVALID_PARAMS, 'invalid script hash');
  }
  return value.toLowerCase();
}

function txidParam(value: JsonValue | undefined): string {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new RpcError(RPC.INVALID_PARAMS, 'invalid tx hash');
  }
  return value.toLowerCase();
}

function isVersion(v: string): boolean {
  return /^\d+(\.\d+)+$/.test(v);
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function minVersion(a: string, b: string): string {
  return compareVersions(a, b) <= 0 ? a : b;
}

function maxVersion(a: string, b: string): string {
  return compareVersions(a, b) >= 0 ? a : b;
}
