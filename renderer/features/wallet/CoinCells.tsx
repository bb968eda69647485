import type { ReactNode } from 'react';
import type { Utxo } from '../../../shared/contract/coins';
import { Amount } from '../../components/Amount';
import { useT } from '../../i18n';
import { shortTxid } from './ActivityList';

/**
 * Amount, outpoint and confirmations of one coin: the middle cells that the Coins screen and the
 * send form's coin picker both show. `status` adds to the confirmations cell (e.g. a frozen badge).
 */
export function CoinCells({ coin, status }: { coin: Utxo; status?: ReactNode }) {
  const t = useT();
  return (
    <>
      <td>
        <Amount sats={coin.sats} />
      </td>
      <td>
        <code title={coin.outpoint}>
          {shortTxid(coin.txid)}:{coin.vout}
        </code>
      </td>
      <td>
        {coin.confirmations === 0
          ? t('activity.unconfirmed')
          : t('coins.confirmations', { count: coin.confirmations })}
        {status}
      </td>
    </>
  );
}
