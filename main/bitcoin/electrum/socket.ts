import net from 'node:net';
import tls from 'node:tls';
import { SocksClient } from 'socks';
import type { ElectrumServer } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';

export interface OpenSocketOptions {
  timeoutMs: number;
  /** SHA-256 fingerprint the TLS certificate must have; null or absent means "pin on first use". */
  pinnedFingerprint?: string | null;
  signal?: AbortSignal;
  /** Connect through a SOCKS5 proxy (e.g. Tor at 127.0.0.1:9050); TLS then runs inside the tunnel. */
  proxy?: Socks5Proxy | null;
}

export interface Socks5Proxy {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

export interface OpenedSocket {
  socket: net.Socket;
  /** SHA-256 of the TLS certificate the server showed (null over plain TCP). */
  certificateFingerprint: string | null;
}

/** Canonical form, `AB:CD:...` upper case, so pins compare equal whatever way they were typed. */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/.{1,2}/g)?.join(':') ?? '';
}

/** `host:port` as the pin store keys it; IPv6 hosts in brackets so the port stays unambiguous. */
export function serverKey(server: ElectrumServer): string {
  const host = server.host.includes(':') && !server.host.startsWith('[') ? `[${server.host}]` : server.host;
  return `${host.toLowerCase()}:${server.port}`;
}

/**
 * Opens a TCP or TLS connection. TLS certificates are not checked against any CA: Electrum
 * servers are mostly self-signed, so trust comes from the pinned fingerprint instead.
 */
export async function openSocket(server: ElectrumServer, opts: OpenSocketOptions): Promise<OpenedSocket> {
  if (!opts.proxy) return openOver(server, opts, null, opts.timeoutMs);
  const started = Date.now();
  const tunnel = await openProxyTunnel(server, opts.proxy, opts);
  const left = Math.max(1, opts.timeoutMs - (Date.now() - started));
  return openOver(server, opts, tunnel, left);
}

/** CONNECT through the SOCKS5 proxy; the host name goes to the proxy unresolved (Tor needs that for .onion). */
async function openProxyTunnel(
  server: ElectrumServer,
  proxy: Socks5Proxy,
  opts: OpenSocketOptions,
): Promise<net.Socket> {
  const host = server.host.replace(/^\[(.*)\]$/, '$1');
  const where = `${server.host}:${server.port}`;
  if (opts.signal?.aborted) throw cancelled(where);
  const attempt = SocksClient.createConnection({
    proxy: {
      host: proxy.host,
      port: proxy.port,
      type: 5,
      ...(proxy.username !== undefined ? { userId: proxy.username } : {}),
      ...(proxy.password !== undefined ? { password: proxy.password } : {}),
    },
    command: 'connect',
    destination: { host, port: server.port },
    timeout: opts.timeoutMs,
    set_tcp_nodelay: true,
  });
  let onAbort: (() => void) | null = null;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelled(where));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const { socket } = await Promise.race([attempt, aborted]);
    return socket;
  } catch (err) {
    // A tunnel that completes after a cancel must not leak.
    attempt.then(({ socket }) => socket.destroy()).catch(() => {});
    if (err instanceof FlashError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const timedOut = /timed? ?out/i.test(message);
    throw new FlashError(
      timedOut ? 'ELECTRUM_TIMEOUT' : 'ELECTRUM_UNREACHABLE',
      `Cannot reach ${where} through the SOCKS5 proxy ${proxy.host}:${proxy.port}: ${message}`,
      { proxy: `${proxy.host}:${proxy.port}` },
    );
  } finally {
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    aborted.catch(() => {});
  }
}

function openOver(
  server: ElectrumServer,
  opts: OpenSocketOptions,
  tunnel: net.Socket | null,
  timeoutMs: number,
): Promise<OpenedSocket> {
  const host = server.host.replace(/^\[(.*)\]$/, '$1');
  const where = `${server.host}:${server.port}`;
  return new Promise<OpenedSocket>((resolve, reject) => {
    if (opts.signal?.aborted) {
      tunnel?.destroy();
      reject(cancelled(where));
      return;
    }
    const socket =
      server.transport === 'tls'
        ? tls.connect({
            ...(tunnel ? { socket: tunnel } : { host, port: server.port }),
            rejectUnauthorized: false,
            // SNI may not carry an IP address (RFC 6066).
            ...(net.isIP(host) ? {} : { servername: host }),
          })
        : (tunnel ?? net.connect({ host, port: server.port }));
    // A late error after we hand the socket over must never become an uncaught exception.
    socket.on('error', () => {});
    tunnel?.on('error', () => {});

    let settled = false;
    const finish = (err: FlashError | null, fingerprint: string | null = null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (err) {
        socket.destroy();
        tunnel?.destroy();
        reject(err);
      } else {
        socket.setNoDelay(true);
        resolve({ socket, certificateFingerprint: fingerprint });
      }
    };
    const onError = (err: Error): void =>
      finish(new FlashError('ELECTRUM_UNREACHABLE', `Cannot reach ${where}: ${err.message}`));
    const onClose = (): void =>
      finish(new FlashError('ELECTRUM_UNREACHABLE', `${where} closed the connection while connecting`));
    const onAbort = (): void => finish(cancelled(where));
    const timer = setTimeout(
      () =>
        finish(
          new FlashError(
            'ELECTRUM_TIMEOUT',
            `${where} did not accept a connection within ${opts.timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );

    socket.once('error', onError);
    socket.once('close', onClose);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    if (socket instanceof tls.TLSSocket) {
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate();
        if (!cert || typeof cert.fingerprint256 !== 'string' || cert.fingerprint256 === '') {
          finish(new FlashError('ELECTRUM_PROTOCOL', `${where} presented no TLS certificate`));
          return;
        }
        const actual = normalizeFingerprint(cert.fingerprint256);
        const pinned = opts.pinnedFingerprint ? normalizeFingerprint(opts.pinnedFingerprint) : null;
        if (pinned && pinned !== actual) {
          finish(
            new FlashError(
              'ELECTRUM_CERT_CHANGED',
              `The TLS certificate of ${where} changed: pinned ${pinned}, offered ${actual}`,
              { server: where, pinned, offered: actual },
            ),
          );
          return;
        }
        finish(null, actual);
      });
    } else if (tunnel) {
      // Already connected through the proxy.
      queueMicrotask(() => finish(null));
    } else {
      socket.once('connect', () => finish(null));
    }
  });
}

function cancelled(where: string): FlashError {
  return new FlashError('ELECTRUM_NOT_CONNECTED', `Connection to ${where} was cancelled`);
}
