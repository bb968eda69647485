import { z } from 'zod';
import { Id, Sats } from './common';
import { backupEvents } from './backup';
import { nostrEvents } from './nostr';
import { nwcEvents } from './nwc';
import { merchantEvents } from './merchant';
import { lightningEvents } from './lightning';
import { ecashEvents } from './ecash';
import { pricesEvents } from './prices';
import { ElectrumStatus } from './electrum';
import { Settings } from './settings';
import { VaultStatus } from './vault';
import { SyncState } from './wallet';

export const events = {
  'deposit.detected': z.object({
    walletId: Id,
    txid: z.string(),
    amountSats: Sats,
    confirmed: z.boolean(),
  }),
  /** Balance, history or receive address changed: refetch the overview. */
  'wallet.updated': z.object({ walletId: Id }),
  'sync.progress': z.object({ walletId: Id, sync: SyncState }),
  'electrum.status': ElectrumStatus,
  'vault.status': VaultStatus,
  'settings.changed': Settings,
  ...backupEvents,
  ...nostrEvents,
  ...nwcEvents,
  ...merchantEvents,
  ...lightningEvents,
  ...ecashEvents,
  ...pricesEvents,
} as const;

export type EventName = keyof typeof events;
export const EVENT_NAMES = Object.keys(events) as EventName[];
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
