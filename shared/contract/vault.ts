import { z } from 'zod';
import { Empty, Id, Password, Void } from './common';

export const VaultState = z.enum(['uninitialized', 'locked', 'unlocked']);
export type VaultState = z.infer<typeof VaultState>;

export const VaultStatus = z.object({
  state: VaultState,
  autoLockMinutes: z.number().int().min(0),
  failedAttempts: z.number().int().min(0),
  /** 0 when a password may be tried now. */
  retryAfterMs: z.number().int().min(0),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

export const NewPassword = z.string().min(8).max(1024);

export const RecoveryWords = z.object({
  words: z.array(z.string()),
  hasPassphrase: z.boolean(),
});
export type RecoveryWords = z.infer<typeof RecoveryWords>;

export const vaultMethods = {
  'vault.getStatus': { input: Empty, output: VaultStatus },
  'vault.setup': { input: z.object({ password: NewPassword }).strict(), output: VaultStatus },
  'vault.unlock': { input: z.object({ password: Password }).strict(), output: VaultStatus },
  'vault.lock': { input: Empty, output: VaultStatus },
  'vault.touch': { input: Empty, output: Void },
  'vault.changePassword': {
    input: z.object({ current: Password, next: NewPassword }).strict(),
    output: VaultStatus,
  },
  'vault.setAutoLock': {
    input: z
      .object({
        minutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60),
      })
      .strict(),
    output: VaultStatus,
  },
  /** The one deliberate way recovery words reach the screen after onboarding. */
  'vault.revealRecoveryWords': {
    input: z.object({ walletId: Id, password: Password }).strict(),
    output: RecoveryWords,
  },
} as const;
