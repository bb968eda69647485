import type { HardwarePreferences } from '../../shared/contract/hardware';
import type { Db } from '../store/database';

/** Device preferences in their own table (migration 009). */
export function createPreferences(db: Db) {
  const read = db.prepare<[string], { value: number }>(
    `SELECT value FROM hardware_preferences WHERE key = ?`,
  );
  const write = db.prepare<[string, number]>(
    `INSERT INTO hardware_preferences (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  return {
    get(): HardwarePreferences {
      return { alwaysVerify: read.get('always_verify')?.value === 1 };
    },
    set(next: HardwarePreferences): HardwarePreferences {
      write.run('always_verify', next.alwaysVerify ? 1 : 0);
      return this.get();
    },
  };
}
