import { z } from 'zod';
import type { Db } from '../store/database';
import { LOCAL_PREFIX } from './manifest';

/**
 * What the backup feature remembers between runs, in the `settings` table under `backup.*` (rows
 * a backup never carries: they describe this computer's folder and history).
 */
export const AutoSettings = z.object({
  enabled: z.boolean(),
  folder: z.string(),
  keep: z.number().int().min(1),
  /** Salt and scrypt cost the sealed automatic key was derived with; written into each header. */
  salt: z.string().regex(/^[0-9a-f]{64}$/),
  kdf: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }),
});
export type AutoSettings = z.infer<typeof AutoSettings>;

const Last = z.object({ path: z.string(), sizeBytes: z.number().int(), at: z.number().int() });
const Problem = z.object({ code: z.string(), message: z.string(), at: z.number().int() });
const Attempts = z.object({ failed: z.number().int().min(0), lastAt: z.number().int().nullable() });
type Attempts = z.infer<typeof Attempts>;

const KEYS = {
  auto: `${LOCAL_PREFIX}auto`,
  last: `${LOCAL_PREFIX}last`,
  lastError: `${LOCAL_PREFIX}lastError`,
  attempts: `${LOCAL_PREFIX}attempts`,
  fingerprint: `${LOCAL_PREFIX}fingerprint`,
};

export function createBackupState(db: Db) {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  const listeners = new Set<() => void>();

  function read<T>(key: string, schema: z.ZodType<T>): T | null {
    const raw = select.get(key)?.value;
    if (raw === undefined) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
  function write(key: string, value: unknown, notify = true): void {
    if (value === null) remove.run(key);
    else upsert.run(key, JSON.stringify(value));
    if (notify) for (const l of listeners) l();
  }

  return {
    auto: () => read(KEYS.auto, AutoSettings),
    setAuto: (v: AutoSettings) => write(KEYS.auto, v),
    last: () => read(KEYS.last, Last),
    setLast: (v: z.infer<typeof Last>) => write(KEYS.last, v),
    lastError: () => read(KEYS.lastError, Problem),
    setLastError: (v: z.infer<typeof Problem> | null) => write(KEYS.lastError, v),
    fingerprint: () => read(KEYS.fingerprint, z.string()),
    setFingerprint: (v: string | null) => write(KEYS.fingerprint, v, false),
    attempts: (): Attempts => read(KEYS.attempts, Attempts) ?? { failed: 0, lastAt: null },
    recordFailure(at: number): Attempts {
      const next = { failed: this.attempts().failed + 1, lastAt: at };
      write(KEYS.attempts, next, false);
      return next;
    },
    resetFailures: () => write(KEYS.attempts, null, false),
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
