import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { FlashClient } from '../../shared/bridge';
import type { ConnectionState, SocketTransport } from './socket-transport';

interface FlashContextValue {
  client: FlashClient;
  /** Only in browser mode; Electron IPC has no connection to lose. */
  connection: SocketTransport | null;
}

const FlashContext = createContext<FlashContextValue | null>(null);

export function FlashProvider(props: {
  client: FlashClient;
  connection: SocketTransport | null;
  children: ReactNode;
}) {
  const { client, connection, children } = props;
  return <FlashContext value={{ client, connection }}>{children}</FlashContext>;
}

function useFlashContext(): FlashContextValue {
  const value = useContext(FlashContext);
  if (!value) throw new Error('useFlash must be used inside <FlashProvider>');
  return value;
}

/** The typed bridge client (`window.flash` or its browser-mode equivalent). */
export function useFlash(): FlashClient {
  return useFlashContext().client;
}

const alwaysOpen = (): ConnectionState => 'open';
const noSubscription = () => () => undefined;

/** The browser-mode socket state; always 'open' in Electron. */
export function useConnectionState(): ConnectionState {
  const { connection } = useFlashContext();
  return useSyncExternalStore(
    connection ? (cb) => connection.onState(cb) : noSubscription,
    connection ? () => connection.state() : alwaysOpen,
  );
}
