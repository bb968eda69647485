import createClient from 'openapi-fetch';
import { FlashError } from '../../../shared/errors';
import type { components, paths } from './schema';

/**
 * The Greenfield client: openapi-fetch over the types generated from BTCPay's published spec
 * (`npm run gen:btcpay`), with the API key as `Authorization: token …`, a timeout on every call,
 * and failures turned into typed FlashErrors.
 */

export type Greenfield = ReturnType<typeof createClient<paths>>;
export type GreenfieldSchemas = components['schemas'];

export interface GreenfieldOptions {
  serverUrl: string;
  apiKey: string;
  /** Per request; BTCPay answers in well under a second when healthy. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export function createGreenfield(opts: GreenfieldOptions): Greenfield {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseFetch = opts.fetch ?? globalThis.fetch;
  return createClient<paths>({
    baseUrl: normalizeServerUrl(opts.serverUrl),
    headers: { Authorization: `token ${opts.apiKey}`, Accept: 'application/json' },
    fetch: async (request: Request) => {
      const attempt = () =>
        baseFetch(new Request(request.clone(), { signal: AbortSignal.timeout(timeoutMs) }));
      try {
        return await attempt();
      } catch (err) {
        // A kept-alive connection the server closed while we reused it: a read is safe to send again.
        if ((request.method === 'GET' || request.method === 'HEAD') && isStaleConnection(err))
          return attempt();
        throw err;
      }
    },
  });
}

function isStaleConnection(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
}

/** "https://pay.example.com/" → "https://pay.example.com"; keeps a path prefix (BTCPay behind /btcpay). */
export function normalizeServerUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new FlashError('BAD_INPUT', 'That is not a server address.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new FlashError(
      'BAD_INPUT',
      'The server address must start with https:// (or http:// on this machine).',
    );
  }
  parsed.hash = '';
  parsed.search = '';
  return parsed.toString().replace(/\/+$/, '');
}

/** What BTCPay's error answers carry. */
interface GreenfieldErrorBody {
  code?: string;
  message?: string;
  missingPermission?: string;
}

/**
 * Runs one Greenfield call and returns its data, or throws a FlashError saying what went wrong:
 * MERCHANT_UNREACHABLE / MERCHANT_TIMEOUT (network), MERCHANT_BAD_KEY (401), MERCHANT_FORBIDDEN
 * (403, with the missing permission), MERCHANT_NOT_FOUND (404), MERCHANT_REFUSED (400/422,
 * with BTCPay's message), MERCHANT_SERVER_ERROR (5xx).
 */
export async function call<T>(
  what: string,
  run: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await run();
  } catch (err) {
    throw networkError(what, err);
  }
  const { response } = result;
  if (response.ok) {
    if (result.data === undefined && response.status !== 204 && response.status !== 200) {
      throw new FlashError('MERCHANT_BAD_RESPONSE', `BTCPay sent no data for ${what}.`);
    }
    return result.data as T;
  }
  throw httpError(what, response.status, result.error);
}

export function networkError(what: string, err: unknown): FlashError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new FlashError('MERCHANT_TIMEOUT', `BTCPay did not answer in time (${what}).`);
  }
  return new FlashError('MERCHANT_UNREACHABLE', `Cannot reach the BTCPay server (${what}).`);
}

export function httpError(what: string, status: number, body: unknown): FlashError {
  const e = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as GreenfieldErrorBody;
  const firstValidation = Array.isArray(body) ? (body[0] as { message?: unknown } | undefined) : undefined;
  const message =
    typeof e.message === 'string'
      ? e.message
      : typeof firstValidation?.message === 'string'
        ? firstValidation.message
        : '';
  if (status === 401) return new FlashError('MERCHANT_BAD_KEY', 'BTCPay does not accept this API key.');
  if (status === 403) {
    return new FlashError('MERCHANT_FORBIDDEN', `The API key may not do this (${what}).`, {
      permission: typeof e.missingPermission === 'string' ? e.missingPermission : null,
    });
  }
  if (status === 404) return new FlashError('MERCHANT_NOT_FOUND', `BTCPay does not know this (${what}).`);
  if (status >= 500)
    return new FlashError('MERCHANT_SERVER_ERROR', `BTCPay had an error (${what}, HTTP ${status}).`);
  return new FlashError(
    'MERCHANT_REFUSED',
    message.slice(0, 300) || `BTCPay refused ${what} (HTTP ${status}).`,
    {
      reason: message.slice(0, 300),
    },
  );
}
