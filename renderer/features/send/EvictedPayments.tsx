import type { SendDraft } from '../../../shared/contract/send';
import { formatSats } from '../../../shared/money';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n';

/** A fee bump cancels the user's later payments that spend the change it replaces: name each one. */
export function EvictedPayments({ draft }: { draft: SendDraft }) {
  const { t, separators } = useI18n();
  if (draft.evicts.length === 0) return null;
  const amount = (n: number) => t('amount.sats', { value: formatSats(n, { separators }) });
  return (
    <div className="stack send-evicts">
      <Alert tone="warning">
        <strong>{t('sendguard.evicts.title')}</strong> {t('sendguard.evicts.explain')}
      </Alert>
      <ul className="send-evicts-list">
        {draft.evicts.map((e) => {
          const vars = {
            amount: amount(e.amountSats),
            address: e.address ?? t('sendguard.evicts.unknownAddress'),
            label: e.label ?? '',
          };
          return (
            <li key={e.txid} className="mono" title={e.txid}>
              {e.label ? t('sendguard.evicts.itemLabel', vars) : t('sendguard.evicts.item', vars)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
