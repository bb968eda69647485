import { z } from 'zod';
import type { LightningPayment, PaymentState } from '../provider';

/** NIP-47 event kinds. */
export const KIND_NWC_INFO = 13194;
export const KIND_NWC_REQUEST = 23194;
export const KIND_NWC_RESPONSE = 23195;
/** Notifications encrypted with NIP-04 (kept for backwards compatibility). */
export const KIND_NWC_NOTIFICATION_NIP04 = 23196;
/** Notifications encrypted with NIP-44. */
export const KIND_NWC_NOTIFICATION = 23197;

export const NWC_METHODS = [
  'pay_invoice',
  'make_invoice',
  'lookup_invoice',
  'list_transactions',
  'get_balance',
  'get_info',
] as const;
export type NwcMethod = (typeof NWC_METHODS)[number];

export const NWC_NOTIFICATIONS = ['payment_received', 'payment_sent'] as const;
export type NwcNotificationType = (typeof NWC_NOTIFICATIONS)[number];

export function isNwcMethod(m: string): m is NwcMethod {
  return (NWC_METHODS as readonly string[]).includes(m);
}

/** msat amounts: NIP-47 sends JSON numbers; anything not a non-negative safe integer is refused. */
const Msat = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Seconds = z.number().int().nonnegative().max(1e11);
const Hex64 = z.string().regex(/^[0-9a-fA-F]{64}$/);

/** One invoice or payment as NIP-47 describes it (make_invoice, lookup_invoice, list, notifications). */
export const NwcTransaction = z.object({
  type: z.enum(['incoming', 'outgoing']),
  state: z.enum(['pending', 'settled', 'accepted', 'expired', 'failed']).optional().nullable(),
  invoice: z.string().max(8192).optional().nullable(),
  description: z.string().max(4096).optional().nullable(),
  description_hash: z.string().max(128).optional().nullable(),
  preimage: z.string().max(128).optional().nullable(),
  payment_hash: Hex64,
  amount: Msat,
  fees_paid: Msat.optional().nullable(),
  created_at: Seconds,
  expires_at: Seconds.optional().nullable(),
  settled_at: Seconds.optional().nullable(),
});
export type NwcTransaction = z.infer<typeof NwcTransaction>;

const PayResult = z.object({ preimage: Hex64, fees_paid: Msat.optional().nullable() });
const BalanceResult = z.object({ balance: Msat });
const InfoResult = z.object({
  alias: z.string().max(256).optional().nullable(),
  color: z.string().max(32).optional().nullable(),
  pubkey: z.string().max(130).optional().nullable(),
  network: z.string().max(32).optional().nullable(),
  block_height: z.number().int().nonnegative().optional().nullable(),
  block_hash: z.string().max(64).optional().nullable(),
  methods: z.array(z.string().max(64)).max(64),
  notifications: z.array(z.string().max(64)).max(64).optional().nullable(),
});
const ListResult = z.object({ transactions: z.array(NwcTransaction).max(1000) });

export const RESULT_SCHEMAS = {
  pay_invoice: PayResult,
  make_invoice: NwcTransaction,
  lookup_invoice: NwcTransaction,
  list_transactions: ListResult,
  get_balance: BalanceResult,
  get_info: InfoResult,
} as const satisfies Record<NwcMethod, z.ZodType>;

export type NwcResult<M extends NwcMethod> = z.infer<(typeof RESULT_SCHEMAS)[M]>;

/** Parameters of each request, as NIP-47 lists them (only what Flash sends or serves). */
export interface NwcParams {
  pay_invoice: { invoice: string; amount?: number; metadata?: Record<string, unknown> };
  make_invoice: { amount: number; description?: string; description_hash?: string; expiry?: number };
  lookup_invoice: { payment_hash?: string; invoice?: string };
  list_transactions: {
    from?: number;
    until?: number;
    limit?: number;
    offset?: number;
    unpaid?: boolean;
    type?: 'incoming' | 'outgoing';
  };
  get_balance: Record<string, never>;
  get_info: Record<string, never>;
}

export const NwcRequestBody = z.object({
  method: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).optional().nullable(),
});

const ResponseEnvelope = z.object({
  result_type: z.string().max(64),
  error: z
    .object({ code: z.string().max(64), message: z.string().max(4096).optional().nullable() })
    .optional()
    .nullable(),
  result: z.unknown().optional(),
});

export type ParsedResponse<M extends NwcMethod> =
  | { ok: true; result: NwcResult<M> }
  | { ok: false; code: string; message: string }
  | { ok: 'malformed'; reason: string };

/**
 * Reads a decrypted response for `method`. An error object wins over any result (NIP-47: "non-null
 * in case of error"); a result that does not fit the method's shape is 'malformed', not trusted.
 */
export function parseResponse<M extends NwcMethod>(plaintext: string, method: M): ParsedResponse<M> {
  let json: unknown;
  try {
    json = JSON.parse(plaintext);
  } catch {
    return { ok: 'malformed', reason: 'not JSON' };
  }
  const env = ResponseEnvelope.safeParse(json);
  if (!env.success) return { ok: 'malformed', reason: 'not a NIP-47 response' };
  if (env.data.result_type !== method)
    return { ok: 'malformed', reason: `result_type ${env.data.result_type.slice(0, 32)} for ${method}` };
  if (env.data.error) return { ok: false, code: env.data.error.code, message: env.data.error.message ?? '' };
  const result = RESULT_SCHEMAS[method].safeParse(env.data.result);
  if (!result.success) return { ok: 'malformed', reason: `${method} result has the wrong shape` };
  return { ok: true, result: result.data as NwcResult<M> };
}

export function requestBody<M extends NwcMethod>(method: M, params: NwcParams[M]): string {
  return JSON.stringify({ method, params });
}

export function responseBody(
  method: string,
  outcome: { result: unknown } | { error: { code: string; message: string } },
): string {
  return 'error' in outcome
    ? JSON.stringify({ result_type: method, error: outcome.error, result: null })
    : JSON.stringify({ result_type: method, error: null, result: outcome.result });
}

const Notification = z.object({
  notification_type: z.string().max(64),
  notification: z.unknown(),
});

export type ParsedNotification =
  { type: NwcNotificationType; transaction: NwcTransaction } | { type: 'other'; name: string };

/** Reads a decrypted notification; null when it is not one. Unknown types are passed as 'other'. */
export function parseNotification(plaintext: string): ParsedNotification | null {
  let json: unknown;
  try {
    json = JSON.parse(plaintext);
  } catch {
    return null;
  }
  const n = Notification.safeParse(json);
  if (!n.success) return null;
  const type = n.data.notification_type;
  if (type !== 'payment_received' && type !== 'payment_sent') return { type: 'other', name: type };
  const tx = NwcTransaction.safeParse(n.data.notification);
  return tx.success ? { type, transaction: tx.data } : null;
}

/**
 * A NIP-47 transaction as the provider's payment. Without a `state` (older wallets), a settled
 * time or a preimage means settled; an incoming invoice past its expiry without either has expired.
 */
export function toLightningPayment(tx: NwcTransaction, nowSec: number): LightningPayment {
  const settled = tx.state === 'settled' || (!tx.state && (!!tx.settled_at || !!tx.preimage));
  let state: PaymentState = 'pending';
  let failure: LightningPayment['failure'] = null;
  if (settled) state = 'succeeded';
  else if (tx.state === 'failed') {
    state = 'failed';
    failure = 'provider-error';
  } else if (tx.state === 'expired' || (!tx.state && tx.expires_at && tx.expires_at < nowSec)) {
    state = 'failed';
    failure = 'expired';
  }
  return {
    paymentHash: tx.payment_hash.toLowerCase(),
    direction: tx.type === 'incoming' ? 'incoming' : 'outgoing',
    amountMsat: BigInt(tx.amount),
    feeMsat: BigInt(tx.fees_paid ?? 0),
    state,
    createdAt: tx.created_at,
    settledAt: settled ? (tx.settled_at ?? null) : null,
    description: tx.description ?? null,
    bolt11: tx.invoice ?? null,
    preimage: settled && tx.preimage ? tx.preimage.toLowerCase() : null,
    failure,
  };
}
