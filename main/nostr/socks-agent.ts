import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { Socks5ProxySetting } from '../../shared/contract';

type Callback = (err: Error | null, stream: Duplex) => void;

/** What the agent's request options carry that the tunnel needs. */
interface TunnelTarget {
  host?: string | null | undefined;
  hostname?: string | null | undefined;
  port?: number | string | null | undefined;
  ca?: tls.ConnectionOptions['ca'];
  rejectUnauthorized?: boolean | undefined;
  checkServerIdentity?: tls.ConnectionOptions['checkServerIdentity'];
  ALPNProtocols?: tls.ConnectionOptions['ALPNProtocols'];
}

/** A socket through the SOCKS5 proxy to host:port, TLS on top when `secure`. */
function tunnel(
  proxy: Socks5ProxySetting,
  secure: boolean,
  timeoutMs: number,
  options: TunnelTarget,
  callback: Callback,
): void {
  // The agent ignores the stream argument when there is an error; there is none to give.
  const failed = (err: Error): void => callback(err, undefined as unknown as Duplex);
  const host = String(options.hostname ?? options.host ?? '').replace(/^\[(.*)\]$/, '$1');
  const port = Number(options.port ?? (secure ? 443 : 80));
  // The host name goes to the proxy unresolved (socks5h): no DNS query leaves this machine,
  // and Tor can reach .onion relays.
  // Loaded with the first proxied connection: start-up does not pay for it without a proxy.
  import('socks')
    .then(({ SocksClient }) =>
      SocksClient.createConnection({
        proxy: { host: proxy.host, port: proxy.port, type: 5 },
        command: 'connect',
        destination: { host, port },
        timeout: timeoutMs,
      }),
    )
    .then(
      ({ socket }) => {
        if (!secure) {
          callback(null, socket);
          return;
        }
        const secured = tls.connect({
          socket,
          // SNI may not carry an IP address (RFC 6066); the certificate is still checked against it.
          ...(net.isIP(host) ? {} : { servername: host }),
          host,
          ...(options.ca !== undefined ? { ca: options.ca } : {}),
          ...(options.rejectUnauthorized !== undefined
            ? { rejectUnauthorized: options.rejectUnauthorized }
            : {}),
          ...(options.checkServerIdentity ? { checkServerIdentity: options.checkServerIdentity } : {}),
          ...(options.ALPNProtocols ? { ALPNProtocols: options.ALPNProtocols } : {}),
        });
        let done = false;
        secured.once('secureConnect', () => {
          if (done) return;
          done = true;
          callback(null, secured);
        });
        secured.once('error', (err) => {
          if (done) return;
          done = true;
          socket.destroy();
          failed(err);
        });
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        failed(new Error(`SOCKS5 proxy ${proxy.host}:${proxy.port}: ${message}`));
      },
    );
}

/**
 * http/https agents whose every socket is a CONNECT through the SOCKS5 proxy. `ws` and
 * `http.request` take them as `agent`, so relay WebSockets and NIP-05 fetches share one path.
 * No keep-alive: a relay socket lives as long as its WebSocket, a NIP-05 socket for one request.
 */
export class SocksHttpAgent extends http.Agent {
  constructor(
    private readonly proxy: Socks5ProxySetting,
    private readonly timeoutMs: number,
  ) {
    super({ keepAlive: false });
  }
  override createConnection(options: http.ClientRequestArgs, callback?: Callback): Duplex | null | undefined {
    if (callback) tunnel(this.proxy, false, this.timeoutMs, options, callback);
    return undefined;
  }
}

export class SocksHttpsAgent extends https.Agent {
  constructor(
    private readonly proxy: Socks5ProxySetting,
    private readonly timeoutMs: number,
  ) {
    super({ keepAlive: false });
  }
  override createConnection(options: https.RequestOptions, callback?: Callback): Duplex | null | undefined {
    if (callback) tunnel(this.proxy, true, this.timeoutMs, options, callback);
    return undefined;
  }
}

/** The agent for a URL's scheme (ws/http plain, wss/https TLS). */
export function socksAgentFor(
  url: string,
  proxy: Socks5ProxySetting,
  timeoutMs: number,
): SocksHttpAgent | SocksHttpsAgent {
  const secure = /^(wss|https):/i.test(url);
  return secure ? new SocksHttpsAgent(proxy, timeoutMs) : new SocksHttpAgent(proxy, timeoutMs);
}
