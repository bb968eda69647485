import { z } from 'zod';
import { Empty, Id, Network, Sats } from './common';

export const Word = z.string().min(1).max(16);
export const Passphrase = z.string().max(256);
export const WalletName = z.string().trim().min(1).max(64);

/** BIP44 legacy, BIP49 nested SegWit, BIP84 native SegWit (default), BIP86 Taproot. */
export const AccountType = z.enum(['bip44', 'bip49', 'bip84', 'bip86']);
export type AccountType = z.infer<typeof AccountType>;
/** An account's type as listed: one of the single-key types, or a multisig wallet (issue 14). */
export const WalletAccountType = z.enum(['bip44', 'bip49', 'bip84', 'bip86', 'multisig']);
export type WalletAccountType = z.infer<typeof WalletAccountType>;
/**
 * Who signs for an account: the vault's recovery words, nobody in Flash (watch-only), a device, or
 * k of a multisig wallet's cosigners.
 */
export const SignerKind = z.enum(['seed', 'watch', 'ledger', 'trezor', 'multisig']);
export type SignerKind = z.infer<typeof SignerKind>;
/** Unused addresses watched past the last used one, per chain. */
export const GapLimit = z
  .object({ receive: z.number().int().min(1).max(1000), change: z.number().int().min(1).max(1000) })
  .strict();
export type GapLimit = z.infer<typeof GapLimit>;

/** One account: several can share one set of recovery words (`seedWalletId`). */
export const WalletSummary = z.object({
  id: Id,
  name: z.string(),
  network: Network,
  accountType: WalletAccountType,
  /** `m/84'/1'/0'`; null for an xpub imported without its key origin. */
  accountPath: z.string().nullable(),
  /** Master key fingerprint (8 hex digits); null when unknown. */
  fingerprint: z.string().nullable(),
  signer: SignerKind,
  /** The account holding the recovery words this one derives from; null unless `signer` is 'seed'. */
  seedWalletId: Id.nullable(),
  gapLimit: GapLimit,
  /** Milliseconds since the Unix epoch, like every timestamp in the contract. */
  createdAt: z.number().int(),
});
export type WalletSummary = z.infer<typeof WalletSummary>;

export const MnemonicDraft = z.object({
  draftId: Id,
  words: z.array(z.string()),
  /** 0-based positions the user must type back to prove they wrote the words down. */
  confirmIndexes: z.array(z.number().int().min(0)),
});
export type MnemonicDraft = z.infer<typeof MnemonicDraft>;

export const ReceiveAddress = z.object({
  address: z.string(),
  index: z.number().int().min(0),
  derivationPath: z.string(),
  /** BIP21 URI for the QR code. */
  uri: z.string(),
});
export type ReceiveAddress = z.infer<typeof ReceiveAddress>;

/**
 * Unspent sats. `confirmed`: in a block and verified against headers Flash validated itself (its
 * merkle proof checked out); `confirming`: in a block says the server, not verified yet;
 * `unconfirmed`: in the mempool.
 */
export const Balance = z.object({
  confirmed: Sats,
  confirming: Sats,
  unconfirmed: Sats,
});
export type Balance = z.infer<typeof Balance>;

export const SyncState = z.object({
  phase: z.enum(['idle', 'syncing', 'synced', 'offline']),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  /** Milliseconds since the Unix epoch. */
  lastSyncedAt: z.number().int().nullable(),
});
export type SyncState = z.infer<typeof SyncState>;

export const WalletOverview = z.object({
  wallet: WalletSummary,
  balance: Balance,
  receive: ReceiveAddress,
  sync: SyncState,
  /** Our own validated header tip (what confirmations count up to), not the server's. */
  tipHeight: z.number().int().nullable(),
});
export type WalletOverview = z.infer<typeof WalletOverview>;

export const ActivityItem = z.object({
  txid: z.string(),
  /** Net effect on the wallet: positive for money in, negative for money out. */
  amountSats: Sats,
  height: z.number().int(),
  /** 0 until the transaction is verified (see `verification`), then counted up to our validated tip. */
  confirmations: z.number().int().min(0),
  /** When this wallet first saw the transaction, in milliseconds since the Unix epoch. */
  firstSeenAt: z.number().int(),
  direction: z.enum(['in', 'out', 'self']),
  /**
   * Whether Flash checked the transaction's merkle proof against headers it validated itself:
   * 'mempool' (not in a block yet), 'verified', 'unverified' (not checked yet, or a reorg moved it),
   * 'failed' (the server's proof was wrong).
   */
  verification: z.enum(['mempool', 'verified', 'unverified', 'failed']),
  /** Fee paid and its rate (sat/vB); null when an input amount is unknown (e.g. a stranger's parent). */
  feeSats: Sats.nullable(),
  feeRate: z.number().nullable(),
});
export type ActivityItem = z.infer<typeof ActivityItem>;

/** One wallet transaction in full, from the stored raw transaction (wallet.getTransaction). */
export const TransactionDetails = ActivityItem.extend({
  blockHash: z.string().nullable(),
  vsize: z.number().int(),
  weight: z.number().int(),
  size: z.number().int(),
  version: z.number().int(),
  locktime: z.number().int(),
  /** Signals BIP125 replace-by-fee. */
  rbf: z.boolean(),
  label: z.string().nullable(),
  /** `sats`/`address` are null when the previous transaction is not stored. */
  inputs: z.array(
    z.object({
      vin: z.number().int(),
      prevTxid: z.string(),
      prevVout: z.number().int(),
      sats: Sats.nullable(),
      address: z.string().nullable(),
      ours: z.boolean(),
      sequence: z.number().int(),
    }),
  ),
  outputs: z.array(
    z.object({
      vout: z.number().int(),
      address: z.string().nullable(),
      sats: Sats,
      ours: z.boolean(),
      change: z.boolean(),
      label: z.string().nullable(),
    }),
  ),
});
export type TransactionDetails = z.infer<typeof TransactionDetails>;

export const ActivityPage = z.object({
  items: z.array(ActivityItem),
  total: z.number().int().min(0),
});
export type ActivityPage = z.infer<typeof ActivityPage>;

/** What another wallet needs to watch this account. */
export const AccountExport = z.object({
  walletId: Id,
  /** The SLIP-132 form other wallets expect for the type (zpub/vpub for BIP84, ...). */
  displayKey: z.string(),
  xpub: z.string(),
  fingerprint: z.string().nullable(),
  path: z.string().nullable(),
  descriptors: z.object({ multipath: z.string(), receive: z.string(), change: z.string() }),
});
export type AccountExport = z.infer<typeof AccountExport>;

const Fingerprint = z.string().regex(/^[0-9a-fA-F]{8}$/, '8 hex digits');
const DerivationPath = z.string().trim().max(120);

export const walletMethods = {
  'wallet.list': { input: Empty, output: z.array(WalletSummary) },
  /** Onboarding: the words are shown once, from this answer, and never stored in the renderer. */
  'wallet.createDraft': {
    input: z.object({ wordCount: z.union([z.literal(12), z.literal(24)]) }).strict(),
    output: MnemonicDraft,
  },
  'wallet.confirmDraft': {
    input: z
      .object({
        draftId: Id,
        checks: z.array(z.object({ index: z.number().int().min(0).max(23), word: Word }).strict()).max(24),
        name: WalletName,
        passphrase: Passphrase.default(''),
        accountType: AccountType.default('bip84'),
      })
      .strict(),
    output: WalletSummary,
  },
  'wallet.restore': {
    input: z
      .object({
        words: z.array(Word).min(1).max(24),
        passphrase: Passphrase.default(''),
        name: WalletName,
        accountType: AccountType.default('bip84'),
      })
      .strict(),
    output: WalletSummary,
  },
  /** Another account from the same recovery words (needs the vault unlocked). */
  'wallet.addAccount': {
    input: z
      .object({
        seedWalletId: Id,
        accountType: AccountType,
        accountIndex: z.number().int().min(0).max(1000),
        name: WalletName,
      })
      .strict(),
    output: WalletSummary,
  },
  /** A watch-only account from an xpub/ypub/zpub (tpub/upub/vpub) or output descriptor(s). */
  'wallet.importWatchOnly': {
    input: z
      .object({
        name: WalletName,
        key: z.string().trim().min(1).max(4000),
        accountType: AccountType.optional(),
        fingerprint: Fingerprint.optional(),
        path: DerivationPath.optional(),
      })
      .strict(),
    output: WalletSummary,
  },
  'wallet.setActive': {
    input: z.object({ walletId: Id }).strict(),
    output: z.object({ done: z.literal(true) }),
  },
  'wallet.rename': { input: z.object({ walletId: Id, name: WalletName }).strict(), output: WalletSummary },
  'wallet.setGapLimit': {
    input: z.object({ walletId: Id, gapLimit: GapLimit }).strict(),
    output: WalletSummary,
  },
  /** Watch-only, device and extra seed accounts only: the first seed account holds the words. */
  'wallet.remove': {
    input: z.object({ walletId: Id }).strict(),
    output: z.object({ done: z.literal(true) }),
  },
  'wallet.exportAccount': { input: z.object({ walletId: Id }).strict(), output: AccountExport },
  'wallet.getOverview': { input: z.object({ walletId: Id }).strict(), output: WalletOverview },
  'wallet.getTransaction': {
    input: z.object({ walletId: Id, txid: z.string().regex(/^[0-9a-f]{64}$/, '64 hex characters') }).strict(),
    output: TransactionDetails,
  },
  'wallet.listActivity': {
    input: z
      .object({
        walletId: Id,
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    output: ActivityPage,
  },
} as const;
