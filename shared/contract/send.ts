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
});
export type SendDraft = z.infer<typeof SendDraft>;

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
