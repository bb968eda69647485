import type { ElectrumServer, Socks5ProxySetting } from '../../../shared/contract/electrum';

const HOST = /^[A-Za-z0-9.\-:[\]]+$/;

export type HostError = 'hostRequired' | 'hostInvalid';
export type ServerCheck =
  { ok: true; server: ElectrumServer } | { ok: false; host: HostError | null; port: 'portInvalid' | null };

export function checkHost(text: string): HostError | null {
  const host = text.trim();
  if (host === '') return 'hostRequired';
  if (host.length > 253 || !HOST.test(host)) return 'hostInvalid';
  return null;
}

export function parsePort(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,5}$/.test(s)) return null;
  const port = Number(s);
  return port >= 1 && port <= 65535 ? port : null;
}

/** A server typed by the user, with one precise error per field. */
export function checkServer(input: { host: string; port: string; transport: 'tcp' | 'tls' }): ServerCheck {
  const host = checkHost(input.host);
  const port = parsePort(input.port);
  if (host || port === null) return { ok: false, host, port: port === null ? 'portInvalid' : null };
  return { ok: true, server: { host: input.host.trim(), port, transport: input.transport } };
}

const sameServer = (a: ElectrumServer, b: ElectrumServer): boolean =>
  a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port;

/** Why a server cannot join the fallback list (the service refuses the same cases). */
export function fallbackConflict(
  server: ElectrumServer,
  primary: ElectrumServer,
  fallbacks: readonly ElectrumServer[],
  max: number,
): 'isPrimary' | 'duplicate' | 'tooMany' | null {
  if (sameServer(server, primary)) return 'isPrimary';
  if (fallbacks.some((f) => sameServer(f, server))) return 'duplicate';
  if (fallbacks.length >= max) return 'tooMany';
  return null;
}

/** "host:port" or "[v6]:port"; null for anything else. */
export function parseProxy(text: string): Socks5ProxySetting | null {
  const s = text.trim();
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(s);
  if (!m?.[1] || !m[2]) return null;
  if (checkHost(m[1]) !== null) return null;
  const port = parsePort(m[2]);
  // The proxy is dialled with the bare IPv6 address; brackets only separate it from the port here.
  return port === null ? null : { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}

export const formatProxy = (p: Socks5ProxySetting): string =>
  p.host.includes(':') ? `[${p.host}]:${p.port}` : `${p.host}:${p.port}`;
export const formatServer = (s: ElectrumServer): string =>
  `${s.host}:${s.port} (${s.transport.toUpperCase()})`;
