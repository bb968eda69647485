import { useCallback } from 'react';
import { useFlash } from '../../app/flash-context';
import type { Query } from '../../app/hooks';
import { useFlashEvent, useQuery } from '../../app/hooks';
import type { LightningProviderStatus, LightningProviderView } from '../../../shared/contract/lightning';

/** The connected Lightning wallets, refreshed whenever main says the list or a state changed. */
export function useProviders(): Query<LightningProviderView[]> {
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.lightning.listProviders(), [flash]));
  useFlashEvent('lightning.providers', () => query.reload());
  return query;
}

/** The default wallet's balance and limits, refreshed after payments and connection changes. */
export function useLightningStatus(): Query<LightningProviderStatus | null> {
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.lightning.getStatus({}), [flash]));
  useFlashEvent('lightning.providers', () => query.reload());
  useFlashEvent('lightning.payment', (p) => {
    if (p.state !== 'pending') query.reload();
  });
  return query;
}
