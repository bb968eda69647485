import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { PeerCertificate } from 'node:tls';
import type { Socks5ProxySetting } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { SocksHttpsAgent } from '../../nostr/socks-agent';
import { LightningError } from '../provider';

/**
 * LND's REST gateway, spoken as its description says (../shared/lnd/SOURCE.md): TLS with the
 * node's own certificate pinned (the system CAs are never consulted: a certificate other than the
 * one the user gave is refused before the macaroon is sent), the macaroon in hex in
 * `Grpc-Metadata-macaroon`, JSON bodies, and newline-delimited `{"result"|"error": …}` streams.
 * Through the app's SOCKS5 proxy when one is set (a node behind Tor).
 */

export interface LndRestOptions {
  host: string;
  port: number;
  certPem: string;
  /** Read at each request (the vault may have locked since). */
  macaroon(): Uint8Array;
  proxy(): Socks5ProxySetting | null;
  timeoutMs?: number;
}

/** LND's error body (gRPC status through the gateway). */
export interface RpcStatus {
  code: number;
  message: string;
}

export class LndRpcError extends Error {
  constructor(
    readonly status: RpcStatus,
    readonly httpStatus: number,
  ) {
    super(status.message);
    this.name = 'LndRpcError';
  }
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_LINE_BYTES = 1024 * 1024;

function isRpcStatus(v: unknown): v is RpcStatus {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as RpcStatus).message === 'string' &&
    typeof (v as RpcStatus).code === 'number'
  );
}

/** gRPC codes and LND's messages for credentials it refuses. */
export function isAuthError(s: RpcStatus): boolean {
  return (
    s.code === 16 ||
    s.code === 7 ||
    /verification failed|permission denied|expected 1 macaroon|cannot get macaroon|invalid macaroon/i.test(
      s.message,
    )
  );
}

export interface LndStream {
  /** Resolves when the stream ends (cleanly or not); never rejects. */
  done: Promise<void>;
  close(): void;
}

export function createLndRest(opts: LndRestOptions) {
  const pinned = new X509Certificate(opts.certPem).fingerprint256;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  let proxyKey = '';
  let agent: https.Agent | undefined;

  const tlsOptions = {
    ca: opts.certPem,
    // The CA list is the pinned certificate itself, so only it passes the chain check; this
    // then insists on that exact certificate (and ignores the host name: nodes are reached by
    // IP or onion names their certificate rarely lists).
    checkServerIdentity: (_host: string, cert: PeerCertificate): Error | undefined =>
      cert.fingerprint256 === pinned
        ? undefined
        : new Error('certificate does not match the pinned tls.cert'),
    rejectUnauthorized: true,
  };

  function agentFor(): https.Agent | undefined {
    const proxy = opts.proxy();
    const key = proxy ? `${proxy.host}:${proxy.port}` : '';
    if (key !== proxyKey) {
      agent?.destroy();
      agent = proxy ? new SocksHttpsAgent(proxy, timeoutMs) : undefined;
      proxyKey = key;
    }
    return agent;
  }

  function transportError(err: unknown): Error {
    const e = err as NodeJS.ErrnoException & { code?: string };
    const code = e?.code ?? '';
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) || /pinned tls\.cert/.test(e?.message ?? ''))
      return new FlashError('LIGHTNING_CERT_MISMATCH', 'The node presented another TLS certificate.', {
        reason: code || 'mismatch',
      });
    if (code === 'ETIMEDOUT') return new LightningError('timeout', 'The node did not answer in time.');
    return new LightningError('unreachable', `Cannot reach the node (${code || e?.message || 'error'}).`);
  }

  function request(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    onResponse: (res: IncomingMessage) => void,
  ) {
    const macaroon = Buffer.from(opts.macaroon()).toString('hex');
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const proxied = agentFor();
    return https.request(
      {
        host: opts.host,
        port: opts.port,
        method,
        path,
        headers: {
          'Grpc-Metadata-macaroon': macaroon,
          accept: 'application/json',
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
        ...tlsOptions,
        // A fresh connection per request unless proxied: nothing outlives the call.
        agent: proxied ?? false,
      },
      onResponse,
    );
  }

  function errorFrom(status: number, text: string): Error {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return new LightningError('provider-error', `The node answered HTTP ${status} without JSON.`);
    }
    if (isRpcStatus(parsed)) {
      if (isAuthError(parsed)) return new LightningError('unauthorized', parsed.message);
      return new LndRpcError(parsed, status);
    }
    return new LightningError('provider-error', `The node answered HTTP ${status}.`);
  }

  return {
    /** One request and its JSON answer; LND errors become LndRpcError or LightningError. */
    call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let settled = false;
        const finish = (err: Error | null, value?: T): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) {
            req.destroy();
            reject(err);
          } else resolve(value as T);
        };
        const req = request(method, path, body, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES)
              finish(new LightningError('provider-error', 'The node sent too much.'));
            else chunks.push(c);
          });
          res.on('error', (err) => finish(transportError(err)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) return finish(errorFrom(res.statusCode ?? 0, text));
            try {
              finish(null, JSON.parse(text) as T);
            } catch {
              finish(new LightningError('provider-error', 'The node sent something that is not JSON.'));
            }
          });
        });
        const timer = setTimeout(
          () => finish(new LightningError('timeout', 'The node did not answer in time.')),
          timeoutMs,
        );
        req.on('error', (err) => finish(transportError(err)));
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    },

    /**
     * A streaming call: `onItem` gets each `result`, `onError` an in-stream `error` (or a failed
     * request), and `done` resolves when the stream is over for any reason.
     */
    stream(
      method: 'GET' | 'POST',
      path: string,
      body: unknown,
      onItem: (item: unknown) => void,
      onError: (err: Error) => void,
    ): LndStream {
      let closed = false;
      let resolveDone: () => void = () => {};
      const done = new Promise<void>((r) => {
        resolveDone = r;
      });
      const end = (err: Error | null): void => {
        if (closed) return;
        closed = true;
        if (err) onError(err);
        req.destroy();
        resolveDone();
      };
      const req = request(method, path, body, (res) => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.length < 64 && chunks.push(c));
          res.on('end', () => end(errorFrom(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          res.on('error', (err) => end(transportError(err)));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (buffer.length > MAX_LINE_BYTES)
            return end(new LightningError('provider-error', 'A stream line is too long.'));
          let nl: number;
          while (!closed && (nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (line === '') continue;
            let msg: unknown;
            try {
              msg = JSON.parse(line);
            } catch {
              return end(
                new LightningError('provider-error', 'The node streamed something that is not JSON.'),
              );
            }
            const m = msg as { result?: unknown; error?: unknown };
            if (m.error !== undefined) {
              const status = isRpcStatus(m.error) ? m.error : { code: 2, message: 'stream error' };
              return end(
                isAuthError(status)
                  ? new LightningError('unauthorized', status.message)
                  : new LndRpcError(status, 200),
              );
            }
            if (m.result !== undefined) onItem(m.result);
          }
        });
        res.on('error', (err) => end(transportError(err)));
        res.on('end', () => end(null));
        res.on('close', () => end(null));
      });
      req.on('error', (err) => end(transportError(err)));
      req.end(body === undefined ? undefined : JSON.stringify(body));
      return { done, close: () => end(null) };
    },

    close(): void {
      agent?.destroy();
      agent = undefined;
      proxyKey = '';
    },
  };
}

export type LndRest = ReturnType<typeof createLndRest>;
