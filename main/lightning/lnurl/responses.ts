import { z } from 'zod';
import { FlashError } from '../../../shared/errors';

/**
 * What LNURL services answer, per LUD-03/04/06/09/10/12/16, checked with zod. Numbers that are
 * msat must be whole and non-negative; anything else makes the answer unusable (LNURL_BAD_RESPONSE),
 * and a `{"status":"ERROR","reason":…}` body becomes LNURL_SERVICE_ERROR with the service's words.
 */

const MsatNumber = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const HttpUrl = z.string().url();

export const ServiceError = z.object({
  status: z.string().regex(/^error$/i),
  reason: z.string().max(2000).optional(),
});

export const PayRequest = z.object({
  tag: z.literal('payRequest'),
  callback: HttpUrl,
  minSendable: MsatNumber,
  maxSendable: MsatNumber,
  metadata: z.string().max(600_000),
  commentAllowed: z.number().int().min(0).max(100_000).optional(),
  // NIP-57 (zaps): the service can publish zap receipts signed by this key.
  allowsNostr: z.boolean().optional(),
  nostrPubkey: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type PayRequest = z.infer<typeof PayRequest>;

export const SuccessAction = z.discriminatedUnion('tag', [
  z.object({ tag: z.literal('message'), message: z.string().max(1000) }),
  z.object({ tag: z.literal('url'), description: z.string().max(1000), url: HttpUrl }),
  z.object({
    tag: z.literal('aes'),
    description: z.string().max(1000),
    ciphertext: z.string().max(8192),
    iv: z.string().length(24),
  }),
]);
export type SuccessAction = z.infer<typeof SuccessAction>;

export const PayCallback = z.object({
  pr: z.string().min(10).max(8192),
  routes: z.array(z.unknown()).optional(),
  // Validated on its own below: an unknown tag must stop the payment, not be dropped silently.
  successAction: z.unknown().optional(),
  disposable: z.boolean().nullable().optional(),
});

export const WithdrawRequest = z.object({
  tag: z.literal('withdrawRequest'),
  callback: HttpUrl,
  k1: z.string().min(1).max(1000),
  defaultDescription: z.string().max(2000).default(''),
  minWithdrawable: MsatNumber,
  maxWithdrawable: MsatNumber,
});
export type WithdrawRequest = z.infer<typeof WithdrawRequest>;

export const StatusOk = z.object({ status: z.string().regex(/^ok$/i) });

/** A `{"status":"ERROR","reason":…}` body as LNURL_SERVICE_ERROR, with the service's own words. */
export function throwIfServiceError(body: unknown, domain: string): void {
  const error = ServiceError.safeParse(body);
  if (error.success)
    throw new FlashError(
      'LNURL_SERVICE_ERROR',
      `The service refused: ${error.data.reason ?? 'no reason given'}`,
      {
        domain,
        reason: (error.data.reason ?? '').slice(0, 300),
      },
    );
}

/** Parses a body as `schema`, turning a service ERROR or a wrong shape into typed errors. */
export function read<T>(schema: z.ZodType<T>, body: unknown, domain: string): T {
  throwIfServiceError(body, domain);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FlashError(
      'LNURL_BAD_RESPONSE',
      `Unusable answer (${issue?.path.join('.') || 'body'}: ${issue?.message})`,
      {
        domain,
      },
    );
  }
  return parsed.data;
}

/** LUD-06 metadata: a JSON array of [type, content] arrays with exactly one text/plain entry. */
export interface PayMetadata {
  description: string;
  longDescription: string | null;
  image: string | null;
  /** LUD-16: the text/identifier or text/email entry. */
  identifier: string | null;
}

export function parseMetadata(raw: string, domain: string): PayMetadata {
  let entries: unknown;
  try {
    entries = JSON.parse(raw);
  } catch {
    throw new FlashError('LNURL_BAD_RESPONSE', 'The payment metadata is not JSON.', { domain });
  }
  if (!Array.isArray(entries) || !entries.every((e) => Array.isArray(e) && typeof e[0] === 'string'))
    throw new FlashError('LNURL_BAD_RESPONSE', 'The payment metadata is not a list of entries.', { domain });
  const rows = entries as [string, ...unknown[]][];
  const of = (type: string): unknown[] => rows.filter((r) => r[0] === type).map((r) => r[1]);
  const plain = of('text/plain');
  if (plain.length !== 1 || typeof plain[0] !== 'string')
    throw new FlashError('LNURL_BAD_RESPONSE', 'The payment metadata needs exactly one text/plain entry.', {
      domain,
    });
  const str = (values: unknown[]): string | null => (typeof values[0] === 'string' ? values[0] : null);
  const png = str(of('image/png;base64'));
  const jpeg = str(of('image/jpeg;base64'));
  const base64 = /^[A-Za-z0-9+/=\s]+$/;
  const image =
    png && base64.test(png)
      ? `data:image/png;base64,${png.replace(/\s/g, '')}`
      : jpeg && base64.test(jpeg)
        ? `data:image/jpeg;base64,${jpeg.replace(/\s/g, '')}`
        : null;
  return {
    description: plain[0],
    longDescription: str(of('text/long-desc')),
    image,
    identifier: str(of('text/identifier')) ?? str(of('text/email')),
  };
}
