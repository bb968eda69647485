import { useState } from 'react';
import type { AccountType, WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { useT } from '../../i18n';
import { AccountNameField } from './AccountNameField';
import { accountTypeOptions } from './account-labels';

/** Another account from recovery words Flash already holds: a type and an account number. */
export function AddAccountForm(props: {
  seeds: readonly WalletSummary[];
  onAdded: (a: WalletSummary) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [picked, setSeedId] = useState<string | null>(null);
  // The list may arrive after the first render: default to its first entry until one is picked.
  const seedId = picked ?? props.seeds[0]?.id ?? '';
  const [type, setType] = useState<AccountType>('bip86');
  const [index, setIndex] = useState('0');
  const [name, setName] = useState('');
  const add = useAction(() =>
    flash.wallet.addAccount({
      seedWalletId: seedId,
      accountType: type,
      accountIndex: Number(index),
      name: name.trim() || t('accounts.defaultName', { type: t(`accounts.type.${type}`), index }),
    }),
  );
  if (props.seeds.length === 0) return <p className="hint">{t('accounts.add.noWords')}</p>;
  const indexValid = /^\d{1,4}$/.test(index) && Number(index) <= 1000;
  return (
    <form
      className="stack"
      aria-label={t('accounts.add.title')}
      onSubmit={(e) => {
        e.preventDefault();
        void add.run().then((a) => a && props.onAdded(a));
      }}
    >
      <h3>{t('accounts.add.title')}</h3>
      <p className="hint">{t('accounts.add.explain')}</p>
      {props.seeds.length > 1 && (
        <SelectField
          label={t('accounts.add.words')}
          value={seedId}
          options={props.seeds.map((s) => ({ value: s.id, label: `${s.name} (${s.fingerprint ?? '—'})` }))}
          onChange={(e) => setSeedId(e.target.value)}
        />
      )}
      <SelectField
        label={t('accounts.type')}
        value={type}
        options={accountTypeOptions(t)}
        onChange={(e) => setType(e.target.value as AccountType)}
      />
      <Field
        label={t('accounts.add.index')}
        hint={t('accounts.add.indexHint')}
        inputMode="numeric"
        value={index}
        onChange={(e) => setIndex(e.target.value)}
      />
      {!indexValid && <p className="field-error">{t('accounts.add.indexInvalid')}</p>}
      <AccountNameField value={name} onChange={setName} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={add.busy || !indexValid || !seedId}>
          {add.busy ? t('accounts.add.busy') : t('accounts.add.submit')}
        </button>
      </div>
      <ErrorAlert error={add.error} />
    </form>
  );
}
