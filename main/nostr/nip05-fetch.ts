import { FlashError } from '../../shared/errors';
import { cappedGet, CappedGetError, parseJsonBody } from '../net/capped-get';
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
 * `maxBytes` read, one deadline, and the socket planned by the dialer (proxy, or a checked
 * address). Throws typed failures.
 */
export async function fetchNip05Json(
  url: string,
  dialer: NostrDialer,
  opts: { timeoutMs?: number; maxBytes?: number } = {},
): Promise<unknown> {
  const maxBytes = opts.maxBytes ?? NIP05_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? NIP05_TIMEOUT_MS;
  const plan = dialer.web(url);
  if (!plan.ok) throw fail('refused', describeRefusal(plan.refusal), { refusal: plan.refusal.reason });
  let answer;
  try {
    answer = await cappedGet(new URL(url), {
      // A fresh agent (no keep-alive) unless the proxy's: nothing outlives this one request.
      agent: plan.options.agent ?? false,
      ...(plan.options.lookup ? { lookup: plan.options.lookup } : {}),
      timeoutMs,
      maxBytes,
    });
  } catch (err) {
    const reason = err instanceof CappedGetError ? err.reason : 'unreachable';
    if (err instanceof CappedGetError && err.cause instanceof DialRefusedError)
      throw fail('refused', err.cause.message, { refusal: err.cause.refusal.reason });
    if (reason === 'timeout') throw fail('timeout', `The NIP-05 host did not answer within ${timeoutMs} ms.`);
    if (reason === 'too-large')
      throw fail('too-large', `The NIP-05 document is over ${maxBytes} bytes.`, { limit: maxBytes });
    if (reason === 'broken') throw fail('unreachable', 'The NIP-05 host broke off the answer.');
    throw fail('unreachable', 'Could not reach the NIP-05 host.');
  }
  const status = answer.status;
  if (status >= 300 && status < 400)
    throw fail('redirect', `The NIP-05 host answered a redirect (HTTP ${status}).`, { status });
  if (status < 200 || status > 299 || answer.kind !== 'body')
    throw fail('http', `HTTP ${status}`, { status });
  const body = parseJsonBody(answer.body);
  if (body === undefined) throw fail('format', 'The NIP-05 document is not JSON.');
  return body;
}
