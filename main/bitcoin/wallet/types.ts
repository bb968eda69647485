import type {
  ActivityPage,
  MnemonicDraft,
  Network,
  RecoveryWords,
  WalletOverview,
  WalletSummary,
} from '../../../shared/contract';

export interface WalletService {
  list(): WalletSummary[];
  /** The first wallet of the active network, if any. */
  activeWalletId(network: Network): string | null;
  createDraft(wordCount: 12 | 24): MnemonicDraft;
  confirmDraft(input: {
    draftId: string;
    checks: { index: number; word: string }[];
    name: string;
    passphrase: string;
    network: Network;
  }): WalletSummary;
  restore(input: { words: string[]; passphrase: string; name: string; network: Network }): WalletSummary;
  overview(walletId: string): WalletOverview;
  activity(walletId: string, limit: number, offset: number): ActivityPage;
  /** Password already verified by the caller. */
  recoveryWords(walletId: string): RecoveryWords;
  start(): void;
  stop(): void;
  /** Resolves once no sync work is queued: for tests and an orderly shutdown. */
  idle(): Promise<void>;
}
