import { z } from 'zod';
import { Empty, Id, Network, Sats } from './common';

export const Word = z.string().min(1).max(16);
export const Passphrase = z.string().max(256);
export const WalletName = z.string().trim().min(1).max(64);

export const WalletSummary = z.object({
  id: Id,
  name: z.string(),
  network: Network,
  accountType: z.enum(['bip84']),
  fingerprint: z.string(),
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

export const Balance = z.object({
  confirmed: Sats,
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
  tipHeight: z.number().int().nullable(),
});
export type WalletOverview = z.infer<typeof WalletOverview>;

export const ActivityItem = z.object({
  txid: z.string(),
  /** Net effect on the wallet: positive for money in, negative for money out. */
  amountSats: Sats,
  height: z.number().int(),
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
});
export type ActivityItem = z.infer<typeof ActivityItem>;

export const ActivityPage = z.object({
  items: z.array(ActivityItem),
  total: z.number().int().min(0),
});
export type ActivityPage = z.infer<typeof ActivityPage>;

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
      })
      .strict(),
    output: WalletSummary,
  },
  'wallet.getOverview': { input: z.object({ walletId: Id }).strict(), output: WalletOverview },
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
