import type { ElectrumClient, ElectrumService } from './types';

/**
 * Runs `connect` for the live connection, if any, and for every later one. Services that keep
 * per-connection state (subscriptions, header sync) start this way; returns the unsubscribe.
 */
export function followConnections(
  electrum: ElectrumService,
  connect: (client: ElectrumClient) => void,
): () => void {
  const unsubscribe = electrum.onConnected(connect);
  if (electrum.status().state === 'connected') {
    try {
      connect(electrum.client());
    } catch {
      // Raced a disconnect: onConnected brings the next connection.
    }
  }
  return unsubscribe;
}
