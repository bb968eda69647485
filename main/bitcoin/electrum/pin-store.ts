import type { Db } from '../../store/database';
import type { CertificateTrust, TlsTrust } from './socket';

export interface CertificatePin {
  server: string;
  fingerprint: string;
  pinnedAt: number;
}

/**
 * How each TLS server per `host:port` is trusted (table from migration 003): a pinned certificate
 * fingerprint, or "CA-valid", stored as an empty fingerprint (as Electrum stores an empty
 * certificate file), so a renewal changes nothing here.
 */
export interface PinStore {
  /** The pinned fingerprint; null when none (also for a CA-valid server). */
  get(server: string): string | null;
  set(server: string, fingerprint: string, pinnedAt: number): void;
  /** What the server is trusted for, to pass to openSocket; null before its first connection. */
  trust(server: string): TlsTrust | null;
  /**
   * Records what a first connection found: CA-valid servers are remembered as such (no pin), a
   * certificate that is not CA-valid is pinned. Anything already known is left as it is.
   */
  rememberFirstUse(
    server: string,
    accepted: CertificateTrust | null,
    fingerprint: string | null,
    at: number,
  ): void;
  remove(server: string): void;
  /** Pinned certificates (CA-valid servers have none). */
  list(): CertificatePin[];
}

/** The stored fingerprint that means "checked against the CAs". */
const CA_VALID = '';

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
  const stored = (server: string): string | null => getStmt.get(server)?.fingerprint ?? null;
  return {
    get: (server) => {
      const fp = stored(server);
      return fp === CA_VALID ? null : fp;
    },
    set: (server, fingerprint, pinnedAt) => {
      setStmt.run(server, fingerprint, pinnedAt);
    },
    trust(server) {
      const fp = stored(server);
      if (fp === null) return null;
      return fp === CA_VALID ? { kind: 'ca' } : { kind: 'pinned', fingerprint: fp };
    },
    rememberFirstUse(server, accepted, fingerprint, at) {
      if (stored(server) !== null) return;
      if (accepted === 'ca') setStmt.run(server, CA_VALID, at);
      else if (accepted === 'first-use' && fingerprint) setStmt.run(server, fingerprint, at);
    },
    remove: (server) => {
      removeStmt.run(server);
    },
    list: () =>
      listStmt
        .all()
        .filter((r) => r.fingerprint !== CA_VALID)
        .map((r) => ({ server: r.server, fingerprint: r.fingerprint, pinnedAt: r.pinned_at })),
  };
}
