import { isConfirmed } from './confirmation';
import type { DepositState, WalletRepository } from './repository';

export interface DepositNews {
  txid: string;
  amountSats: number;
  confirmed: boolean;
}

/**
 * Decides which payments to announce and records that they were, so a restart never repeats one.
 * Each incoming tx is announced at most twice: when first seen (confirmed or not) and, if it was
 * first seen unconfirmed, at its first confirmation. Confirmed means verified (confirmation.ts): a
 * block the server names is not announced until the merkle proof checked out. With `announce` false (a restored wallet
 * importing its past) the states advance silently; an import still waiting for a block is then
 * announced when it confirms.
 */
export function settleDeposits(repo: WalletRepository, walletId: string, announce: boolean): DepositNews[] {
  const news: DepositNews[] = [];
  const states: { txid: string; state: DepositState }[] = [];
  for (const row of repo.openDeposits(walletId)) {
    const confirmed = isConfirmed(row);
    if (row.depositState === 0) {
      if (row.netSats <= 0) {
        states.push({ txid: row.txid, state: 2 });
        continue;
      }
      if (announce) news.push({ txid: row.txid, amountSats: row.netSats, confirmed });
      states.push({ txid: row.txid, state: confirmed ? 2 : 1 });
    } else if (confirmed) {
      if (announce) news.push({ txid: row.txid, amountSats: row.netSats, confirmed: true });
      states.push({ txid: row.txid, state: 2 });
    }
  }
  if (states.length > 0) repo.setDepositStates(walletId, states);
  return news;
}
