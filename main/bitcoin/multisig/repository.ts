import type { Db } from '../../store/database';
import type { Cosigner, CosignerKind, MultisigScript } from './types';

export interface MultisigRow {
  walletId: string;
  script: MultisigScript;
  threshold: number;
  cosigners: Cosigner[];
}

export interface LedgerRegistration {
  fingerprint: string;
  policyId: string;
  hmac: string;
  registeredAt: number;
}

/** The multisig tables (migration 017): policy, cosigners, and Ledger registrations per device. */
export function createMultisigRepository(db: Db) {
  const q = {
    wallet: db.prepare<[string], { script: MultisigScript; threshold: number }>(
      `SELECT script, threshold FROM multisig_wallets WHERE wallet_id = ?`,
    ),
    cosigners: db.prepare<
      [string],
      {
        fingerprint: string;
        path: string;
        xpub: string;
        label: string;
        kind: CosignerKind;
        seed_wallet_id: string | null;
      }
    >(
      `SELECT fingerprint, path, xpub, label, kind, seed_wallet_id FROM multisig_cosigners WHERE wallet_id = ? ORDER BY position`,
    ),
    insertWallet: db.prepare<[string, string, number]>(
      `INSERT INTO multisig_wallets (wallet_id, script, threshold) VALUES (?, ?, ?)`,
    ),
    insertCosigner: db.prepare<[string, number, string, string, string, string, string, string | null]>(
      `INSERT INTO multisig_cosigners (wallet_id, position, fingerprint, path, xpub, label, kind, seed_wallet_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    registrations: db.prepare<
      [string],
      { fingerprint: string; policy_id: string; hmac: string; registered_at: number }
    >(
      `SELECT fingerprint, policy_id, hmac, registered_at FROM multisig_ledger_registrations WHERE wallet_id = ?`,
    ),
    putRegistration: db.prepare<[string, string, string, string, number]>(
      `INSERT INTO multisig_ledger_registrations (wallet_id, fingerprint, policy_id, hmac, registered_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (wallet_id, fingerprint) DO UPDATE SET policy_id = excluded.policy_id, hmac = excluded.hmac,
         registered_at = excluded.registered_at`,
    ),
    deleteRegistration: db.prepare<[string, string]>(
      `DELETE FROM multisig_ledger_registrations WHERE wallet_id = ? AND fingerprint = ?`,
    ),
  };
  return {
    get(walletId: string): MultisigRow | null {
      const w = q.wallet.get(walletId);
      if (!w) return null;
      return {
        walletId,
        script: w.script,
        threshold: w.threshold,
        cosigners: q.cosigners.all(walletId).map((c) => ({
          fingerprint: c.fingerprint,
          path: c.path,
          xpub: c.xpub,
          label: c.label,
          kind: c.kind,
          seedWalletId: c.seed_wallet_id,
        })),
      };
    },
    /** Written inside the wallet row's transaction (wallet service insertAccount). */
    insert(row: MultisigRow): void {
      q.insertWallet.run(row.walletId, row.script, row.threshold);
      row.cosigners.forEach((c, i) =>
        q.insertCosigner.run(row.walletId, i, c.fingerprint, c.path, c.xpub, c.label, c.kind, c.seedWalletId),
      );
    },
    registrations(walletId: string): LedgerRegistration[] {
      return q.registrations.all(walletId).map((r) => ({
        fingerprint: r.fingerprint,
        policyId: r.policy_id,
        hmac: r.hmac,
        registeredAt: r.registered_at,
      }));
    },
    saveRegistration(walletId: string, r: LedgerRegistration): void {
      q.putRegistration.run(walletId, r.fingerprint, r.policyId, r.hmac, r.registeredAt);
    },
    forgetRegistration(walletId: string, fingerprint: string): void {
      q.deleteRegistration.run(walletId, fingerprint);
    },
  };
}

export type MultisigRepository = ReturnType<typeof createMultisigRepository>;
