import type { Socks5ProxySetting } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import { cappedGet, CappedGetError, parseJsonBody } from '../net/capped-get';
import { socksAgentFor } from '../nostr/socks-agent';

/** A price answer is a few hundred bytes; anything much larger is not a price. */
const MAX_BYTES = 64 * 1024;

export interface PriceHttpOptions {
  /** The app's SOCKS5 proxy now, or null to connect directly. */
  proxy(): Socks5ProxySetting | null;
  timeoutMs: number;
}

/** GETs a URL as JSON. Any failure is PRICE_UNREACHABLE or PRICE_BAD_RESPONSE, never a crash. */
export type PriceGet = (url: string) => Promise<unknown>;

/**
 * GETs through the SOCKS5 proxy when one is set (the host name goes to the proxy unresolved, so
 * asking a price leaks no DNS query either), with a deadline and a size cap.
 */
export function createPriceHttp(opts: PriceHttpOptions): PriceGet {
  return async (url) => {
    const u = new URL(url);
    const host = u.host;
    const proxy = opts.proxy();
    let answer;
    try {
      answer = await cappedGet(u, {
        agent: proxy ? socksAgentFor(url, proxy, opts.timeoutMs) : false,
        timeoutMs: opts.timeoutMs,
        maxBytes: MAX_BYTES,
      });
    } catch (err) {
      const reason = err instanceof CappedGetError ? err.reason : 'unreachable';
      if (reason === 'too-large')
        throw new FlashError('PRICE_BAD_RESPONSE', `The answer of ${host} is over ${MAX_BYTES} bytes.`, {
          host,
        });
      const message =
        reason === 'timeout'
          ? `No answer from ${host} within ${opts.timeoutMs} ms.`
          : reason === 'broken'
            ? `The answer of ${host} broke off.`
            : `Could not reach ${host}.`;
      throw new FlashError('PRICE_UNREACHABLE', message, { host });
    }
    const status = answer.status;
    // A server error (rate limit, maintenance) is an unreachable source: try again later.
    if (status >= 500 || status === 429)
      throw new FlashError('PRICE_UNREACHABLE', `${host} answered HTTP ${status}.`, { host, status });
    const body = answer.kind === 'body' ? parseJsonBody(answer.body) : undefined;
    if (status !== 200 || body === undefined)
      throw new FlashError('PRICE_BAD_RESPONSE', `${host} answered HTTP ${status} without a price.`, {
        host,
        status,
      });
    return body;
  };
}
