import { z } from 'zod';
import { Id, Sats } from './common';

/**
 * Flash as a Nostr Wallet Connect service (other apps spend from Flash's Lightning), and zaps in
 * Messages. Connecting Flash to an NWC wallet is `lightning.connectProvider` with kind 'nwc'.
 */

export const NWC_SERVICE_METHODS = [
  'pay_invoice',
  'make_invoice',
  'lookup_invoice',
  'list_transactions',
  'get_balance',
  'get_info',
] as const;
export const NwcServiceMethod = z.enum(NWC_SERVICE_METHODS);
export type NwcServiceMethod = z.infer<typeof NwcServiceMethod>;

export const NwcBudgetPeriod = z.enum(['day', 'week', 'month']);
export type NwcBudgetPeriod = z.infer<typeof NwcBudgetPeriod>;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const NwcServiceConnectionView = z.object({
  id: Id,
  name: z.string(),
  /** The key apps talk to (one per connection). */
  servicePubkey: Hex64,
  relays: z.array(z.string()),
  methods: z.array(z.string()),
  budgetSats: Sats,
  budgetPeriod: NwcBudgetPeriod,
  /** Seconds since the epoch; null: never. */
  expiresAt: z.number().int().nullable(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
  lastUsedAt: z.number().int().nullable(),
  status: z.enum(['active', 'revoked', 'expired']),
  /** Spent in the current window, fees and payments in flight included. */
  spentSats: Sats,
  /** When the current window ends and the budget is whole again. */
  budgetRenewsAt: z.number().int(),
});
export type NwcServiceConnectionView = z.infer<typeof NwcServiceConnectionView>;

export const CreateNwcConnectionInput = z
  .object({
    name: z.string().trim().min(1).max(64),
    budgetSats: Sats.min(0).max(2_100_000_000_000_000),
    budgetPeriod: NwcBudgetPeriod,
    /** Days from now; absent: never expires. */
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    methods: z.array(NwcServiceMethod).min(1).max(NWC_SERVICE_METHODS.length),
  })
  .strict();

export const ZapView = z.object({
  receiptId: Hex64,
  sender: Hex64,
  recipient: Hex64,
  eventId: Hex64.nullable(),
  amountSats: Sats,
  comment: z.string(),
  paidAt: z.number().int(),
});
export type ZapView = z.infer<typeof ZapView>;

/** A public key as 64 hex characters or npub1…; main parses and checks it. */
const PubkeyInput = z.string().trim().min(60).max(200);

export const nwcMethods = {
  'nwcService.list': { input: z.object({}).strict(), output: z.array(NwcServiceConnectionView) },
  'nwcService.create': {
    input: CreateNwcConnectionInput,
    /** The URI is shown once: it holds the app's secret, which Flash keeps nowhere. */
    output: z.object({ connection: NwcServiceConnectionView, uri: z.string() }),
  },
  'nwcService.revoke': { input: z.object({ id: Id }).strict(), output: NwcServiceConnectionView },
  'zaps.send': {
    input: z
      .object({
        recipient: PubkeyInput,
        /** A channel post (kind 42) or another event being zapped. */
        eventId: Hex64.optional(),
        eventKind: z.number().int().min(0).max(65535).optional(),
        amountSats: Sats.min(1).max(100_000_000),
        comment: z.string().max(280).default(''),
      })
      .strict(),
    output: z.object({ paymentId: z.string(), paymentHash: Hex64.nullable(), state: z.string() }),
  },
  'zaps.list': {
    input: z
      .object({
        recipient: PubkeyInput.optional(),
        eventIds: z.array(Hex64).max(200).optional(),
      })
      .strict(),
    output: z.array(ZapView),
  },
} as const;

export const nwcEvents = {
  /** A valid zap receipt arrived: refresh the zaps shown for its person or post. */
  'nostr.zap': ZapView,
  /** An app used or changed a connection: refresh the NWC connections list. */
  'nwcService.changed': z.object({ id: Id }),
} as const;
