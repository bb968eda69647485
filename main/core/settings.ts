import type { z } from 'zod';
import type { ElectrumServer, Network, Settings, SettingsPatch } from '../../shared/contract';
import {
  ElectrumServer as ElectrumServerSchema,
  Language,
  NETWORKS,
  Network as NetworkSchema,
  Settings as SettingsSchema,
  SettingsPatch as SettingsPatchSchema,
  Socks5ProxySetting,
  Theme,
} from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { Db } from '../store/database';
import type { EventBus } from './event-bus';
import type { Logger } from './logger';
import type { SettingsService } from './settings-service';

/** The Electrum server each network uses until the user picks another. */
export const DEFAULT_ELECTRUM: Readonly<Record<Network, Readonly<ElectrumServer>>> = {
  mainnet: { host: 'electrum.blockstream.info', port: 50002, transport: 'tls' },
  testnet: { host: 'electrum.blockstream.info', port: 60002, transport: 'tls' },
  signet: { host: 'mempool.space', port: 60602, transport: 'tls' },
  regtest: { host: '127.0.0.1', port: 60401, transport: 'tcp' },
};

export interface SettingsDeps {
  db: Db;
  bus: EventBus;
  /** Network used while the profile has no saved choice. */
  defaultNetwork: Network;
  /**
   * A server given on the command line. It wins for every network in `electrumServer()`, but is
   * never saved and never shown by `get()`, which keeps reporting the user's saved choices.
   */
  electrumOverride: ElectrumServer | null;
  log?: Logger;
}

/** Row keys in the `settings` table; each value is JSON. */
const KEYS = {
  language: 'settings.language',
  theme: 'settings.theme',
  network: 'settings.network',
  electrum: (network: Network) => `settings.electrum.${network}`,
  fallbacks: (network: Network) => `settings.electrumFallbacks.${network}`,
  proxy: 'settings.electrumProxy',
};

const FallbackList = SettingsSchema.shape.electrumFallbacks.shape.mainnet;
const serverKey = (s: ElectrumServer): string => `${s.host.toLowerCase()}:${s.port}`;

/**
 * The fallback list must name each server once and not repeat the primary: a repeated server
 * would only be retried, never giving the failover the user asked for.
 */
function checkFallbacks(primary: ElectrumServer, list: readonly ElectrumServer[]): void {
  const seen = new Set<string>([serverKey(primary)]);
  for (const [i, server] of list.entries()) {
    const key = serverKey(server);
    if (key === serverKey(primary)) {
      throw new FlashError('BAD_INPUT', `Fallback server ${i + 1} (${key}) is the primary server.`, {
        reason: 'FALLBACK_IS_PRIMARY',
        index: i,
      });
    }
    if (seen.has(key)) {
      throw new FlashError('BAD_INPUT', `Fallback server ${i + 1} (${key}) is listed twice.`, {
        reason: 'FALLBACK_DUPLICATE',
        index: i,
      });
    }
    seen.add(key);
  }
}

/**
 * User preferences, one JSON row per field in `settings`. A row that is missing, not JSON, or
 * fails its schema (hand-edited file, older format) falls back to that field's default instead of
 * breaking start-up; the next update overwrites it.
 */
export function createSettingsService(deps: SettingsDeps): SettingsService {
  const { db, bus } = deps;
  const log = deps.log?.child('settings');
  const defaultNetwork = NetworkSchema.parse(deps.defaultNetwork);
  const override = deps.electrumOverride ? ElectrumServerSchema.parse(deps.electrumOverride) : null;

  const selectAll = db.prepare<[], { key: string; value: string }>(
    "SELECT key, value FROM settings WHERE key LIKE 'settings.%'",
  );
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );

  function read(): Settings {
    const rows = new Map(selectAll.all().map((row) => [row.key, row.value]));
    const field = <T>(key: string, schema: z.ZodType<T>, fallback: T): T => {
      const raw = rows.get(key);
      if (raw === undefined) return fallback;
      try {
        const parsed = schema.safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
      } catch {
        // not JSON: fall through
      }
      log?.warn('ignoring a bad stored setting', { setting: key });
      return fallback;
    };
    const electrum = {} as Settings['electrum'];
    const electrumFallbacks = {} as Settings['electrumFallbacks'];
    for (const network of NETWORKS) {
      electrum[network] = field(KEYS.electrum(network), ElectrumServerSchema, {
        ...DEFAULT_ELECTRUM[network],
      });
      // Profiles saved before fallbacks existed have no row: no fallbacks, as before.
      electrumFallbacks[network] = field(KEYS.fallbacks(network), FallbackList, []);
    }
    return {
      language: field(KEYS.language, Language, 'en'),
      theme: field(KEYS.theme, Theme, 'system'),
      network: field(KEYS.network, NetworkSchema, defaultNetwork),
      electrum,
      electrumFallbacks,
      electrumProxy: field(KEYS.proxy, Socks5ProxySetting.nullable(), null),
    };
  }

  return {
    get() {
      return read();
    },

    update(patch: SettingsPatch) {
      const parsed = SettingsPatchSchema.safeParse(patch);
      if (!parsed.success) {
        throw new FlashError(
          'BAD_INPUT',
          `Invalid settings: ${parsed.error.issues[0]?.message ?? 'bad value'}`,
        );
      }
      const p = parsed.data;
      const current = read();
      const network = p.network ?? current.network;
      const next: Settings = {
        language: p.language ?? current.language,
        theme: p.theme ?? current.theme,
        network,
        electrum: p.electrumServer ? { ...current.electrum, [network]: p.electrumServer } : current.electrum,
        electrumFallbacks: p.electrumFallbacks
          ? { ...current.electrumFallbacks, [network]: p.electrumFallbacks }
          : p.electrumServer
            ? {
                // A fallback promoted to primary leaves the fallback list.
                ...current.electrumFallbacks,
                [network]: current.electrumFallbacks[network].filter(
                  (f) => serverKey(f) !== serverKey(p.electrumServer as ElectrumServer),
                ),
              }
            : current.electrumFallbacks,
        electrumProxy: p.electrumProxy !== undefined ? p.electrumProxy : current.electrumProxy,
      };
      if (p.electrumFallbacks) {
        checkFallbacks(next.electrum[network], next.electrumFallbacks[network]);
      }
      // The whole object must still satisfy the contract before anything is written.
      SettingsSchema.parse(next);
      db.transaction(() => {
        if (p.language !== undefined) upsert.run(KEYS.language, JSON.stringify(next.language));
        if (p.theme !== undefined) upsert.run(KEYS.theme, JSON.stringify(next.theme));
        if (p.network !== undefined) upsert.run(KEYS.network, JSON.stringify(next.network));
        if (p.electrumServer) upsert.run(KEYS.electrum(network), JSON.stringify(next.electrum[network]));
        if (p.electrumFallbacks || p.electrumServer) {
          upsert.run(KEYS.fallbacks(network), JSON.stringify(next.electrumFallbacks[network]));
        }
        if (p.electrumProxy !== undefined) upsert.run(KEYS.proxy, JSON.stringify(next.electrumProxy));
      })();
      bus.emit('settings.changed', next);
      return next;
    },

    electrumServer(network: Network) {
      const checked = NetworkSchema.safeParse(network);
      if (!checked.success) throw new FlashError('BAD_INPUT', `Unknown network: ${String(network)}`);
      if (override) return { ...override };
      return read().electrum[checked.data];
    },
  };
}
