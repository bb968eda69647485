export {
  createVaultService,
  DEFAULT_AUTO_LOCK_MINUTES,
  MAX_AUTO_LOCK_MINUTES,
  MIN_PASSWORD_LENGTH,
} from './service';
export { scryptKey } from './crypto';
export type { DeriveKey } from './crypto';
export type { TimerHandle, VaultDeps, VaultService } from './types';
