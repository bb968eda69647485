import crypto from 'node:crypto';
import { FlashError } from '../../shared/errors';
import type { MerchantRepository } from './repository';

/**
 * Cashier mode: the app is locked to the counter (take payments, today's sales only) until the
 * cashier PIN or the vault password is given. The mode is kept in SQLite so a restart does not
 * leave it; the PIN only as a salted scrypt hash, and wrong PINs are slowed down.
 */

const MODE_KEY = 'cashier_mode';
const PIN_KEY = 'cashier_pin';
const SCRYPT = { N: 1 << 14, r: 8, p: 1 } as const;

export interface Cashier {
  active(): boolean;
  pinSet(): boolean;
  setPin(pin: string): void;
  enter(): void;
  /** Leaves with the PIN; throws MERCHANT_WRONG_PIN (details.retryAfterMs while slowed down). */
  leaveWithPin(pin: string): void;
  /** Leaves after the vault password was checked by the caller. */
  leave(): void;
  /** Refuses what a cashier may not do while the mode is on. */
  guard(what: string): void;
}

export function createCashier(repo: MerchantRepository, now: () => number = Date.now): Cashier {
  let failures = 0;
  let lockedUntil = 0;
  const hash = (pin: string, salt: Buffer) => crypto.scryptSync(pin, salt, 32, SCRYPT);
  return {
    active: () => repo.setting(MODE_KEY) === '1',
    pinSet: () => repo.setting(PIN_KEY) !== null,
    setPin(pin) {
      const salt = crypto.randomBytes(16);
      repo.setSetting(PIN_KEY, `${salt.toString('hex')}:${hash(pin, salt).toString('hex')}`);
    },
    enter() {
      repo.setSetting(MODE_KEY, '1');
    },
    leaveWithPin(pin) {
      const wait = lockedUntil - now();
      if (wait > 0)
        throw new FlashError('MERCHANT_WRONG_PIN', 'Too many wrong PINs. Wait a moment.', {
          retryAfterMs: wait,
        });
      const stored = repo.setting(PIN_KEY);
      const [saltHex, hashHex] = stored?.split(':') ?? [];
      const ok =
        saltHex !== undefined &&
        hashHex !== undefined &&
        crypto.timingSafeEqual(hash(pin, Buffer.from(saltHex, 'hex')), Buffer.from(hashHex, 'hex'));
      if (!ok) {
        failures += 1;
        if (failures >= 3) lockedUntil = now() + Math.min(300_000, 1000 * 2 ** (failures - 3));
        throw new FlashError('MERCHANT_WRONG_PIN', 'Wrong PIN.');
      }
      failures = 0;
      repo.setSetting(MODE_KEY, '0');
    },
    leave() {
      failures = 0;
      repo.setSetting(MODE_KEY, '0');
    },
    guard(what) {
      if (repo.setting(MODE_KEY) === '1') {
        throw new FlashError('MERCHANT_CASHIER_LOCKED', `Cashier mode is on: ${what} needs the manager.`);
      }
    },
  };
}
