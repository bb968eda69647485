import net from 'node:net';
import tls from 'node:tls';
import type { ElectrumServer } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';

export interface OpenSocketOptions {
  timeoutMs: number;
  /** SHA-256 fingerprint the TLS certificate must have; null or absent means "pin on first use". */
  pinnedFingerprint?: string | null;
  signal?: AbortSignal;
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
export function openSocket(server: ElectrumServer, opts: OpenSocketOptions): Promise<OpenedSocket> {
  const host = server.host.replace(/^\[(.*)\]$/, '$1');
  const where = `${server.host}:${server.port}`;
  return new Promise<OpenedSocket>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(cancelled(where));
      return;
    }
    const socket =
      server.transport === 'tls'
        ? tls.connect({
            host,
            port: server.port,
            rejectUnauthorized: false,
            // SNI may not carry an IP address (RFC 6066).
            ...(net.isIP(host) ? {} : { servername: host }),
          })
        : net.connect({ host, port: server.port });
    // A late error after we hand the socket over must never become an uncaught exception.
    socket.on('error', () => {});

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
      opts.timeoutMs,
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
    } else {
      socket.once('connect', () => finish(null));
    }
  });
}

function cancelled(where: string): FlashError {
  return new FlashError('ELECTRUM_NOT_CONNECTED', `Connection to ${where} was cancelled`);
}
