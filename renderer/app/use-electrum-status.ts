import { useCallback } from 'react';
import type { ElectrumStatus } from '../../shared/contract/electrum';
import { useFlash } from './flash-context';
import { useAction, useLiveValue } from './hooks';
import type { BridgeCallError } from './result';

export interface ElectrumStatusModel {
  status: ElectrumStatus | undefined;
  loadError: BridgeCallError | null;
  reconnect: () => void;
  trustNewCertificate: () => void;
  busy: boolean;
  actionError: BridgeCallError | null;
}

/** The Electrum connection as main reports it, plus the two things the user can do about it. */
export function useElectrumStatus(): ElectrumStatusModel {
  const flash = useFlash();
  const load = useCallback(() => flash.electrum.getStatus(), [flash]);
  const live = useLiveValue(load, 'electrum.status');
  const { set } = live;
  const reconnectCall = useCallback(() => flash.electrum.reconnect(), [flash]);
  const trustCall = useCallback(() => flash.electrum.trustNewCertificate(), [flash]);
  const reconnectAction = useAction(reconnectCall);
  const trustAction = useAction(trustCall);
  const { run: runReconnect } = reconnectAction;
  const { run: runTrust } = trustAction;
  const reconnect = useCallback(() => {
    void runReconnect().then((s) => s && set(s));
  }, [runReconnect, set]);
  const trustNewCertificate = useCallback(() => {
    void runTrust().then((s) => s && set(s));
  }, [runTrust, set]);
  return {
    status: live.value,
    loadError: live.error,
    reconnect,
    trustNewCertificate,
    busy: reconnectAction.busy || trustAction.busy,
    actionError: reconnectAction.error ?? trustAction.error,
  };
}
