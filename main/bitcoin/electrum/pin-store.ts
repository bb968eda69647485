import type { Db } from '../../store/database';

export interface CertificatePin {
  server: string;
  fingerprint: string;
  pinnedAt: number;
}

/** TLS certificate fingerprints trusted per `host:port` (table from migration 003). */
export interface PinStore {
  get(server: string): string | null;
  set(server: string, fingerprint: string, pinnedAt: number): void;
  remove(server: string): void;
  list(): CertificatePin[];
}

interface PinRow {
  server: string;
  fingerprint: string;
  pinned_at: number;
}

export function createPinStore(db: Db): PinStore {
  const getStmt = db.prepare<[string], Pick<PinRow, 'fingerprint'>>(
    'SELECT fingerprint FROM electrum_cert_pins WHERE server = ?',
  );
  const setStmt = db.prepare<[string, string, number]>(
    `INSERT INTO electrum_cert_pins (server, fingerprint, pinned_at) VALUES (?, ?, ?)
     ON CONFLICT(server) DO UPDATE SET fingerprint = excluded.fingerprint, pinned_at = excluded.pinned_at`,
  );
  const removeStmt = db.prepare<[string]>('DELETE FROM electrum_cert_pins WHERE server = ?');
  const listStmt = db.prepare<[], PinRow>(
    'SELECT server, fingerprint, pinned_at FROM electrum_cert_pins ORDER BY server',
  );
  return {
    get: (server) => getStmt.get(server)?.fingerprint ?? null,
    set: (server, fingerprint, pinnedAt) => {
      setStmt.run(server, fingerprint, pinnedAt);
    },
    remove: (server) => {
      removeStmt.run(server);
    },
    list: () =>
      listStmt.all().map((r) => ({ server: r.server, fingerprint: r.fingerprint, pinnedAt: r.pinned_at })),
  };
}
