import type { JsonValue } from '../../main/bitcoin/electrum/types';
import type { RegtestChain } from './chain';
import { ChainRejection } from './chain';

/** JSON-RPC error codes as ElectrumX uses them. */
export const RPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
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

export const SERVER_SOFTWARE = 'flash-stack 0.1';
export const PROTOCOL_MIN = '1.4';
export const PROTOCOL_MAX = '1.4';
/** Headers per blockchain.block.headers reply: one difficulty period, as the docs recommend. */
export const MAX_HEADERS = 2016;

/** What one connection remembers between requests. */
export interface SessionState {
  versionNegotiated: boolean;
  headersSubscribed: boolean;
  /** Subscribed script hash -> the status last sent for it. */
  scriptHashes: Map<string, string | null>;
}

export interface ServerInfo {
  host: string;
  tcpPort: number | null;
  tlsPort: number | null;
}

/**
 * What the handlers need from a chain. The regtest chain provides it directly; a future "lying"
 * mode can hand the handlers a wrapper that alters answers without touching the transport.
 */
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

type Handler = (params: JsonValue[], session: SessionState) => JsonValue;

export function createElectrumMethods(
  backend: ElectrumBackend,
  info: () => ServerInfo,
): (method: string, params: JsonValue[], session: SessionState) => JsonValue {
  const tipHeader = (): JsonValue => ({ height: backend.tipHeight, hex: backend.tip().headerHex });

  const handlers: Record<string, Handler> = {
    'server.version': (params, session) => {
      if (session.versionNegotiated) throw new RpcError(RPC.BAD_REQUEST, 'server.version already sent');
      const requested = params[1] ?? PROTOCOL_MIN;
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
      const chosen = minVersion(clientMax, PROTOCOL_MAX);
      if (compareVersions(chosen, maxVersion(clientMin, PROTOCOL_MIN)) < 0) {
        throw new RpcError(RPC.BAD_REQUEST, `unsupported protocol version: ${clientMin}-${clientMax}`, true);
      }
      session.versionNegotiated = true;
      return [SERVER_SOFTWARE, chosen];
    },
    'server.ping': () => null,
    'server.banner': () => 'Flash Desktop regtest stack. Coins here are worthless test coins.',
    'server.donation_address': () => '',
    'server.peers.subscribe': () => [],
    'server.features': () => {
      const { host, tcpPort, tlsPort } = info();
      return {
        genesis_hash: backend.genesisHash,
        hosts: { [host]: { tcp_port: tcpPort, ssl_port: tlsPort } },
        protocol_min: PROTOCOL_MIN,
        protocol_max: PROTOCOL_MAX,
        server_version: SERVER_SOFTWARE,
        hash_function: 'sha256',
        pruning: null,
      };
    },

    'blockchain.headers.subscribe': (_params, session) => {
      session.headersSubscribed = true;
      return tipHeader();
    },
    'blockchain.block.header': (params) => {
      const height = uint(params[0], 'height');
      const cpHeight = uint(params[1] ?? 0, 'cp_height');
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
    'blockchain.block.headers': (params) => {
      const start = uint(params[0], 'start_height');
      const requested = uint(params[1], 'count');
      const cpHeight = uint(params[2] ?? 0, 'cp_height');
      const count = Math.max(0, Math.min(requested, MAX_HEADERS, backend.tipHeight + 1 - start));
      let hex = '';
      for (let h = start; h < start + count; h++) hex += backend.blockAt(h)?.headerHex ?? '';
      const result: { [k: string]: JsonValue } = { count, hex, max: MAX_HEADERS };
      if (count > 0 && cpHeight !== 0) {
        const last = start + count - 1;
        if (last > cpHeight || cpHeight > backend.tipHeight) {
          throw new RpcError(RPC.BAD_REQUEST, `start_height + count - 1 must be <= cp_height <= tip`);
        }
        Object.assign(result, backend.headerProof(last, cpHeight));
      }
      return result;
    },
    'blockchain.estimatefee': (params) => {
      uint(params[0], 'number');
      return satPerVbToBtcPerKb(backend.feeRate);
    },
    'blockchain.relayfee': () => satPerVbToBtcPerKb(1),

    'blockchain.scripthash.subscribe': (params, session) => {
      const sh = scriptHashParam(params[0]);
      const status = backend.status(sh);
      session.scriptHashes.set(sh, status);
      return status;
    },
    'blockchain.scripthash.unsubscribe': (params, session) =>
      session.scriptHashes.delete(scriptHashParam(params[0])),
    'blockchain.scripthash.get_history': (params) => toJson(backend.history(scriptHashParam(params[0]))),
    'blockchain.scripthash.get_mempool': (params) => toJson(backend.mempoolFor(scriptHashParam(params[0]))),
    'blockchain.scripthash.get_balance': (params) => backend.balance(scriptHashParam(params[0])),
    'blockchain.scripthash.listunspent': (params) => toJson(backend.listUnspent(scriptHashParam(params[0]))),

    'blockchain.transaction.get': (params) => {
      const txid = txidParam(params[0]);
      if (params[1] === true) throw new RpcError(RPC.BAD_REQUEST, 'verbose transactions are not supported');
      const hex = backend.transactionHex(txid);
      if (hex === null) throw new RpcError(RPC.DAEMON_ERROR, 'No such mempool or blockchain transaction');
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
            `the transaction was rejected by network rules.\n\n${err.reason}`,
          );
        }
        throw err;
      }
    },

    'mempool.get_fee_histogram': () => backend.feeHistogram(),
  };

  return (method, params, session) => {
    const handler = Object.prototype.hasOwnProperty.call(handlers, method) ? handlers[method] : undefined;
    if (!handler) throw new RpcError(RPC.METHOD_NOT_FOUND, `unknown method "${method}"`);
    return handler(params, session);
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

function compareVersions(a: string, b: string): number {
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
