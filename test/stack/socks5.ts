import net from 'node:net';

/**
 * A minimal SOCKS5 proxy (RFC 1928) for tests: no-auth or username/password (RFC 1929), CONNECT
 * only, and only to loopback destinations, so it can never be used to reach the outside. It counts
 * connections and remembers where each CONNECT went, which lets tests prove traffic went through it.
 */
export interface Socks5Server {
  readonly host: string;
  readonly port: number;
  /** TCP connections accepted from clients. */
  readonly connections: number;
  /** Destinations of successful CONNECTs, as "host:port" (host as the client sent it). */
  readonly targets: readonly string[];
  /** Auth failures and refused requests. */
  readonly refused: number;
  /**
   * Local ports of the proxy's own connections to destinations: a destination server that sees
   * a client from one of these ports was reached through the proxy.
   */
  readonly upstreamPorts: ReadonlySet<number>;
  close(): Promise<void>;
}

export interface Socks5Options {
  /** Require RFC 1929 username/password; otherwise no authentication. */
  auth?: { username: string; password: string };
  port?: number;
  /**
   * Names this proxy resolves itself, as a Tor exit or any SOCKS5 server does for a CONNECT by
   * domain name (ATYP 3): "name:port" -> "127.0.0.1:port". The result must still be loopback.
   */
  names?: Record<string, string>;
}

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.']);

function isLoopback(host: string): boolean {
  if (LOOPBACK_NAMES.has(host.toLowerCase())) return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/** Reads exactly what it is asked for from a socket, across chunk boundaries. */
class Reader {
  private buf = Buffer.alloc(0);
  private want: { n: number; resolve: (b: Buffer) => void } | null = null;
  constructor(private readonly socket: net.Socket) {
    socket.on('data', this.onData);
  }
  private onData = (chunk: Buffer): void => {
    this.buf = Buffer.concat([this.buf, chunk]);
    this.flush();
  };
  private flush(): void {
    if (this.want && this.buf.length >= this.want.n) {
      const { n, resolve } = this.want;
      this.want = null;
      const out = this.buf.subarray(0, n);
      this.buf = this.buf.subarray(n);
      resolve(out);
    }
  }
  read(n: number): Promise<Buffer> {
    return new Promise((resolve) => {
      this.want = { n, resolve };
      this.flush();
    });
  }
  /** Stops reading and returns whatever arrived beyond the handshake. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    return this.buf;
  }
}

export async function startSocks5Server(opts: Socks5Options = {}): Promise<Socks5Server> {
  let connections = 0;
  let refused = 0;
  const targets: string[] = [];
  const upstreamPorts = new Set<number>();
  const sockets = new Set<net.Socket>();

  const handle = async (client: net.Socket): Promise<void> => {
    const r = new Reader(client);
    const [ver, nMethods] = await r.read(2);
    if (ver !== 5) throw new Error('not SOCKS5');
    const methods = [...(await r.read(nMethods ?? 0))];
    const wanted = opts.auth ? 0x02 : 0x00;
    if (!methods.includes(wanted)) {
      refused++;
      client.end(Buffer.from([5, 0xff]));
      return;
    }
    client.write(Buffer.from([5, wanted]));
    if (opts.auth) {
      const [authVer, uLen] = await r.read(2);
      const user = (await r.read(uLen ?? 0)).toString('utf8');
      const [pLen] = await r.read(1);
      const pass = (await r.read(pLen ?? 0)).toString('utf8');
      const ok = authVer === 1 && user === opts.auth.username && pass === opts.auth.password;
      if (!ok) {
        refused++;
        client.end(Buffer.from([1, 1]));
        return;
      }
      client.write(Buffer.from([1, 0]));
    }
    const [v, cmd, , atyp] = await r.read(4);
    let host: string;
    if (atyp === 1) host = [...(await r.read(4))].join('.');
    else if (atyp === 3) {
      const [len] = await r.read(1);
      host = (await r.read(len ?? 0)).toString('utf8');
    } else if (atyp === 4) {
      const b = await r.read(16);
      host = formatV6(b);
    } else throw new Error('bad address type');
    const port = (await r.read(2)).readUInt16BE(0);
    const reply = (code: number) => Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]);
    if (v !== 5 || cmd !== 1) {
      refused++;
      client.end(reply(0x07)); // command not supported
      return;
    }
    const named = opts.names?.[`${host.toLowerCase()}:${port}`];
    const [destHost, destPort] = named
      ? [named.slice(0, named.lastIndexOf(':')), Number(named.slice(named.lastIndexOf(':') + 1))]
      : [host, port];
    if (!isLoopback(destHost)) {
      refused++;
      client.end(reply(0x02)); // not allowed by ruleset
      return;
    }
    const upstream = net.connect({ host: destHost === 'localhost' ? '127.0.0.1' : destHost, port: destPort });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {
      if (!client.writableEnded) client.end(reply(0x05)); // connection refused
      client.destroy();
    });
    upstream.once('connect', () => {
      targets.push(`${host}:${port}`);
      if (upstream.localPort !== undefined) upstreamPorts.add(upstream.localPort);
      client.write(reply(0x00));
      const early = r.detach();
      if (early.length > 0) upstream.write(early);
      client.pipe(upstream);
      upstream.pipe(client);
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  };

  const server = net.createServer((client) => {
    connections++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    handle(client).catch(() => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('SOCKS5 server has no port');
  return {
    host: '127.0.0.1',
    port: address.port,
    get connections() {
      return connections;
    },
    get targets() {
      return targets;
    },
    get refused() {
      return refused;
    },
    upstreamPorts,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function formatV6(b: Buffer): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(b.readUInt16BE(i).toString(16));
  const full = parts.join(':');
  return full === '0:0:0:0:0:0:0:1' ? '::1' : full;
}
