import type { Network } from '../../shared/contract/common';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { MintRegistry } from './mints';
import type { SeedKeeper } from './seed';
import type { EcashStore, OpRow } from './store';

/** What every operation module works with. */
export interface OpContext {
  store: EcashStore;
  mints: MintRegistry;
  seed: SeedKeeper;
  network(): Network;
  bus: EventBus;
  log: Logger;
  now(): number;
  /** Announces an operation's new state (and the balances it touched) to the renderer. */
  changed(op: OpRow): void;
}
