import http from 'node:http';
import https from 'node:https';
import type { Socks5ProxySetting } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
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
  return (url) => {
    const u = new URL(url);
    const host = u.host;
    const proxy = opts.proxy();
    const request = u.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: FlashError | null, body?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(body);
      };
      const req = request(
        u,
        {
          method: 'GET',
          headers: { accept: 'application/json' },
          agent: proxy ? socksAgentFor(url, proxy, opts.timeoutMs) : false,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BYTES) {
              finish(
                new FlashError('PRICE_BAD_RESPONSE', `The answer of ${host} is over ${MAX_BYTES} bytes.`, {
                  host,
                }),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', () =>
            finish(new FlashError('PRICE_UNREACHABLE', `The answer of ${host} broke off.`, { host })),
          );
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              body = undefined;
            }
            // A server error (rate limit, maintenance) is an unreachable source: try again later.
            if (status >= 500 || status === 429)
              return finish(
                new FlashError('PRICE_UNREACHABLE', `${host} answered HTTP ${status}.`, { host, status }),
              );
            if (status !== 200 || body === undefined)
              return finish(
                new FlashError('PRICE_BAD_RESPONSE', `${host} answered HTTP ${status} without a price.`, {
                  host,
                  status,
                }),
              );
            finish(null, body);
          });
        },
      );
      const timer = setTimeout(
        () =>
          finish(
            new FlashError('PRICE_UNREACHABLE', `No answer from ${host} within ${opts.timeoutMs} ms.`, {
              host,
            }),
          ),
        opts.timeoutMs,
      );
      req.on('error', () =>
        finish(new FlashError('PRICE_UNREACHABLE', `Could not reach ${host}.`, { host })),
      );
      req.end();
    });
  };
}
