import { useCallback } from 'react';
import type { WalletSummary } from '../../../shared/contract/wallet';
import type { Result } from '../../../shared/errors';
import { useFlash } from '../../app/flash-context';
import { useQuery } from '../../app/hooks';

export type DeviceAccount = WalletSummary & { signer: 'ledger' | 'trezor' };

export function isDeviceAccount(w: WalletSummary | undefined | null): w is DeviceAccount {
  return w?.signer === 'ledger' || w?.signer === 'trezor';
}

/**
 * The account `walletId` names, or the active one when no id is given (the receive panel is shown
 * for the active account). `value` is null for anything that is not a device account.
 */
export function useDeviceAccount(walletId: string | null) {
  const flash = useFlash();
  const load = useCallback(async (): Promise<Result<DeviceAccount | null>> => {
    let id = walletId;
    if (id === null) {
      const state = await flash.app.getState();
      if (!state.ok) return state;
      id = state.value.activeWalletId;
    }
    const list = await flash.wallet.list();
    if (!list.ok) return list;
    const found = list.value.find((w) => w.id === id);
    return { ok: true, value: isDeviceAccount(found) ? found : null };
  }, [flash, walletId]);
  return useQuery(load);
}
