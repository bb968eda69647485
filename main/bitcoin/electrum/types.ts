import type { ElectrumServer, ElectrumStatus } from '../../../shared/contract';
import type { CertificateTrust, Socks5Proxy } from './socket';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** The outcome of comparing two servers' chain tips. */
export interface TipCheck {
  primary: { server: ElectrumServer; height: number; hash: string | null };
  secondary: { server: ElectrumServer; height: number; hash: string | null };
  /** The height whose headers were compared: the lower of the two tips. */
  comparedAt: number;
  ok: boolean;
}

/** What one connection cost, for benchmarks and diagnostics. */
export interface ClientStats {
  /** Writes that waited for replies: one per batch frame, one per single request. */
  roundTrips: number;
  /** JSON-RPC requests, counting each one inside a batch. */
  requests: number;
  bytesSent: number;
  bytesReceived: number;
}

/** One live connection speaking Electrum JSON-RPC over newline-delimited TCP or TLS. */
export interface ElectrumClient {
  readonly server: ElectrumServer;
  /** Negotiated in server.version. */
  readonly protocolVersion: string | null;
  /** The server software named in its server.version reply, e.g. "ElectrumX 1.16.0". */
  readonly serverSoftware: string | null;
  /** SHA-256 of the server's TLS certificate (`AB:CD:...`), null over plain TCP. */
  readonly certificateFingerprint: string | null;
  /** How the TLS certificate was accepted (optional so test doubles need not say). */
  readonly certificateTrust?: CertificateTrust | null;
  /** False once the connection has closed, for whatever reason. */
  readonly isOpen: boolean;
  request(method: string, params: JsonValue[]): Promise<JsonValue>;
  /** Sends several requests as one JSON-RPC batch (one round trip); results in order. */
  batch(calls: { method: string; params: JsonValue[] }[]): Promise<JsonValue[]>;
  /** Server notifications (`blockchain.scripthash.subscribe`, `blockchain.headers.subscribe`). */
  onNotification(listener: (method: string, params: JsonValue[]) => void): () => void;
  /** Counters since the connection opened (optional so test doubles need not implement it). */
  stats?(): ClientStats;
  /** Requests per batch frame this server gets now (1 once it refused batches). */
  batchSize?(): number;
  onClose(listener: (err: Error | null) => void): () => void;
  close(): void;
  /** Closes with a reason the owner sees (e.g. a protocol fault, so it fails over and says why). */
  abort?(err: Error): void;
}

/**
 * Keeps one server connected for the active network: pins TLS certificates on first use,
 * reconnects with exponential backoff, and reports status as `electrum.status` events.
 */
export interface ElectrumService {
  status(): ElectrumStatus;
  /** The live client, or throws ELECTRUM_NOT_CONNECTED. */
  client(): ElectrumClient;
  /** Called each time a fresh connection is ready (first connect and every reconnect). */
  onConnected(listener: (client: ElectrumClient) => void): () => void;
  /** Switch server (or network); drops the current connection. */
  setServer(server: ElectrumServer): void;
  reconnect(): ElectrumStatus;
  trustNewCertificate(): ElectrumStatus;
  /** Primary first, then fallbacks (optional members: test doubles need not implement them). */
  servers?(): ElectrumServer[];
  /** Servers tried, in order, when the primary fails; also used for the tip cross-check. */
  setFallbackServers?(servers: ElectrumServer[]): void;
  /** Route every connection through a SOCKS5 proxy (Tor), or directly with null; reconnects. */
  setProxy?(proxy: Socks5Proxy | null): void;
  /**
   * Stop using a server that lied (e.g. a bad merkle proof): fails over at once if it is the
   * current one, and shows a warning. reconnect() gives every server another chance.
   */
  markServerBad?(server: ElectrumServer, reason: string): void;
  /** Compares the current server's tip with another server's now; null when there is none to ask. */
  crossCheckTip?(): Promise<TipCheck | null>;
  /** Counters summed over every connection this service made. */
  stats?(): ClientStats;
  start(): void;
  stop(): void;
}
