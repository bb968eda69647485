import type { Network } from '../../shared/contract/common';
import { useT } from '../i18n';

/** Says which network a new wallet will live on, and whether its coins are real. */
export function NetworkNote({ network }: { network: Network }) {
  const t = useT();
  return (
    <p className={`network-note network-${network}`}>
      {t('network.walletWillBeOn', { network: t(`network.${network}`) })}{' '}
      {network === 'mainnet' ? t('network.realMoney') : t('network.testMoney')}
    </p>
  );
}
