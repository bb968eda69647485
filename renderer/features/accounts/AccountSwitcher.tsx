import { useCallback } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { useT } from '../../i18n';
import { accountLabel } from './account-labels';

/** Picks which account of this network the Wallet screen shows; the choice is remembered in main. */
export function AccountSwitcher(props: {
  activeId: string;
  network: Network;
  onSwitched: (account: WalletSummary) => void;
  onManage: () => void;
}) {
  const t = useT();
  const flash = useFlash();
  const accounts = useQuery(useCallback(() => flash.wallet.list({}), [flash]));
  useFlashEvent('wallet.updated', () => accounts.reload());
  const activate = useAction((walletId: string) => flash.wallet.setActive({ walletId }));
  const mine = (accounts.value ?? []).filter((a) => a.network === props.network);
  return (
    <div className="account-switcher">
      {mine.length > 1 && (
        <SelectField
          label={t('accounts.switch')}
          value={props.activeId}
          disabled={activate.busy}
          options={mine.map((a) => ({ value: a.id, label: accountLabel(t, a) }))}
          onChange={(e) => {
            const next = mine.find((a) => a.id === e.target.value);
            if (next) void activate.run(next.id).then((done) => done && props.onSwitched(next));
          }}
        />
      )}
      <button type="button" className="button-small" onClick={props.onManage}>
        {t('accounts.manage')}
      </button>
      <ErrorAlert error={activate.error ?? accounts.error} />
    </div>
  );
}
