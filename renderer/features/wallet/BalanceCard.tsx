import type { Balance } from '../../../shared/contract/wallet';
import { Amount } from '../../components/Amount';
import { useT } from '../../i18n';
import { FiatRateNote } from '../prices/FiatAmount';

export function BalanceCard({ balance }: { balance: Balance }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="balance-title">
      <h2 id="balance-title">{t('balance.title')}</h2>
      <dl className="balance">
        <div className="balance-row">
          <dt>{t('balance.confirmed')}</dt>
          <dd>
            <Amount sats={balance.confirmed} />
          </dd>
        </div>
        {balance.confirming > 0 && (
          <div className="balance-row balance-confirming" title={t('balance.confirming.hint')}>
            <dt>{t('balance.confirming')}</dt>
            <dd>
              <Amount sats={balance.confirming} />
            </dd>
          </div>
        )}
        <div className="balance-row">
          <dt>{t('balance.unconfirmed')}</dt>
          <dd>
            <Amount sats={balance.unconfirmed} />
          </dd>
        </div>
      </dl>
      <FiatRateNote />
    </section>
  );
}
