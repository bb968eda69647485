import type { ElectrumServer, ElectrumStatus } from '../../../shared/contract';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** One live connection speaking Electrum JSON-RPC over newline-delimited TCP or TLS. */
export interface ElectrumClient {
  readonly server: ElectrumServer;
  /** Negotiated in server.version. */
  readonly protocolVersion: string | null;
  /** The server software named in its server.version reply, e.g. "ElectrumX 1.16.0". */
  readonly serverSoftware: string | null;
  /** SHA-256 of the server's TLS certificate (`AB:CD:...`), null over plain TCP. */
  readonly certificateFingerprint: string | null;
  /** False once the connection has closed, for whatever reason. */
  readonly isOpen: boolean;
  request(method: string, params: JsonValue[]): Promise<JsonValue>;
  /** Sends several requests as one JSON-RPC batch (one round trip); results in order. */
  batch(calls: { method: string; params: JsonValue[] }[]): Promise<JsonValue[]>;
  /** Server notifications (`blockchain.scripthash.subscribe`, `blockchain.headers.subscribe`). */
  onNotification(listener: (method: string, params: JsonValue[]) => void): () => void;
  onClose(listener: (err: Error | null) => void): () => void;
  close(): void;
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
  start(): void;
  stop(): void;
}
