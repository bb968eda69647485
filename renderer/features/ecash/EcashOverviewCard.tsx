import type { EcashBalance, EcashMintView } from '../../../shared/contract/ecash';
import { ErrorAlert } from '../../components/Alert';
import { Amount } from '../../components/Amount';
import { useI18n } from '../../i18n';
import { formatUnitAmount, shortMintUrl } from './format';
import { useMints } from './use-ecash';
import './ecash.css';

/**
 * eCash in the Wallet overview: each trusted mint with what it holds per unit, and a way into the
 * eCash area. Nothing shows until the user trusts a mint, so a wallet without eCash stays as it was.
 * The mints come from the eCash area's own hook, so both screens refresh on the same balance events.
 */
export function EcashOverviewCard({ onOpen }: { onOpen: () => void }) {
  const { t } = useI18n();
  const mints = useMints();
  const list = mints.value ?? [];
  if (list.length === 0 && !mints.error) return null;
  return (
    <section className="card stack ecash-overview" aria-labelledby="ecash-overview-title">
      <div className="ecash-mint-head">
        <h2 id="ecash-overview-title">{t('ecash.overview.title')}</h2>
        <button type="button" className="button-link" onClick={onOpen}>
          {t('ecash.overview.open')}
        </button>
      </div>
      <ErrorAlert error={mints.error} />
      {list.map((m) => (
        <MintBalances key={m.url} mint={m} />
      ))}
    </section>
  );
}

/** One mint: its name, whether it answers (a mint that is down still holds its balance), each unit. */
function MintBalances({ mint }: { mint: EcashMintView }) {
  const { t } = useI18n();
  const name = mint.name ?? shortMintUrl(mint.url);
  return (
    <div className="ecash-overview-mint" data-testid="ecash-overview-mint">
      <div className="ecash-mint-head">
        <h3>{name}</h3>
        {!mint.reachable && (
          <span className="badge badge-failed" title={mint.lastError ?? undefined}>
            {t('ecash.mint.down')}
          </span>
        )}
      </div>
      {mint.balances.length === 0 ? (
        <p className="hint">{t('ecash.mint.empty')}</p>
      ) : (
        mint.balances.map((b) => <UnitBalance key={b.unit} balance={b} />)
      )}
    </div>
  );
}

function UnitBalance({ balance }: { balance: EcashBalance }) {
  const { t } = useI18n();
  return (
    <dl className="ecash-overview-unit" data-unit={balance.unit}>
      <div>
        <dt>{t('ecash.overview.spendable', { unit: balance.unit })}</dt>
        <dd data-testid="ecash-overview-spendable">
          <UnitAmount amount={balance.spendable} unit={balance.unit} />
        </dd>
      </div>
      {balance.pending > 0 && (
        <div>
          <dt>{t('ecash.balance.pending')}</dt>
          <dd>
            <UnitAmount amount={balance.pending} unit={balance.unit} />
          </dd>
        </div>
      )}
      {balance.incoming > 0 && (
        <div>
          <dt>{t('ecash.balance.incoming')}</dt>
          <dd>
            <UnitAmount amount={balance.incoming} unit={balance.unit} />
          </dd>
        </div>
      )}
    </dl>
  );
}

/** Sats through the shared Amount (BTC, sats and fiat when prices are on); other units as the mint counts them. */
function UnitAmount({ amount, unit }: { amount: number; unit: string }) {
  const { t, separators } = useI18n();
  if (unit === 'sat') return <Amount sats={amount} />;
  return (
    <span className="amount">
      {formatUnitAmount(amount, unit, separators, (value) => t('amount.sats', { value }))}
    </span>
  );
}
