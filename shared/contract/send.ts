import { z } from 'zod';
import { Empty, Id, Sats } from './common';

const Txid = z.string().regex(/^[0-9a-f]{64}$/, '64 hex characters');
const Address = z.string().trim().min(14).max(120);
/** sat/vB, at most 3 decimals (the service refuses anything outside 1..max). */
export const FeeRate = z.number().positive().max(100_000);

export const FeeEstimates = z.object({
  fast: z.number(),
  normal: z.number(),
  slow: z.number(),
  minimum: z.number(),
  targets: z.object({ fast: z.number().int(), normal: z.number().int(), slow: z.number().int() }),
  source: z.enum(['estimatefee', 'histogram', 'fallback']),
  /** Presets cut down because the server's estimate was above what the mempool justifies. */
  inflated: z
    .array(z.object({ preset: z.enum(['fast', 'normal', 'slow']), suggested: z.number(), cap: z.number() }))
    .default([]),
});
export type FeeEstimates = z.infer<typeof FeeEstimates>;

export const PaymentState = z.enum([
  'drafted',
  'signed',
  'broadcasting',
  'broadcast',
  'confirmed',
  'failed',
  'replaced',
]);

/** A built, unsigned (or externally signed) payment for the user to check before it is sent. */
export const SendDraft = z.object({
  draftId: Id,
  walletId: Id,
  kind: z.enum(['send', 'bump', 'cpfp', 'import']),
  state: PaymentState,
  outputs: z.array(z.object({ address: z.string().nullable(), sats: Sats, change: z.boolean() })),
  amountSats: Sats,
  feeSats: Sats,
  vsize: z.number().int(),
  feeRate: z.number(),
  changeSats: Sats,
  inputs: z.array(z.object({ txid: Txid, vout: z.number().int().min(0), sats: Sats })),
  replaceable: z.boolean(),
  replacesTxid: Txid.nullable(),
  parentTxid: Txid.nullable(),
  psbtBase64: z.string(),
  /**
   * The fee looks like a mistake: above 1,000 sat/vB ('rate'), or above both 100,000 sats and a
   * quarter of what leaves the wallet ('share'). Not signed until the user types the fee back.
   */
  feeWarning: z
    .object({
      reason: z.enum(['rate', 'share']),
      limitRate: z.number(),
      limitSats: Sats,
      accepted: z.boolean(),
    })
    .nullable(),
  /** For a fee bump: the user's later payments it cancels (they spend the change it replaces). */
  evicts: z.array(
    z.object({ txid: Txid, amountSats: Sats, address: z.string().nullable(), label: z.string().nullable() }),
  ),
});
export type SendDraft = z.infer<typeof SendDraft>;

/** A signed payment the network has not taken yet: kept, coins reserved, retried with backoff. */
export const PendingPayment = z.object({
  draftId: Id,
  walletId: Id,
  txid: Txid,
  kind: z.enum(['send', 'bump', 'cpfp', 'import']),
  amountSats: Sats,
  feeSats: Sats,
  /** The node's reason for the last refusal, or what went wrong reaching it. */
  lastError: z.string().nullable(),
  attempts: z.number().int().min(0),
  /** ms since the epoch; null while no server is connected. */
  nextRetryAt: z.number().nullable(),
});
export type PendingPayment = z.infer<typeof PendingPayment>;

const SendOutput = z.union([
  z.object({ address: Address, sats: Sats.positive() }).strict(),
  z.object({ address: Address, max: z.literal(true) }).strict(),
]);

export const sendMethods = {
  'send.estimateFees': { input: Empty, output: FeeEstimates },
  'send.prepare': {
    input: z
      .object({
        walletId: Id,
        outputs: z.array(SendOutput).min(1).max(100),
        feeRate: FeeRate,
        /** Coin control: "txid:vout" of exactly the coins to spend. */
        coins: z
          .array(z.string().regex(/^[0-9a-f]{64}:\d{1,6}$/))
          .max(1000)
          .optional(),
      })
      .strict(),
    output: SendDraft,
  },
  /** Signs with the vault's key, journals the signed transaction, then broadcasts it. */
  'send.confirm': {
    input: z.object({ draftId: Id }).strict(),
    output: z.object({ draftId: Id, txid: Txid, state: z.enum(['broadcast', 'broadcasting']) }),
  },
  /** The user typed back the exact fee of a draft whose fee looks like a mistake: it may be signed. */
  'send.acceptFee': {
    input: z.object({ draftId: Id, feeSats: Sats }).strict(),
    output: SendDraft,
  },
  /** Signed payments not yet taken by the network, with the reason and the next retry. */
  'send.pending': {
    input: z.object({ walletId: Id }).strict(),
    output: z.array(PendingPayment),
  },
  'send.bumpFee': {
    input: z.object({ walletId: Id, txid: Txid, feeRate: FeeRate }).strict(),
    output: SendDraft,
  },
  'send.cpfp': {
    input: z.object({ walletId: Id, txid: Txid, feeRate: FeeRate }).strict(),
    output: SendDraft,
  },
  /** Base64, hex, the bytes of a .psbt file as base64, or ur:crypto-psbt parts (whitespace-separated). */
  'send.importPsbt': {
    input: z.object({ walletId: Id, data: z.string().trim().min(1).max(1_000_000) }).strict(),
    output: SendDraft,
  },
  'send.exportPsbt': { input: z.object({ draftId: Id }).strict(), output: z.object({ base64: z.string() }) },
  /** ur:crypto-psbt parts for an animated QR: one when it fits, else fountain parts to cycle. */
  'send.exportPsbtUr': {
    input: z
      .object({ draftId: Id, maxFragmentLength: z.number().int().min(10).max(2000).optional() })
      .strict(),
    output: z.object({ parts: z.array(z.string()).min(1) }),
  },
  'send.signMessage': {
    input: z.object({ walletId: Id, address: Address, message: z.string().min(1).max(10_000) }).strict(),
    output: z.object({ signature: z.string() }),
  },
  'send.verifyMessage': {
    input: z
      .object({
        address: Address,
        message: z.string().max(10_000),
        signature: z.string().trim().min(1).max(200),
      })
      .strict(),
    output: z.object({ valid: z.boolean() }),
  },
} as const;
