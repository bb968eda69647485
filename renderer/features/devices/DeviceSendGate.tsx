import type { ReactNode } from 'react';
import type { SendDraft } from '../../../shared/contract/send';
import { useDeviceAccount } from './use-device-account';
import { ConfirmOnDevice } from './ConfirmOnDevice';

/**
 * The send flow's review step: device accounts go through "Confirm on your device"; every other
 * account keeps the normal review (`children`).
 */
export function DeviceSendGate(props: {
  walletId: string;
  draft: SendDraft;
  onBack: () => void;
  onSent: (result: { txid: string; state: 'broadcast' | 'broadcasting' }) => void;
  children: ReactNode;
}) {
  const account = useDeviceAccount(props.walletId);
  if (account.loading && account.value === undefined) return null;
  if (!account.value) return <>{props.children}</>;
  return (
    <ConfirmOnDevice
      account={account.value}
      draft={props.draft}
      onBack={props.onBack}
      onSent={props.onSent}
    />
  );
}
