import { useState } from 'react';
import type { WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';
import { AccountExportView } from './AccountExportView';
import { AccountNameField } from './AccountNameField';

/** One account: what it is, and what can be done with it (export, gap limit, rename, remove). */
export function AccountCard({ account, onChanged }: { account: WalletSummary; onChanged: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [showExport, setShowExport] = useState(false);
  const [name, setName] = useState(account.name);
  const [receiveGap, setReceiveGap] = useState(String(account.gapLimit.receive));
  const [changeGap, setChangeGap] = useState(String(account.gapLimit.change));
  const [confirmRemove, setConfirmRemove] = useState(false);
  const rename = useAction(() => flash.wallet.rename({ walletId: account.id, name }));
  const setGap = useAction(() =>
    flash.wallet.setGapLimit({
      walletId: account.id,
      gapLimit: { receive: Number(receiveGap), change: Number(changeGap) },
    }),
  );
  const remove = useAction(() => flash.wallet.remove({ walletId: account.id }));
  const holdsWords = account.signer === 'seed' && account.seedWalletId === account.id;
  const gapValid = [receiveGap, changeGap].every(
    (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1000,
  );
  return (
    <li className="card account-card" aria-label={account.name}>
      <div className="account-card-head">
        <h3>{account.name}</h3>
        <span className="badge">{t(`accounts.type.${account.accountType}`)}</span>
        <span className="badge">{t(`accounts.signer.${account.signer}`)}</span>
      </div>
      <p className="hint">
        {t('accounts.origin', { fingerprint: account.fingerprint ?? '—', path: account.accountPath ?? '—' })}
      </p>
      <div className="actions">
        <button type="button" className="button-small" onClick={() => setShowExport((v) => !v)}>
          {showExport ? t('accounts.export.hide') : t('accounts.export.show')}
        </button>
      </div>
      {showExport && <AccountExportView walletId={account.id} />}
      <details>
        <summary>{t('accounts.settings')}</summary>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void rename.run().then((r) => r && onChanged());
          }}
        >
          <AccountNameField value={name} onChange={setName} />
          <button type="submit" className="button-small" disabled={rename.busy || name.trim() === ''}>
            {t('accounts.rename')}
          </button>
        </form>
        <ErrorAlert error={rename.error} />
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void setGap.run().then((r) => r && onChanged());
          }}
        >
          <Field
            label={t('accounts.gap.receive')}
            inputMode="numeric"
            value={receiveGap}
            onChange={(e) => setReceiveGap(e.target.value)}
          />
          <Field
            label={t('accounts.gap.change')}
            inputMode="numeric"
            value={changeGap}
            onChange={(e) => setChangeGap(e.target.value)}
          />
          <button type="submit" className="button-small" disabled={setGap.busy || !gapValid}>
            {t('accounts.gap.save')}
          </button>
        </form>
        {!gapValid && <p className="field-error">{t('accounts.gap.invalid')}</p>}
        <p className="hint">{t('accounts.gap.explain')}</p>
        <ErrorAlert error={setGap.error} />
        {holdsWords ? (
          <p className="hint">{t('accounts.holdsWords')}</p>
        ) : confirmRemove ? (
          <div className="actions">
            <p>{t('accounts.remove.confirm', { name: account.name })}</p>
            <button
              type="button"
              className="button-danger"
              disabled={remove.busy}
              onClick={() => void remove.run().then((r) => r && onChanged())}
            >
              {t('accounts.remove.yes')}
            </button>
            <button type="button" onClick={() => setConfirmRemove(false)}>
              {t('common.cancel')}
            </button>
          </div>
        ) : (
          <button type="button" className="button-small" onClick={() => setConfirmRemove(true)}>
            {t('accounts.remove')}
          </button>
        )}
        <ErrorAlert error={remove.error} />
      </details>
    </li>
  );
}
