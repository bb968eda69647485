import { useId, useState } from 'react';
import type { AccountType, WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { useT } from '../../i18n';
import { AccountNameField } from './AccountNameField';
import { accountTypeOptions } from './account-labels';

/**
 * A watch-only account from an extended public key or descriptor: Flash sees the balance and
 * builds PSBTs, and another signer (a hardware or air-gapped wallet) signs them.
 */
export function ImportWatchOnlyForm({ onAdded }: { onAdded: (a: WalletSummary) => void }) {
  const t = useT();
  const flash = useFlash();
  const keyId = useId();
  const [key, setKey] = useState('');
  const [type, setType] = useState<AccountType | 'auto'>('auto');
  const [fingerprint, setFingerprint] = useState('');
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const importIt = useAction(() =>
    flash.wallet.importWatchOnly({
      name: name.trim() || t('accounts.watch.defaultName'),
      key: key.trim(),
      ...(type === 'auto' ? {} : { accountType: type }),
      ...(fingerprint.trim() ? { fingerprint: fingerprint.trim() } : {}),
      ...(path.trim() ? { path: path.trim() } : {}),
    }),
  );
  const fingerprintValid = fingerprint.trim() === '' || /^[0-9a-fA-F]{8}$/.test(fingerprint.trim());
  return (
    <form
      className="stack"
      aria-label={t('accounts.watch.title')}
      onSubmit={(e) => {
        e.preventDefault();
        void importIt.run().then((a) => a && onAdded(a));
      }}
    >
      <h3>{t('accounts.watch.title')}</h3>
      <p className="hint">{t('accounts.watch.explain')}</p>
      <div className="field">
        <label htmlFor={keyId}>{t('accounts.watch.key')}</label>
        <textarea
          id={keyId}
          rows={4}
          className="mono"
          spellCheck={false}
          value={key}
          placeholder="zpub… / vpub… / wpkh([73c5da0a/84h/1h/0h]tpub…/<0;1>/*)#…"
          onChange={(e) => setKey(e.target.value)}
        />
      </div>
      <SelectField
        label={t('accounts.type')}
        hint={t('accounts.watch.typeHint')}
        value={type}
        options={[{ value: 'auto', label: t('accounts.watch.typeAuto') }, ...accountTypeOptions(t)]}
        onChange={(e) => setType(e.target.value as AccountType | 'auto')}
      />
      <details>
        <summary>{t('accounts.watch.origin')}</summary>
        <Field
          label={t('accounts.watch.fingerprint')}
          value={fingerprint}
          maxLength={8}
          onChange={(e) => setFingerprint(e.target.value)}
        />
        {!fingerprintValid && <p className="field-error">{t('accounts.watch.fingerprintInvalid')}</p>}
        <Field
          label={t('accounts.watch.path')}
          value={path}
          placeholder="m/84'/0'/0'"
          onChange={(e) => setPath(e.target.value)}
        />
      </details>
      <AccountNameField value={name} onChange={setName} />
      <div className="actions">
        <button
          type="submit"
          className="button-primary"
          disabled={importIt.busy || key.trim() === '' || !fingerprintValid}
        >
          {t('accounts.watch.submit')}
        </button>
      </div>
      <ErrorAlert error={importIt.error} />
    </form>
  );
}
