import { z } from 'zod';
import { Empty } from './common';

/**
 * eCash (Cashu) bridge methods. Amounts are integers in the unit named beside them (sat, or the
 * minor unit of a currency: cents for usd/eur). Every money-moving call is journaled in main
 * before the mint hears of it; what comes back is the journal row as an EcashOperation.
 *
 * Flows for the screens:
 * - Add a mint: previewMint(url) shows NUT-06 info (and the warning that the mint holds the money)
 *   → addMint(url). refreshMint follows keyset rotation. removeMint only when nothing is held.
 * - Mint: mintQuote → show operation.request as an invoice QR, or payMintQuote to pay it with the
 *   default Lightning wallet. The operation moves unpaid → paid → issuing → done by itself
 *   (events); checkMintQuote asks now.
 * - Melt: prepareMelt(text) prices an invoice or Lightning address (parts > 1 = NUT-15 split
 *   across mints) → confirmMelt(prepareId).
 * - Move: prepareMove(from, to) → confirmMelt(prepareId) (one journaled move operation).
 * - Send: send() → token (cashuB…) and qr (one part, or NUT-16 animated parts to cycle).
 *   sentToken(id) shows a pending token again; reclaim(id) takes it back while unspent.
 * - Receive: decodeToken(text) (offline: amount, mint, DLEQ check, P2PK lock) → receive(text).
 *   Offline, the operation stays `stored` ("received, not yet claimed") and is claimed by itself.
 * - Restore: restore(mints) after restoring the wallet's words.
 * Events: ecash.balance, ecash.operation, ecash.tokenClaimed, ecash.mint.
 */

const Url = z.string().trim().min(1).max(500);
const Unit = z
  .string()
  .regex(/^[a-z]{2,10}$/)
  .default('sat');
const Amount = z.number().int().positive().max(2_100_000_000_000_000);
const OpId = z.string().uuid();

export const EcashBalance = z.object({
  mintUrl: z.string(),
  unit: z.string(),
  /** Unspent proofs held now. */
  spendable: z.number().int(),
  /** Held by an operation in progress or in a token not yet claimed by its receiver. */
  pending: z.number().int(),
  /** On its way in: paid mint quotes not issued yet, tokens received and not yet claimed. */
  incoming: z.number().int(),
});
export type EcashBalance = z.infer<typeof EcashBalance>;

export const EcashMintView = z.object({
  url: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  descriptionLong: z.string().nullable(),
  motd: z.string().nullable(),
  iconUrl: z.string().nullable(),
  version: z.string().nullable(),
  contact: z.array(z.object({ method: z.string(), info: z.string() })),
  /** NUT numbers the mint says it supports. */
  nuts: z.array(z.number().int()),
  units: z.array(z.string()),
  keysets: z.array(
    z.object({ id: z.string(), unit: z.string(), active: z.boolean(), inputFeePpk: z.number() }),
  ),
  /** Input fee of the active keyset per unit, parts per thousand per proof (NUT-02). */
  fees: z.array(z.object({ unit: z.string(), inputFeePpk: z.number() })),
  /** Answered at the last contact; a mint that is down keeps its balance shown as held. */
  reachable: z.boolean(),
  lastError: z.string().nullable(),
  checkedAt: z.number().int(),
  balances: z.array(EcashBalance),
});
export type EcashMintView = z.infer<typeof EcashMintView>;

export const EcashOperation = z.object({
  id: z.string(),
  kind: z.enum(['mint', 'melt', 'swap', 'send', 'receive', 'move']),
  /**
   * mint: unpaid | paid | issuing | done | expired | failed
   * melt: melting | paid | failed
   * send: swapping | pending | claimed | reclaimed | cancelled
   * receive: stored (received, not yet claimed) | claiming | claimed | failed
   * move: quoting | melting | minting | done | failed
   * swap (rotation, reclaim, claim legs): swapping | done | failed | cancelled
   */
  state: z.string(),
  final: z.boolean(),
  mintUrl: z.string(),
  unit: z.string(),
  amount: z.number().int(),
  fee: z.number().int(),
  /** mint: the invoice to pay; melt: the invoice paid. */
  request: z.string().nullable(),
  /** move: the destination mint; swap legs: why (rotation, reclaim, claim). */
  counterparty: z.string().nullable(),
  parentId: z.string().nullable(),
  memo: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type EcashOperationView = z.infer<typeof EcashOperation>;

export const EcashMeltPreview = z.object({
  prepareId: z.string(),
  invoice: z.string(),
  amount: z.number().int(),
  parts: z.array(
    z.object({
      mintUrl: z.string(),
      unit: z.string(),
      amount: z.number().int(),
      feeReserve: z.number().int(),
      inputFee: z.number().int(),
      quoteExpiresAt: z.number().int(),
    }),
  ),
  /** Most the fees can be (fee reserve + input fees); unused reserve comes back as change. */
  feeReserve: z.number().int(),
  total: z.number().int(),
});
export type EcashMeltPreview = z.infer<typeof EcashMeltPreview>;

export const EcashSentToken = z.object({
  operation: EcashOperation,
  token: z.string(),
  /** One part: a plain QR. Several: NUT-16 animated QR, show them in a loop. */
  qr: z.object({ animated: z.boolean(), parts: z.array(z.string()) }),
});
export type EcashSentToken = z.infer<typeof EcashSentToken>;

export const EcashTokenView = z.object({
  mintUrl: z.string(),
  unit: z.string(),
  amount: z.number().int(),
  memo: z.string().nullable(),
  proofs: z.number().int(),
  /** NUT-12 checked offline against the mint's keys: valid, partial, missing, invalid, unknown-keys. */
  dleq: z.enum(['valid', 'partial', 'missing', 'invalid', 'unknown-keys']),
  /** NUT-11: none, locked to our key, or to someone else's. */
  lock: z.enum(['none', 'us', 'other']),
  knownMint: z.boolean(),
  mintName: z.string().nullable(),
});
export type EcashTokenView = z.infer<typeof EcashTokenView>;

export const EcashRestoreReport = z.object({
  mints: z.array(
    z.object({
      mintUrl: z.string(),
      ok: z.boolean(),
      error: z.string().nullable(),
      keysets: z.array(
        z.object({
          id: z.string(),
          unit: z.string(),
          active: z.boolean(),
          signed: z.number().int(),
          unspent: z.number().int(),
          amount: z.number().int(),
          nextCounter: z.number().int(),
        }),
      ),
    }),
  ),
});
export type EcashRestoreReport = z.infer<typeof EcashRestoreReport>;

export const EcashKeysetBalance = z.object({
  id: z.string(),
  unit: z.string(),
  active: z.boolean(),
  inputFeePpk: z.number(),
  /** Unspent proofs of this keyset: on an inactive one, refreshMint swaps them onto the active one. */
  amount: z.number().int(),
  proofs: z.number().int(),
});
export type EcashKeysetBalance = z.infer<typeof EcashKeysetBalance>;

const Done = z.object({ done: z.literal(true) });

export const ecashMethods = {
  'ecash.listMints': { input: Empty, output: z.array(EcashMintView) },
  'ecash.previewMint': { input: z.object({ url: Url }).strict(), output: EcashMintView },
  'ecash.addMint': { input: z.object({ url: Url }).strict(), output: EcashMintView },
  'ecash.removeMint': { input: z.object({ url: Url }).strict(), output: Done },
  'ecash.refreshMint': { input: z.object({ url: Url }).strict(), output: EcashMintView },
  'ecash.balances': { input: Empty, output: z.array(EcashBalance) },
  'ecash.mintQuote': {
    input: z
      .object({
        mintUrl: Url,
        unit: Unit,
        amount: Amount,
        description: z.string().max(200).optional(),
      })
      .strict(),
    output: EcashOperation,
  },
  'ecash.payMintQuote': { input: z.object({ operationId: OpId }).strict(), output: EcashOperation },
  'ecash.checkMintQuote': { input: z.object({ operationId: OpId }).strict(), output: EcashOperation },
  'ecash.prepareMelt': {
    input: z
      .object({
        text: z.string().trim().min(1).max(8192),
        unit: Unit,
        mintUrl: Url.optional(),
        amountSats: Amount.optional(),
      })
      .strict(),
    output: EcashMeltPreview,
  },
  'ecash.prepareMove': {
    input: z.object({ from: Url, to: Url, unit: Unit, amount: Amount }).strict(),
    output: EcashMeltPreview,
  },
  'ecash.confirmMelt': {
    input: z.object({ prepareId: z.string().uuid() }).strict(),
    output: z.array(EcashOperation),
  },
  'ecash.send': {
    input: z
      .object({
        mintUrl: Url,
        unit: Unit,
        amount: Amount,
        memo: z.string().max(200).optional(),
        /** NUT-11: to a public key (02…/03…) or an npub; locktime in unix seconds; refund keys default to ours. */
        lock: z
          .object({
            to: z.string().trim().min(1).max(100),
            locktime: z.number().int().positive().optional(),
            refundKeys: z.array(z.string().trim().min(1).max(100)).max(5).optional(),
          })
          .optional(),
        /** Only from proofs held (no mint call); refused when no exact set exists. */
        offlineOnly: z.boolean().optional(),
      })
      .strict(),
    output: EcashSentToken,
  },
  'ecash.sentToken': { input: z.object({ operationId: OpId }).strict(), output: EcashSentToken },
  'ecash.reclaim': { input: z.object({ operationId: OpId }).strict(), output: EcashOperation },
  'ecash.decodeToken': {
    input: z.object({ token: z.string().trim().min(1).max(60_000) }).strict(),
    output: EcashTokenView,
  },
  'ecash.receive': {
    input: z.object({ token: z.string().trim().min(1).max(60_000) }).strict(),
    output: EcashOperation,
  },
  'ecash.p2pkKey': { input: Empty, output: z.object({ pubkey: z.string() }) },
  'ecash.restore': {
    input: z
      .object({
        mints: z.array(Url).min(1).max(20),
        gap: z.number().int().min(300).max(5000).optional(),
      })
      .strict(),
    output: EcashRestoreReport,
  },
  'ecash.listOperations': {
    input: z
      .object({
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    output: z.object({ items: z.array(EcashOperation), total: z.number().int() }),
  },
  'ecash.getOperation': { input: z.object({ id: OpId }).strict(), output: EcashOperation },
  'ecash.recover': { input: Empty, output: Done },
  /** What each keyset of a mint holds (the mint screen's "funds on an inactive keyset"). */
  'ecash.keysetBalances': {
    input: z.object({ url: Url }).strict(),
    output: z.array(EcashKeysetBalance),
  },
} as const;

export const ecashEvents = {
  /** A balance of this mint and unit may have changed: refetch balances / the mint. */
  'ecash.balance': z.object({ mintUrl: z.string(), unit: z.string() }),
  /** An operation changed state. */
  'ecash.operation': EcashOperation,
  /** A token was claimed: one we sent (by its receiver) or one we received (by us). */
  'ecash.tokenClaimed': z.object({
    operationId: z.string(),
    direction: z.enum(['sent', 'received']),
    mintUrl: z.string(),
    unit: z.string(),
    amount: z.number().int(),
  }),
  /** A mint's info, keysets or reachability changed. */
  'ecash.mint': z.object({ mintUrl: z.string() }),
} as const;
