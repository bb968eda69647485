import net from 'node:net';
import tls from 'node:tls';
import type { ElectrumServer } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';

/**
 * Why a TLS server is trusted, as Electrum decides it: a certificate valid for the host name under
 * the trusted CAs is checked that way from then on (a renewal needs nothing from the user); only
 * a certificate that is not (self-signed, usually) is pinned by its fingerprint on first use.
 */
export type TlsTrust = { kind: 'ca' } | { kind: 'pinned'; fingerprint: string };

/** How the certificate of an opened TLS connection was accepted. */
export type CertificateTrust =
  /** Valid for the host name under the trusted CAs. */
  | 'ca'
  /** Matched the pinned fingerprint. */
  | 'pinned'
  /** Not CA-valid and nothing known about the server yet: pin it now (trust on first use). */
  | 'first-use';

export interface OpenSocketOptions {
  timeoutMs: number;
  /**
   * What this server was trusted for before (see TlsTrust); null or absent: first use. A server
   * once found CA-valid must stay CA-valid: it never falls back to trust on first use.
   */
  trust?: TlsTrust | null;
  /** Same as `trust: { kind: 'pinned', fingerprint }`, when `trust` is absent. */
  pinnedFingerprint?: string | null;
  /**
   * The CA certificates (PEM) a certificate must chain to; default Node's bundled Mozilla roots,
   * the same list Electrum ships (certifi). Tests pass their own CA, never touching the real roots.
   */
  trustedCa?: readonly string[];
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
  /** How that certificate was accepted (null over plain TCP). */
  certificateTrust: CertificateTrust | null;
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
 * Opens a TCP or TLS connection. A TLS server already known as CA-valid gets Node's normal
 * verification (chain and host name); a pinned one must show its pinned certificate; on first use
 * the handshake tells which of the two the server is (see TlsTrust).
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
  // Loaded with the first proxied connection: start-up does not pay for it without a proxy.
  const { SocksClient } = await import('socks');
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
    const trust = trustOf(opts);
    const socket =
      server.transport === 'tls'
        ? tls.connect({
            ...(tunnel ? { socket: tunnel } : { host, port: server.port }),
            // A CA-valid server is verified as any TLS client would, and the connection fails
            // in the handshake when it no longer is. Otherwise Node still verifies (the result is
            // socket.authorized) but leaves the decision to the pin check below.
            rejectUnauthorized: trust?.kind === 'ca',
            // SNI may not carry an IP address (RFC 6066).
            ...(net.isIP(host) ? {} : { servername: host }),
            // The name to check is the server's, also through a proxy tunnel (where Node would
            // otherwise check the tunnel's end, or "localhost").
            checkServerIdentity: (_name, cert) => tls.checkServerIdentity(host, cert),
            ...(opts.trustedCa ? { ca: [...opts.trustedCa] } : {}),
          })
        : (tunnel ?? net.connect({ host, port: server.port }));
    // A late error after we hand the socket over must never become an uncaught exception.
    socket.on('error', () => {});
    tunnel?.on('error', () => {});

    let settled = false;
    const finish = (
      err: FlashError | null,
      fingerprint: string | null = null,
      accepted: CertificateTrust | null = null,
    ): void => {
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
        resolve({ socket, certificateFingerprint: fingerprint, certificateTrust: accepted });
      }
    };
    const onError = (err: Error): void =>
      finish(
        trust?.kind === 'ca' && isCertificateError(err)
          ? noLongerCaValid(where, err)
          : new FlashError('ELECTRUM_UNREACHABLE', `Cannot reach ${where}: ${err.message}`),
      );
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
        // Node verified the chain and the host name in the handshake either way.
        if (trust?.kind === 'ca') {
          // rejectUnauthorized already refused anything else; this only guards that promise.
          if (socket.authorized) finish(null, actual, 'ca');
          else finish(noLongerCaValid(where, new Error(String(socket.authorizationError))));
          return;
        }
        if (trust?.kind === 'pinned') {
          const pinned = normalizeFingerprint(trust.fingerprint);
          if (pinned !== actual) {
            finish(
              new FlashError(
                'ELECTRUM_CERT_CHANGED',
                `The TLS certificate of ${where} changed: pinned ${pinned}, offered ${actual}`,
                { server: where, pinned, offered: actual },
              ),
            );
            return;
          }
          finish(null, actual, 'pinned');
          return;
        }
        // First use: one handshake answers both questions, and nothing has been sent yet.
        finish(null, actual, socket.authorized ? 'ca' : 'first-use');
      });
    } else if (tunnel) {
      // Already connected through the proxy.
      queueMicrotask(() => finish(null));
    } else {
      socket.once('connect', () => finish(null));
    }
  });
}

function trustOf(opts: OpenSocketOptions): TlsTrust | null {
  if (opts.trust) return opts.trust;
  return opts.pinnedFingerprint ? { kind: 'pinned', fingerprint: opts.pinnedFingerprint } : null;
}

/**
 * OpenSSL's certificate verification failures (node reports their X509 names as the code) and
 * Node's host-name mismatch, as opposed to a connection that failed for any other reason.
 */
function isCertificateError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return (
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY|DECRYPT|DECODE)|CHAIN|ISSUER|SIGNATURE|PATH_LENGTH|INVALID_CA|INVALID_PURPOSE/.test(
      code,
    )
  );
}

/** A server once CA-valid now shows a certificate that is not: refused, never pinned instead. */
function noLongerCaValid(where: string, err: Error): FlashError {
  const reason = (err as NodeJS.ErrnoException).code ?? err.message;
  return new FlashError(
    'ELECTRUM_CERT_INVALID',
    `The TLS certificate of ${where} is not valid for it (${reason}). Its certificate was signed by a ` +
      'certificate authority before, so Flash refuses this one rather than trust it on first use.',
    { server: where, reason },
  );
}

function cancelled(where: string): FlashError {
  return new FlashError('ELECTRUM_NOT_CONNECTED', `Connection to ${where} was cancelled`);
}
