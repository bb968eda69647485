import { useId } from 'react';
import type { Utxo } from '../../../shared/contract/coins';
import type { BridgeCallError } from '../../app/result';
import { ErrorAlert } from '../../components/Alert';
import { Amount } from '../../components/Amount';
import { useT } from '../../i18n';
import { shortTxid } from '../wallet/ActivityList';
import { CoinCells } from '../wallet/CoinCells';
import { selectedTotal } from './coin-choice';

/**
 * "Choose coins": the wallet's unspent outputs with checkboxes. Frozen coins are listed but cannot
 * be picked (the service refuses them too); the total of the chosen ones is kept in view.
 */
export function CoinPicker(props: {
  coins: Utxo[] | undefined;
  loadError: BridgeCallError | null;
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  error: string | null;
}) {
  const { coins, loadError, selected, onChange, error } = props;
  const t = useT();
  const id = useId();
  const chosen = new Set(selected);
  const list = coins ?? [];
  const total = selectedTotal(coins, selected);
  const count = list.filter((c) => chosen.has(c.outpoint) && !c.frozen).length;
  const toggle = (outpoint: string, on: boolean) =>
    onChange(on ? [...selected, outpoint] : selected.filter((o) => o !== outpoint));

  return (
    <fieldset className="send-coins" aria-describedby={`${id}-total`}>
      <legend>{t('sendtools.coins.title')}</legend>
      <p className="hint">{t('sendtools.coins.explain')}</p>
      <ErrorAlert error={loadError} />
      {coins && list.length === 0 && <p className="empty">{t('sendtools.coins.none')}</p>}
      {list.length > 0 && (
        <table className="send-coins-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="sendtools-sr-only">{t('sendtools.coins.use')}</span>
              </th>
              <th scope="col">{t('activity.amount')}</th>
              <th scope="col">{t('sendtools.coins.coin')}</th>
              <th scope="col">{t('activity.status')}</th>
              <th scope="col">{t('sendtools.coins.label')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((coin) => {
              const label = coin.label ?? coin.txLabel ?? coin.addressLabel;
              return (
                <tr key={coin.outpoint} className={coin.frozen ? 'send-coin-frozen' : undefined}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('sendtools.coins.pick', {
                        coin: `${shortTxid(coin.txid)}:${coin.vout}`,
                      })}
                      checked={chosen.has(coin.outpoint) && !coin.frozen}
                      disabled={coin.frozen}
                      onChange={(e) => toggle(coin.outpoint, e.target.checked)}
                    />
                  </td>
                  <CoinCells
                    coin={coin}
                    status={
                      coin.frozen && (
                        <>
                          {' '}
                          <span className="badge badge-pending" title={t('sendtools.coins.frozenHint')}>
                            {t('coins.frozen')}
                          </span>
                        </>
                      )
                    }
                  />
                  <td>{label ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p id={`${id}-total`} className={error ? 'hint hint-error' : 'hint'} role="status">
        {error ?? null}
        {error ? ' ' : null}
        <span className="send-coins-total">
          {t('sendtools.coins.selected', { count })} <Amount sats={total} />
        </span>
      </p>
    </fieldset>
  );
}
