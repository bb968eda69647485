import { useCallback } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import { AccountCard } from './AccountCard';
import { AddAccountForm } from './AddAccountForm';
import { ImportWatchOnlyForm } from './ImportWatchOnlyForm';
import { VaultForm } from '../multisig/VaultForm';

/** Every account of this network, and the ways to add one. */
export function AccountsPanel(props: {
  network: Network;
  onClose: () => void;
  /** A new account becomes the active one. */
  onAdded: (account: WalletSummary) => void;
  /** A rename or removal may change what the Wallet screen shows. */
  onChanged: () => void;
}) {
  const t = useT();
  const flash = useFlash();
  const accounts = useQuery(useCallback(() => flash.wallet.list({}), [flash]));
  useFlashEvent('wallet.updated', () => accounts.reload());
  const mine = (accounts.value ?? []).filter((a) => a.network === props.network);
  const seeds = mine.filter((a) => a.signer === 'seed' && a.seedWalletId === a.id);
  const changed = () => {
    accounts.reload();
    props.onChanged();
  };
  return (
    <section className="stack accounts-panel" aria-labelledby="accounts-title">
      <div className="accounts-panel-head">
        <h2 id="accounts-title">{t('accounts.title')}</h2>
        <button type="button" onClick={props.onClose}>
          {t('common.back')}
        </button>
      </div>
      <ErrorAlert error={accounts.error} />
      <ul className="account-list">
        {mine.map((a) => (
          <AccountCard key={a.id} account={a} onChanged={changed} />
        ))}
      </ul>
      <div className="wallet-grid">
        <div className="card">
          <AddAccountForm seeds={seeds} onAdded={props.onAdded} />
        </div>
        <div className="card">
          <ImportWatchOnlyForm onAdded={props.onAdded} />
        </div>
      </div>
      <div className="card">
        <VaultForm seeds={seeds} onAdded={props.onAdded} />
      </div>
    </section>
  );
}
