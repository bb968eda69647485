import type { Db } from '../store/database';

/** SQLite access for the counter's local records (see migration 014 for what and why). */

export interface ConnectionRow {
  serverUrl: string;
  keyLabel: string;
  permissions: string[];
  storeId: string | null;
  storeName: string | null;
  appId: string | null;
  appName: string | null;
}

export type JournalKind = 'invoice' | 'refund' | 'card' | 'cardTap' | 'reward';
export interface JournalRow {
  id: number;
  kind: JournalKind;
  ref: string;
  payload: string;
  state: 'sent' | 'done' | 'failed';
  resultId: string | null;
}

/** The local index of rewards issued here (migration 015); BTCPay holds what became of them. */
export interface RewardRow {
  pullPaymentId: string;
  invoiceId: string;
  sats: number;
  lnurl: string | null;
  createdAt: number;
  expiresAt: number | null;
}

export function createMerchantRepository(db: Db, now: () => number = Date.now) {
  const getConn = db.prepare(
    `SELECT server_url, key_label, permissions, store_id, store_name, app_id, app_name FROM merchant_connection WHERE id = 1`,
  );
  const putConn = db.prepare(
    `INSERT INTO merchant_connection (id, server_url, key_label, permissions, store_id, store_name, app_id, app_name, connected_at)
     VALUES (1, @serverUrl, @keyLabel, @permissions, @storeId, @storeName, @appId, @appName, @at)
     ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, key_label = excluded.key_label,
       permissions = excluded.permissions, store_id = excluded.store_id, store_name = excluded.store_name,
       app_id = excluded.app_id, app_name = excluded.app_name`,
  );
  const delConn = db.prepare(`DELETE FROM merchant_connection`);
  const getSetting = db.prepare(`SELECT value FROM merchant_settings WHERE key = ?`);
  const settingsFrom = db.prepare(
    `SELECT key, value FROM merchant_settings WHERE key >= ? AND key < ? ORDER BY key`,
  );
  const putSetting = db.prepare(
    `INSERT INTO merchant_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const addJournal = db.prepare(
    `INSERT INTO merchant_journal (kind, ref, payload, state, created_at, updated_at) VALUES (?, ?, ?, 'sent', ?, ?)`,
  );
  const finishJournal = db.prepare(
    `UPDATE merchant_journal SET state = ?, result_id = ?, error = ?, updated_at = ? WHERE id = ?`,
  );
  const updateJournal = db.prepare(`UPDATE merchant_journal SET payload = ?, updated_at = ? WHERE id = ?`);
  const openJournal = db.prepare(
    `SELECT id, kind, ref, payload, state, result_id FROM merchant_journal WHERE state = 'sent' ORDER BY id`,
  );
  const journalOfRef = db.prepare(
    `SELECT id, kind, ref, payload, state, result_id FROM merchant_journal WHERE kind = ? AND ref = ? ORDER BY id`,
  );
  const putReward = db.prepare(
    `INSERT INTO merchant_rewards (pull_payment_id, invoice_id, amount_sats, lnurl, created_at, expires_at)
     VALUES (@pullPaymentId, @invoiceId, @sats, @lnurl, @createdAt, @expiresAt)
     ON CONFLICT (pull_payment_id) DO UPDATE SET lnurl = COALESCE(excluded.lnurl, merchant_rewards.lnurl)`,
  );
  const getReward = db.prepare(
    `SELECT pull_payment_id, invoice_id, amount_sats, lnurl, created_at, expires_at FROM merchant_rewards WHERE invoice_id = ?`,
  );

  return {
    connection(): ConnectionRow | null {
      const r = getConn.get() as
        | {
            server_url: string;
            key_label: string;
            permissions: string;
            store_id: string | null;
            store_name: string | null;
            app_id: string | null;
            app_name: string | null;
          }
        | undefined;
      if (!r) return null;
      return {
        serverUrl: r.server_url,
        keyLabel: r.key_label,
        permissions: JSON.parse(r.permissions) as string[],
        storeId: r.store_id,
        storeName: r.store_name,
        appId: r.app_id,
        appName: r.app_name,
      };
    },
    saveConnection(c: ConnectionRow): void {
      putConn.run({ ...c, permissions: JSON.stringify(c.permissions), at: now() });
    },
    clearConnection(): void {
      delConn.run();
    },
    setting(key: string): string | null {
      const r = getSetting.get(key) as { value: string } | undefined;
      return r?.value ?? null;
    },
    /** Every setting whose key starts with `prefix` (records kept one per key, e.g. eCash sales). */
    settingsWithPrefix(prefix: string): { key: string; value: string }[] {
      return settingsFrom.all(prefix, `${prefix}\uffff`) as { key: string; value: string }[];
    },
    setSetting(key: string, value: string): void {
      putSetting.run(key, value);
    },
    /** Written before the network call; returns the journal id. */
    journalStart(kind: JournalKind, ref: string, payload: unknown): number {
      const at = now();
      return Number(addJournal.run(kind, ref, JSON.stringify(payload), at, at).lastInsertRowid);
    },
    /** A step of a multi-step operation learned something (e.g. the id BTCPay gave): keep it. */
    journalUpdate(id: number, payload: unknown): void {
      updateJournal.run(JSON.stringify(payload), now(), id);
    },
    journalDone(id: number, resultId: string): void {
      finishJournal.run('done', resultId, null, now(), id);
    },
    journalFailed(id: number, error: string): void {
      finishJournal.run('failed', null, error.slice(0, 500), now(), id);
    },
    /** Keeps the index of a reward (once per sale: the invoice id is unique). */
    saveReward(r: RewardRow): void {
      putReward.run(r);
    },
    reward(invoiceId: string): RewardRow | null {
      const r = getReward.get(invoiceId) as
        | {
            pull_payment_id: string;
            invoice_id: string;
            amount_sats: number;
            lnurl: string | null;
            created_at: number;
            expires_at: number | null;
          }
        | undefined;
      return r
        ? {
            pullPaymentId: r.pull_payment_id,
            invoiceId: r.invoice_id,
            sats: r.amount_sats,
            lnurl: r.lnurl,
            createdAt: r.created_at,
            expiresAt: r.expires_at,
          }
        : null;
    },
    /** Every journal row of one kind and ref, whatever its state (what became of earlier tries). */
    journalFor(kind: JournalKind, ref: string): JournalRow[] {
      return (
        journalOfRef.all(kind, ref) as (Omit<JournalRow, 'resultId'> & { result_id: string | null })[]
      ).map((r) => ({
        id: r.id,
        kind: r.kind,
        ref: r.ref,
        payload: r.payload,
        state: r.state,
        resultId: r.result_id,
      }));
    },
    openJournal(): JournalRow[] {
      return (
        openJournal.all() as {
          id: number;
          kind: JournalKind;
          ref: string;
          payload: string;
          state: 'sent';
          result_id: string | null;
        }[]
      ).map((r) => ({
        id: r.id,
        kind: r.kind,
        ref: r.ref,
        payload: r.payload,
        state: r.state,
        resultId: r.result_id,
      }));
    },
  };
}

export type MerchantRepository = ReturnType<typeof createMerchantRepository>;
