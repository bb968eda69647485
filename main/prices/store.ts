import type { PriceQuote, PriceSettings } from '../../shared/contract/prices';
import {
  DEFAULT_MEMPOOL_URL,
  PriceQuote as PriceQuoteSchema,
  PriceSettings as PriceSettingsSchema,
} from '../../shared/contract/prices';
import type { Db } from '../store/database';

/** Off, in US dollars, from mempool.space once turned on: nothing is asked until the user chooses. */
export const DEFAULT_PRICE_SETTINGS: Readonly<PriceSettings> = {
  source: null,
  currency: 'USD',
  mempoolUrl: DEFAULT_MEMPOOL_URL,
};

const SETTINGS_KEY = 'prices.settings';
/** The last good price is kept, so a restart without the source still shows it with its age. */
const QUOTE_KEY = 'prices.lastQuote';

export interface PriceStore {
  settings(): PriceSettings;
  saveSettings(settings: PriceSettings): void;
  quote(): PriceQuote | null;
  saveQuote(quote: PriceQuote | null): void;
}

/** Two JSON rows of the settings table; a row that no longer parses falls back to its default. */
export function createPriceStore(db: Db): PriceStore {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  const read = (key: string): unknown => {
    const row = select.get(key);
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as unknown;
    } catch {
      return undefined;
    }
  };
  return {
    settings() {
      const parsed = PriceSettingsSchema.safeParse(read(SETTINGS_KEY));
      return parsed.success ? parsed.data : { ...DEFAULT_PRICE_SETTINGS };
    },
    saveSettings(settings) {
      upsert.run(SETTINGS_KEY, JSON.stringify(settings));
    },
    quote() {
      const parsed = PriceQuoteSchema.safeParse(read(QUOTE_KEY));
      return parsed.success ? parsed.data : null;
    },
    saveQuote(quote) {
      if (quote) upsert.run(QUOTE_KEY, JSON.stringify(quote));
      else remove.run(QUOTE_KEY);
    },
  };
}
