import type { Network, Socks5ProxySetting } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import type { Resolver } from '../../nostr/dial-policy';
import { DialRefusedError, describeRefusal } from '../../nostr/dial-policy';
import { createNostrDialer } from '../../nostr/dialer';
import { cappedGet, CappedGetError, parseJsonBody } from '../../net/capped-get';

/**
 * GETs for LNURL services: JSON bodies, a deadline, a size cap, at most a few redirects (each
 * planned again), and every socket planned by the NOSTR dial policy and the app's SOCKS5 proxy.
 * LNURLs come from strangers (a QR on a wall, a chat message), so the same rule as for strangers'
 * relays applies: no loopback, private or link-local address, ports 443/80 only. On regtest the
 * rule is off: regtest services are the user's own on this machine (the test stack).
 */

export const LNURL_TIMEOUT_MS = 15_000;
/** LUD-06 allows a 100 kB image in the metadata; nothing an LNURL service sends is larger. */
export const LNURL_MAX_BYTES = 512 * 1024;
const MAX_REDIRECTS = 3;

export interface LnurlHttpDeps {
  network(): Network;
  proxy(): Socks5ProxySetting | null;
  resolve?: Resolver;
  timeoutMs?: number;
  maxBytes?: number;
}

/** GETs a URL and parses the body as JSON whatever the status (LUD-01: status codes mean nothing). */
export type LnurlGet = (url: string) => Promise<unknown>;

function domainOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url.slice(0, 80);
  }
}

export function createLnurlHttp(deps: LnurlHttpDeps): LnurlGet {
  // The dialer's "relay" plan is its generic one with a trust switch: trusted (regtest) skips
  // the address rules, anything else gets them. Never its "web" plan, which is always untrusted.
  const dialer = createNostrDialer({
    proxy: deps.proxy,
    isTrustedRelay: () => deps.network() === 'regtest',
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
  });
  const timeoutMs = deps.timeoutMs ?? LNURL_TIMEOUT_MS;
  const maxBytes = deps.maxBytes ?? LNURL_MAX_BYTES;

  const once = async (url: string): Promise<{ redirect: string } | { body: Buffer; status: number }> => {
    const domain = domainOf(url);
    const plan = dialer.relay(url);
    if (!plan.ok)
      throw new FlashError('LNURL_REFUSED', describeRefusal(plan.refusal), {
        domain,
        refusal: plan.refusal.reason,
      });
    try {
      const answer = await cappedGet(new URL(url), {
        agent: plan.options.agent ?? false,
        ...(plan.options.lookup ? { lookup: plan.options.lookup } : {}),
        timeoutMs,
        maxBytes,
      });
      return answer.kind === 'redirect'
        ? { redirect: answer.location }
        : { body: answer.body, status: answer.status };
    } catch (err) {
      if (!(err instanceof CappedGetError))
        throw new FlashError('LNURL_UNREACHABLE', `Could not reach ${domain}.`, { domain });
      if (err.cause instanceof DialRefusedError)
        throw new FlashError('LNURL_REFUSED', err.cause.message, {
          domain,
          refusal: err.cause.refusal.reason,
        });
      if (err.reason === 'too-large') throw new FlashError('LNURL_BAD_RESPONSE', err.message, { domain });
      const message = err.reason === 'unreachable' ? `Could not reach ${domain}.` : err.message;
      throw new FlashError('LNURL_UNREACHABLE', message, { domain });
    }
  };

  /** LUD-01: https, or http for an onion service (and on regtest, for the user's own services). */
  const checkScheme = (url: string): void => {
    const u = new URL(url);
    const plainOk = u.hostname.endsWith('.onion') || deps.network() === 'regtest';
    if (u.protocol === 'https:' || (u.protocol === 'http:' && plainOk)) return;
    throw new FlashError('LNURL_REFUSED', 'An LNURL service must be reached over https.', {
      domain: domainOf(url),
      refusal: 'bad-url',
    });
  };

  return async (start: string) => {
    let url = start;
    checkScheme(url);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const result = await once(url);
      if ('body' in result) {
        const body = parseJsonBody(result.body);
        // The status rides along only to explain a non-JSON answer: a 404 or 410 is a link the
        // service no longer knows (BTCPay answers 404 for an expired or archived pull payment).
        if (body === undefined)
          throw new FlashError('LNURL_BAD_RESPONSE', 'The answer is not JSON.', {
            domain: domainOf(url),
            status: result.status,
          });
        return body;
      }
      // A redirect is held to the same rules as the first address (scheme here, address in once()).
      checkScheme(result.redirect);
      url = result.redirect;
    }
    throw new FlashError('LNURL_BAD_RESPONSE', 'Too many redirects.', { domain: domainOf(start) });
  };
}
