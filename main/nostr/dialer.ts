import type http from 'node:http';
import type { Socks5ProxySetting } from '../../shared/contract';
import type { DialRefusal, LookupFunction, Resolver } from './dial-policy';
import { checkDialUrl, guardedLookup, systemResolver } from './dial-policy';
import { socksAgentFor } from './socks-agent';

/** Socket options for one connection: through the proxy (`agent`) or direct with a checked `lookup`. */
export interface DialOptions {
  agent?: http.Agent;
  lookup?: LookupFunction;
}

export type DialPlan = { ok: true; options: DialOptions } | { ok: false; refusal: DialRefusal };

export interface NostrDialer {
  /** How to open a relay WebSocket now (asked again at every attempt: lists and proxy change). */
  relay(url: string): DialPlan;
  /** How to fetch a stranger's web URL (NIP-05); never trusted. */
  web(url: string): DialPlan;
}

export interface NostrDialerDeps {
  /** The SOCKS5 proxy in force now, or null for direct connections. */
  proxy(): Socks5ProxySetting | null;
  /** Relays the user chose: their own list and the ones passed with --nostr-relays. */
  isTrustedRelay(url: string): boolean;
  resolve?: Resolver;
  /** How long the proxy may take to open a tunnel. */
  proxyTimeoutMs?: number;
}

/**
 * Joins the dial policy and the proxy setting into socket options. Every NOSTR socket (relay
 * WebSockets, NIP-05 fetches) is planned here, so none can skip the proxy or the checks.
 */
export function createNostrDialer(deps: NostrDialerDeps): NostrDialer {
  const resolve = deps.resolve ?? systemResolver;
  const plan = (url: string, trusted: boolean): DialPlan => {
    const decision = checkDialUrl(url, { trusted });
    if (!decision.ok) return decision;
    const proxy = deps.proxy();
    // WHY no DNS check with a proxy: the host name goes to the proxy unresolved (socks5h), so the
    // proxy's resolver, not ours, decides where it lands; resolving here would leak the look-up
    // outside the proxy (and cannot see .onion names at all). Only literal IPs in the URL are
    // checked then, above. A proxy such as Tor refuses private destinations itself.
    if (proxy)
      return { ok: true, options: { agent: socksAgentFor(url, proxy, deps.proxyTimeoutMs ?? 10_000) } };
    if (trusted || decision.literal) return { ok: true, options: {} };
    return { ok: true, options: { lookup: guardedLookup(resolve) } };
  };
  return {
    relay: (url) => plan(url, deps.isTrustedRelay(url)),
    web: (url) => plan(url, false),
  };
}
