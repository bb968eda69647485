import { z } from 'zod';
import { Empty } from './common';
import { EcashOperation, EcashSentToken } from './ecash';
import { ConversationId, NostrPublishResult } from './nostr';

/**
 * eCash with other people (main/ecash/social-service.ts): tokens in NIP-17 chats, NUT-18 payment
 * requests, NIP-61 nutzaps and the NIP-60 wallet backup on the user's relays.
 *
 * Flows for the screens:
 * - Chat: sendInChat(to, amount) puts a cashuB token in a DM (lockToContact: locked to their
 *   NIP-61 key). chatPayments(conversationId) lists the pay cards of a chat (token → "Claim"
 *   with claimChatToken; request → "Pay" with payPaymentRequest); the card's `operation` is the
 *   journal row once claimed or paid. NUT-18 payloads sent to us are claimed by themselves.
 * - Requests: createPaymentRequest → show `request` (creqA…) as text and QR;
 *   paymentRequestPayments(id) lists what came in for it. decodePaymentRequest before paying.
 * - Nutzaps: publishNutzapInfo (publishes kind 10019: our relays, mints and P2PK key, public);
 *   nutzap(to, amount) publishes a kind 9321 anyone can see (amount, mint, comment; the token
 *   is locked to the recipient). Incoming nutzaps from mints we listed are claimed by themselves.
 * - Backup: backupWallet publishes our mints, P2PK key and unspent proofs to our relays,
 *   encrypted to our own NOSTR key (NIP-60); restoreWallet claims them back.
 */

const Unit = z
  .string()
  .regex(/^[a-z]{2,10}$/)
  .default('sat');
const Amount = z.number().int().positive().max(2_100_000_000_000_000);
const Url = z.string().trim().min(1).max(500);
const PubkeyInput = z.string().trim().min(1).max(512);
const RequestText = z.string().trim().min(1).max(8192);

export const EcashChatPaymentView = z.object({
  messageId: z.string(),
  direction: z.enum(['in', 'out']),
  /** token: a cashu token ("Claim"); request: a NUT-18 request ("Pay"); payload: a NUT-18 payment. */
  kind: z.enum(['token', 'request', 'payload']),
  text: z.string(),
  amount: z.number().int().nullable(),
  unit: z.string().nullable(),
  mintUrl: z.string().nullable(),
  /** The claim (token, payload) or the payment (request) once made. */
  operation: EcashOperation.nullable(),
  /** Error code when the card cannot be read (damaged token, unknown lock…). */
  error: z.string().nullable(),
});
export type EcashChatPaymentView = z.infer<typeof EcashChatPaymentView>;

export const EcashPaymentRequestView = z.object({
  id: z.string().nullable(),
  amount: z.number().int().nullable(),
  unit: z.string().nullable(),
  mints: z.array(z.string()),
  strictMints: z.boolean(),
  description: z.string().nullable(),
  singleUse: z.boolean(),
  transports: z.array(z.object({ type: z.enum(['nostr', 'post']), target: z.string() })),
  lockTo: z.string().nullable(),
  /** Our mints that can pay it now. */
  payableFrom: z.array(z.string()),
  /** Our payment of it, if made. */
  paid: EcashOperation.nullable(),
});
export type EcashPaymentRequestView = z.infer<typeof EcashPaymentRequestView>;

export const EcashNutzapInfoView = z.object({
  pubkey: z.string(),
  relays: z.array(z.string()),
  mints: z.array(z.object({ url: z.string(), units: z.array(z.string()) })),
  /** The P2PK key nutzaps are locked to. */
  p2pk: z.string(),
  createdAt: z.number().int(),
});
export type EcashNutzapInfoView = z.infer<typeof EcashNutzapInfoView>;

export const EcashBackupReport = z.object({
  mints: z.number().int(),
  tokenEvents: z.number().int(),
  proofs: z.number().int(),
  amount: z.number().int(),
  /** Earlier token events deleted (NIP-09). */
  replaced: z.number().int(),
  relays: z.array(NostrPublishResult),
});
export type EcashBackupReport = z.infer<typeof EcashBackupReport>;

export const EcashWalletRestoreReport = z.object({
  mintsAdded: z.array(z.string()),
  operations: z.array(EcashOperation),
  /** Proofs of the backup this wallet already held. */
  alreadyHeld: z.number().int(),
  errors: z.array(z.object({ mintUrl: z.string(), error: z.string() })),
});
export type EcashWalletRestoreReport = z.infer<typeof EcashWalletRestoreReport>;

export const ecashSocialMethods = {
  'ecash.sendInChat': {
    input: z
      .object({
        to: PubkeyInput,
        mintUrl: Url.optional(),
        unit: Unit,
        amount: Amount,
        memo: z.string().max(200).optional(),
        lockToContact: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ sent: EcashSentToken, messageId: z.string(), relaysOk: z.number().int() }),
  },
  'ecash.chatPayments': {
    input: z.object({ conversationId: ConversationId }).strict(),
    output: z.array(EcashChatPaymentView),
  },
  'ecash.claimChatToken': {
    input: z.object({ conversationId: ConversationId, messageId: z.string().min(1).max(128) }).strict(),
    output: EcashOperation,
  },
  'ecash.createPaymentRequest': {
    input: z
      .object({
        amount: Amount.optional(),
        unit: Unit,
        mints: z.array(Url).max(10).optional(),
        description: z.string().max(200).optional(),
        transport: z.enum(['nostr', 'post']).default('nostr'),
        postUrl: Url.optional(),
        /** Ask payers to lock the tokens to our P2PK key (NUT-10/11). */
        lock: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ id: z.string(), request: z.string() }),
  },
  'ecash.decodePaymentRequest': {
    input: z.object({ request: RequestText }).strict(),
    output: EcashPaymentRequestView,
  },
  'ecash.payPaymentRequest': {
    input: z.object({ request: RequestText, mintUrl: Url.optional(), amount: Amount.optional() }).strict(),
    output: z.object({
      operation: EcashOperation,
      transport: z.enum(['nostr', 'post']),
      delivered: z.boolean(),
    }),
  },
  'ecash.paymentRequestPayments': {
    input: z.object({ id: z.string().regex(/^[0-9a-zA-Z_-]{1,64}$/) }).strict(),
    output: z.array(EcashOperation),
  },
  'ecash.nutzapInfo': {
    input: z.object({ pubkey: PubkeyInput.optional() }).strict(),
    output: EcashNutzapInfoView.nullable(),
  },
  'ecash.publishNutzapInfo': {
    input: z.object({ mints: z.array(Url).min(1).max(10).optional() }).strict(),
    output: z.object({ info: EcashNutzapInfoView, results: z.array(NostrPublishResult) }),
  },
  'ecash.nutzap': {
    input: z
      .object({
        to: PubkeyInput,
        amount: Amount,
        unit: Unit,
        mintUrl: Url.optional(),
        comment: z.string().max(500).optional(),
        zapped: z
          .object({ id: z.string().regex(/^[0-9a-f]{64}$/), kind: z.number().int().min(0).max(65535) })
          .strict()
          .optional(),
      })
      .strict(),
    output: z.object({
      operation: EcashOperation,
      eventId: z.string(),
      results: z.array(NostrPublishResult),
    }),
  },
  'ecash.checkNutzaps': { input: Empty, output: z.array(EcashOperation) },
  'ecash.backupWallet': { input: Empty, output: EcashBackupReport },
  'ecash.restoreWallet': { input: Empty, output: EcashWalletRestoreReport },
} as const;
