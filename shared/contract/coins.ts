import { z } from 'zod';
import { Id, Sats, Void } from './common';

const Outpoint = z.string().regex(/^[0-9a-fA-F]{64}:\d{1,10}$/, 'txid:vout');
/** BIP329 record types; input, pubkey and xpub are kept from imports and given back on export. */
export const LabelType = z.enum(['tx', 'addr', 'pubkey', 'input', 'output', 'xpub']);
export type LabelType = z.infer<typeof LabelType>;

export const Utxo = z.object({
  txid: z.string(),
  vout: z.number().int().min(0),
  outpoint: z.string(),
  sats: Sats,
  address: z.string(),
  chain: z.union([z.literal(0), z.literal(1)]),
  index: z.number().int().min(0),
  /** > 0 block height; 0 or -1 unconfirmed. */
  height: z.number().int(),
  confirmations: z.number().int().min(0),
  /** Frozen coins are never picked automatically and refused when chosen by hand. */
  frozen: z.boolean(),
  label: z.string().nullable(),
  addressLabel: z.string().nullable(),
  txLabel: z.string().nullable(),
});
export type Utxo = z.infer<typeof Utxo>;

export const LabelEntry = z.object({
  type: LabelType,
  ref: z.string(),
  label: z.string(),
  origin: z.string().nullable(),
});
export type LabelEntry = z.infer<typeof LabelEntry>;

const LineIssue = z.object({ line: z.number().int().min(1), message: z.string() });

export const LabelImportResult = z.object({
  imported: z.number().int().min(0),
  /** Lines not applied: errors, unknown types, lines with nothing to store. */
  skipped: z.number().int().min(0),
  errors: z.array(LineIssue),
  warnings: z.array(LineIssue),
});
export type LabelImportResult = z.infer<typeof LabelImportResult>;

export const coinsMethods = {
  'coins.list': { input: z.object({ walletId: Id }).strict(), output: z.array(Utxo) },
  'coins.setFrozen': {
    input: z
      .object({ walletId: Id, outpoints: z.array(Outpoint).min(1).max(1000), frozen: z.boolean() })
      .strict(),
    output: z.object({ changed: z.number().int().min(0) }),
  },
  /** `label: null` (or empty) removes it. */
  'coins.setLabel': {
    input: z
      .object({
        walletId: Id,
        type: LabelType,
        ref: z.string().trim().min(1).max(200),
        label: z.string().max(255).nullable(),
      })
      .strict(),
    output: Void,
  },
  'coins.labels': { input: z.object({ walletId: Id }).strict(), output: z.array(LabelEntry) },
  /** BIP329 JSON Lines. */
  'coins.exportLabels': {
    input: z.object({ walletId: Id }).strict(),
    output: z.object({ jsonl: z.string() }),
  },
  /** BIP329 JSON Lines, at most 5 MB; idempotent. */
  'coins.importLabels': {
    input: z.object({ walletId: Id, jsonl: z.string().max(5 * 1024 * 1024) }).strict(),
    output: LabelImportResult,
  },
  /** RFC 4180 CSV; text cells starting with = + - @ are prefixed with ' (formula-injection guard). */
  'coins.exportHistoryCsv': {
    input: z.object({ walletId: Id }).strict(),
    output: z.object({ csv: z.string() }),
  },
} as const;
