import type {
  AccountExport,
  AccountType,
  ActivityPage,
  GapLimit,
  MnemonicDraft,
  Network,
  RecoveryWords,
  TransactionDetails,
  WalletOverview,
  WalletSummary,
} from '../../../shared/contract';

export interface WalletService {
  list(): WalletSummary[];
  /** The account picked on this network, else its oldest one, if any. */
  activeWalletId(network: Network): string | null;
  createDraft(wordCount: 12 | 24): MnemonicDraft;
  confirmDraft(input: {
    draftId: string;
    checks: { index: number; word: string }[];
    name: string;
    passphrase: string;
    network: Network;
    accountType?: AccountType;
  }): WalletSummary;
  restore(input: {
    words: string[];
    passphrase: string;
    name: string;
    network: Network;
    accountType?: AccountType;
  }): WalletSummary;
  /** Another account from the words of `seedWalletId` (vault unlocked). */
  addAccount(input: {
    seedWalletId: string;
    accountType: AccountType;
    accountIndex: number;
    name: string;
  }): WalletSummary;
  /**
   * A watch-only account (or one a hardware device signs for) from an extended public key in any
   * SLIP-132 form or from output descriptors. Fingerprint and path, when given, become the key
   * origin PSBTs carry so a signer can find its keys.
   */
  importWatchOnly(input: {
    name: string;
    network: Network;
    key: string;
    accountType?: AccountType;
    fingerprint?: string | null;
    path?: string | null;
    signer?: 'watch' | 'ledger' | 'trezor';
  }): WalletSummary;
  /**
   * A multisig wallet (main/bitcoin/multisig): its row with the descriptor as key material, its
   * first addresses, and `writeDetails` (the policy and cosigners) in the same SQLite transaction.
   */
  addMultisig(input: {
    id: string;
    name: string;
    network: Network;
    descriptor: string;
    writeDetails: () => void;
  }): WalletSummary;
  get(walletId: string): WalletSummary;
  setActive(walletId: string): void;
  rename(walletId: string, name: string): WalletSummary;
  setGapLimit(walletId: string, gapLimit: GapLimit): WalletSummary;
  remove(walletId: string): void;
  exportAccount(walletId: string): AccountExport;
  overview(walletId: string): WalletOverview;
  activity(walletId: string, limit: number, offset: number): ActivityPage;
  /** One transaction in full: inputs, outputs, fee and rate (main/bitcoin/wallet/tx-details.ts). */
  transaction(walletId: string, txid: string): TransactionDetails;
  /** Password already verified by the caller. */
  recoveryWords(walletId: string): RecoveryWords;
  start(): void;
  stop(): void;
  /** Resolves once no sync work is queued: for tests and an orderly shutdown. */
  idle(): Promise<void>;
}
