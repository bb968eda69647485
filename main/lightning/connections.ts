import type { Network } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import type { LightningProviderKind } from './provider';
import type { ConnectionSettings, StoredConnection } from './registry';

/** The vault name of a provider's secret (macaroon, NWC secret, API key). */
export const providerSecretName = (id: string): string => `lightning.provider.${id}`;

export interface ConnectionRow {
  id: string;
  kind: LightningProviderKind;
  label: string;
  network: Network;
  settings: ConnectionSettings;
  endpoint: string;
  hasSecret: boolean;
  isDefault: boolean;
  createdAt: number;
}

interface RawRow {
  id: string;
  kind: string;
  label: string;
  network: string;
  settings: string;
  endpoint: string;
  has_secret: number;
  is_default: number;
  created_at: number;
}

function fromRaw(r: RawRow): ConnectionRow {
  return {
    id: r.id,
    kind: r.kind as LightningProviderKind,
    label: r.label,
    network: r.network as Network,
    settings: JSON.parse(r.settings) as ConnectionSettings,
    endpoint: r.endpoint,
    hasSecret: r.has_secret === 1,
    isDefault: r.is_default === 1,
    createdAt: r.created_at,
  };
}

/**
 * Connected providers: plain settings in SQLite, the secret sealed in the vault. Adding writes the
 * row and seals the secret in one SQLite transaction (the vault stores in the same database), so
 * a crash never leaves a provider without its secret or a secret without its provider.
 */
export function createConnectionStore(db: Db, vault: VaultService) {
  const insert = db.prepare(
    `INSERT INTO lightning_providers (id, kind, label, network, settings, endpoint, has_secret, is_default, created_at)
     VALUES (@id, @kind, @label, @network, @settings, @endpoint, @hasSecret, @isDefault, @createdAt)`,
  );
  return {
    list(network: Network): ConnectionRow[] {
      return (
        db
          .prepare('SELECT * FROM lightning_providers WHERE network = ? ORDER BY created_at, id')
          .all(network) as RawRow[]
      ).map(fromRaw);
    },
    get(id: string): ConnectionRow | null {
      const row = db.prepare('SELECT * FROM lightning_providers WHERE id = ?').get(id) as RawRow | undefined;
      return row ? fromRaw(row) : null;
    },
    add(row: Omit<ConnectionRow, 'hasSecret'>, secret: Uint8Array | null): void {
      db.transaction(() => {
        if (row.isDefault)
          db.prepare('UPDATE lightning_providers SET is_default = 0 WHERE network = ?').run(row.network);
        insert.run({
          ...row,
          settings: JSON.stringify(row.settings),
          hasSecret: secret ? 1 : 0,
          isDefault: row.isDefault ? 1 : 0,
        });
        if (secret) vault.putSecret(providerSecretName(row.id), secret);
      })();
    },
    remove(id: string): void {
      db.transaction(() => {
        const row = db.prepare('SELECT network, is_default FROM lightning_providers WHERE id = ?').get(id) as
          { network: string; is_default: number } | undefined;
        if (!row) return;
        db.prepare('DELETE FROM lightning_providers WHERE id = ?').run(id);
        if (vault.hasSecret(providerSecretName(id))) vault.deleteSecret(providerSecretName(id));
        // The oldest remaining provider becomes the default, so paying keeps working.
        if (row.is_default === 1) {
          db.prepare(
            `UPDATE lightning_providers SET is_default = 1 WHERE id = (
               SELECT id FROM lightning_providers WHERE network = ? ORDER BY created_at, id LIMIT 1)`,
          ).run(row.network);
        }
      })();
    },
    setDefault(id: string): void {
      db.transaction(() => {
        const row = db.prepare('SELECT network FROM lightning_providers WHERE id = ?').get(id) as
          { network: string } | undefined;
        if (!row) throw new FlashError('LIGHTNING_PROVIDER_NOT_FOUND', 'No such Lightning connection.');
        db.prepare('UPDATE lightning_providers SET is_default = 0 WHERE network = ?').run(row.network);
        db.prepare('UPDATE lightning_providers SET is_default = 1 WHERE id = ?').run(id);
      })();
    },
    /** What a kind's create() gets: settings, and the secret read from the vault on demand. */
    stored(row: ConnectionRow): StoredConnection {
      return {
        id: row.id,
        kind: row.kind,
        label: row.label,
        settings: row.settings,
        endpoint: row.endpoint,
        hasSecret: row.hasSecret,
        secret: () => vault.getSecret(providerSecretName(row.id)),
      };
    },
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
