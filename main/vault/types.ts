import type { VaultStatus } from '../../shared/contract';
import type { KdfParams } from '../core/config';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Db } from '../store/database';
import type { DeriveKey } from './crypto';

/**
 * Holds every secret of a profile, sealed under a key derived from the user's password.
 * Plain secrets exist only in memory while unlocked, and only inside main.
 */
export interface VaultService {
  status(): VaultStatus;
  setup(password: string): Promise<VaultStatus>;
  /** Throws VAULT_WRONG_PASSWORD or VAULT_RATE_LIMITED (details.retryAfterMs). */
  unlock(password: string): Promise<VaultStatus>;
  lock(): VaultStatus;
  /** Records user activity for the auto-lock timer. */
  touch(): void;
  changePassword(current: string, next: string): Promise<VaultStatus>;
  setAutoLock(minutes: number): VaultStatus;
  /** Re-asks the password for sensitive reveals; same rate limit as unlock. */
  verifyPassword(password: string): Promise<void>;
  /** Throws VAULT_LOCKED when locked. */
  putSecret(name: string, value: Uint8Array): void;
  getSecret(name: string): Uint8Array;
  hasSecret(name: string): boolean;
  deleteSecret(name: string): void;
  /** Called right after the vault locks (manually or by idle), so services drop derived keys. */
  onLock(listener: () => void): () => void;
  onUnlock(listener: () => void): () => void;
  start(): void;
  stop(): void;
}

export type TimerHandle = unknown;

export interface VaultDeps {
  /** An open, migrated database (see `openDatabase`). */
  db: Db;
  bus: EventBus;
  log: Logger;
  /** KDF cost for new vaults and password changes; an existing vault uses the numbers it stored. */
  kdf: KdfParams;
  /** Wall clock in ms; injectable for tests. */
  now?: () => number;
  /** Timer functions for auto-lock; injectable for tests. Defaults use unref'd setTimeout. */
  setTimer?: (fn: () => void, ms: number) => TimerHandle;
  clearTimer?: (handle: TimerHandle) => void;
  /** Password -> 32-byte key. Defaults to scrypt; tests inject a counting wrapper. */
  deriveKey?: DeriveKey;
}
