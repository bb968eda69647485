import http from 'node:http';
import https from 'node:https';
import { FlashError } from '../../shared/errors';
import { DialRefusedError, describeRefusal } from './dial-policy';
import type { NostrDialer } from './dialer';

/** A NIP-05 document lists names and relays; anything bigger is not one worth reading. */
export const NIP05_MAX_BYTES = 64 * 1024;
export const NIP05_TIMEOUT_MS = 5000;

/** Why a NIP-05 fetch failed (FlashError NOSTR_NIP05_FAILED, `details.reason`). */
export type Nip05FetchFailure =
  'refused' | 'timeout' | 'too-large' | 'redirect' | 'http' | 'unreachable' | 'format';

/** Fetches one NIP-05 document and returns its parsed JSON. */
export type Nip05Fetcher = (url: string) => Promise<unknown>;

function fail(
  reason: Nip05FetchFailure,
  message: string,
  extra: Record<string, string | number> = {},
): FlashError {
  return new FlashError('NOSTR_NIP05_FAILED', message, { reason, ...extra });
}

/**
 * GET `url` as NIP-05 wants it: no redirects (the NIP forbids following them), at most
 * `maxBytes` read (the rest is never downloaded), one deadline for connect, headers and body,
 * and the socket planned by the dialer (proxy, or a checked address). Throws typed failures.
 */
export function fetchNip05Json(
  url: string,
  dialer: NostrDialer,
  opts: { timeoutMs?: number; maxBytes?: number } = {},
): Promise<unknown> {
  const maxBytes = opts.maxBytes ?? NIP05_MAX_BYTES;
  const plan = dialer.web(url);
  if (!plan.ok)
    return Promise.reject(fail('refused', describeRefusal(plan.refusal), { refusal: plan.refusal.reason }));
  const u = new URL(url);
  const request = u.protocol === 'https:' ? https.request : http.request;
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const finish = (err: FlashError | null, value?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value);
    };
    const req = request(
      u,
      {
        method: 'GET',
        headers: { accept: 'application/json' },
        // A fresh agent (no keep-alive) unless the proxy's: nothing outlives this one request.
        agent: plan.options.agent ?? false,
        ...(plan.options.lookup ? { lookup: plan.options.lookup } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400)
          return finish(
            fail('redirect', `The NIP-05 host answered a redirect (HTTP ${status}).`, { status }),
          );
        if (status < 200 || status > 299) return finish(fail('http', `HTTP ${status}`, { status }));
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (declared > maxBytes)
          return finish(
            fail('too-large', `The NIP-05 document is ${declared} bytes; the limit is ${maxBytes}.`, {
              limit: maxBytes,
            }),
          );
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            finish(fail('too-large', `The NIP-05 document is over ${maxBytes} bytes.`, { limit: maxBytes }));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', () => finish(fail('unreachable', 'The NIP-05 host broke off the answer.')));
        res.on('end', () => {
          if (settled) return;
          try {
            finish(null, JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            finish(fail('format', 'The NIP-05 document is not JSON.'));
          }
        });
      },
    );
    const timeoutMs = opts.timeoutMs ?? NIP05_TIMEOUT_MS;
    const timer = setTimeout(
      () => finish(fail('timeout', `The NIP-05 host did not answer within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    req.on('error', (err) => {
      if (err instanceof DialRefusedError)
        finish(fail('refused', err.message, { refusal: err.refusal.reason }));
      else finish(fail('unreachable', 'Could not reach the NIP-05 host.'));
    });
    req.end();
  });
}
