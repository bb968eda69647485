import { bytesToHex } from '@noble/hashes/utils.js';
import type { Network } from '../../../shared/contract';
import type { AccountType } from '../accounts/types';
import type { Db } from '../../store/database';
import type { ProofState } from '../chain/repository';
import type { Direction } from './balance';
import { direction, netAmount } from './balance';
import type { ChainPosition } from './confirmation';
import { isConfirmed, isInBlock, proofJoinSql } from './confirmation';
import type { Chain } from './constants';
import type { DerivedAddress } from './derivation';
import type { HistoryItem } from './protocol';
import type { ParsedTx } from './transaction';
import { parseTx } from './transaction';

/** Who can sign for an account: the vault's words, nobody here (watch-only), or a device. */
export type SignerKind = 'seed' | 'watch' | 'ledger' | 'trezor' | 'multisig';

/** A single-key account type, or 'multisig' (main/bitcoin/multisig: `xpub` then holds the descriptor). */
export type WalletAccountType = AccountType | 'multisig';

export interface WalletRow {
  id: string;
  name: string;
  network: Network;
  accountType: WalletAccountType;
  /** `m/84'/1'/0'`; null for an xpub imported without its key origin. */
  accountPath: string | null;
  xpub: string;
  /** Master key fingerprint, 8 hex digits; null for an xpub imported without its key origin. */
  fingerprint: string | null;
  signer: SignerKind;
  /** The account whose vault secret holds the recovery words; null unless `signer` is 'seed'. */
  seedWalletId: string | null;
  gapLimit: { receive: number; change: number };
  createdAt: number;
  lastSyncedAt: number | null;
  announceDeposits: boolean;
}

export interface AddressRow {
  chain: Chain;
  index: number;
  address: string;
  scriptHash: string;
  status: string | null;
  used: boolean;
}

export interface ChainUsage {
  /** Addresses derived so far (indexes 0..count-1). */
  count: number;
  /** Highest index with history, -1 when none. */
  lastUsed: number;
}

export interface HistoryUpdate {
  scriptHash: string;
  /** The status the server announced for this history. */
  status: string | null;
  history: HistoryItem[];
}

export interface ApplyResult {
  /** Anything a user could see changed (txs, heights, amounts). */
  changed: boolean;
  addedTxids: string[];
  removedTxids: string[];
}

export interface ActivityRow {
  txid: string;
  amountSats: number;
  height: number;
  firstSeenAt: number;
  direction: Direction;
  /** The SPV check of this tx at its current height; null when not checked yet. */
  proofState: 'verified' | 'unverified' | 'failed' | null;
}

export interface OpenDepositRow extends ChainPosition {
  txid: string;
  netSats: number;
  depositState: 0 | 1;
}

/** Unspent sats by standing (see confirmation.ts): only 'confirmed' is verified against our headers. */
export interface BalanceRow {
  confirmed: number;
  /** In a block says the server; its merkle proof not checked yet. */
  confirming: number;
  unconfirmed: number;
}

export type DepositState = 0 | 1 | 2;

interface WalletDbRow {
  id: string;
  name: string;
  network: Network;
  account_type: WalletAccountType;
  account_path: string | null;
  xpub: string;
  fingerprint: string | null;
  signer: SignerKind;
  seed_wallet_id: string | null;
  gap_receive: number;
  gap_change: number;
  created_at: number;
  last_synced_at: number | null;
  announce_deposits: number;
}

function toWallet(r: WalletDbRow): WalletRow {
  return {
    id: r.id,
    name: r.name,
    network: r.network,
    accountType: r.account_type,
    accountPath: r.account_path,
    xpub: r.xpub,
    fingerprint: r.fingerprint,
    signer: r.signer,
    seedWalletId: r.seed_wallet_id,
    gapLimit: { receive: r.gap_receive, change: r.gap_change },
    createdAt: r.created_at,
    lastSyncedAt: r.last_synced_at,
    announceDeposits: r.announce_deposits === 1,
  };
}

export interface WalletRepository {
  insertWallet(wallet: WalletRow, addresses: readonly DerivedAddress[]): void;
  listWallets(): WalletRow[];
  getWallet(id: string): WalletRow | null;
  walletIdByXpub(network: Network, xpub: string): string | null;
  firstWalletId(network: Network): string | null;
  /** The account picked on this network, if it still exists. */
  activeWalletId(network: Network): string | null;
  setActiveWallet(network: Network, walletId: string): void;
  setGapLimit(walletId: string, gap: { receive: number; change: number }): void;
  rename(walletId: string, name: string): void;
  /** Removes the account and, through foreign keys, everything stored for it. */
  deleteWallet(walletId: string): void;
  /** Records a completed sync; from then on new payments are news, not imported history. */
  markSynced(walletId: string, at: number): void;
  addresses(walletId: string): AddressRow[];
  insertAddresses(walletId: string, addresses: readonly DerivedAddress[]): void;
  chainUsage(walletId: string, chain: Chain): ChainUsage;
  firstUnused(walletId: string, chain: Chain): { index: number; address: string } | null;
  /** `undefined` when the script hash is not one of this wallet's. */
  cachedStatus(walletId: string, scriptHash: string): string | null | undefined;
  hasRawTx(txid: string): boolean;
  rawTx(txid: string): Uint8Array | null;
  /** Script hashes whose history holds a mined tx not verified yet (its status is not cached). */
  addressesOwingProofs(walletId: string): string[];
  /**
   * Stores what the server reported for some addresses: new raw txs, each address's history and
   * status, the owned outputs and inputs of txs newly linked to an address, and the effect of
   * every tx whose amounts could have changed. One transaction.
   */
  applyHistories(
    walletId: string,
    updates: readonly HistoryUpdate[],
    rawTxs: ReadonlyMap<string, Uint8Array>,
    now: number,
  ): ApplyResult;
  balance(walletId: string): BalanceRow;
  activity(walletId: string, limit: number, offset: number): ActivityRow[];
  txCount(walletId: string): number;
  openDeposits(walletId: string): OpenDepositRow[];
  setDepositStates(walletId: string, states: readonly { txid: string; state: DepositState }[]): void;
  tipHeight(network: Network): number | null;
  setTipHeight(network: Network, height: number, at: number): void;
}

/**
 * All SQL of the on-chain wallet. Every write that spans rows runs in one transaction, so a crash
 * leaves either the old or the new state of an address (its status and history together).
 */
export function createWalletRepository(db: Db): WalletRepository {
  const q = {
    insertWallet: db.prepare(
      `INSERT INTO wallets (id, name, network, account_type, account_path, xpub, fingerprint, signer, seed_wallet_id,
                            gap_receive, gap_change, created_at, announce_deposits)
       VALUES (@id, @name, @network, @accountType, @accountPath, @xpub, @fingerprint, @signer, @seedWalletId,
               @gapReceive, @gapChange, @createdAt, @announceDeposits)`,
    ),
    setGapLimit: db.prepare<[number, number, string]>(
      `UPDATE wallets SET gap_receive = ?, gap_change = ? WHERE id = ?`,
    ),
    rename: db.prepare<[string, string]>(`UPDATE wallets SET name = ? WHERE id = ?`),
    deleteWallet: db.prepare<[string]>(`DELETE FROM wallets WHERE id = ?`),
    activeWallet: db.prepare<[string], { wallet_id: string }>(
      `SELECT wallet_id FROM wallet_active WHERE network = ?`,
    ),
    setActive: db.prepare<[string, string]>(
      `INSERT INTO wallet_active (network, wallet_id) VALUES (?, ?)
       ON CONFLICT (network) DO UPDATE SET wallet_id = excluded.wallet_id`,
    ),
    listWallets: db.prepare<[], WalletDbRow>(`SELECT * FROM wallets ORDER BY created_at, rowid`),
    getWallet: db.prepare<[string], WalletDbRow>(`SELECT * FROM wallets WHERE id = ?`),
    walletByXpub: db.prepare<[string, string], { id: string }>(
      `SELECT id FROM wallets WHERE network = ? AND xpub = ?`,
    ),
    firstWallet: db.prepare<[string], { id: string }>(
      `SELECT id FROM wallets WHERE network = ? ORDER BY created_at, rowid LIMIT 1`,
    ),
    markSynced: db.prepare<[number, string]>(
      `UPDATE wallets SET last_synced_at = ?, announce_deposits = 1 WHERE id = ?`,
    ),

    insertAddress: db.prepare(
      `INSERT INTO wallet_addresses (wallet_id, chain, idx, address, script_pubkey, script_hash)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    addresses: db.prepare<
      [string],
      {
        chain: number;
        idx: number;
        address: string;
        script_hash: string;
        status: string | null;
        used: number;
      }
    >(
      `SELECT chain, idx, address, script_hash, status, used FROM wallet_addresses WHERE wallet_id = ? ORDER BY chain, idx`,
    ),
    ownedScripts: db.prepare<[string], { script_pubkey: Uint8Array; chain: number; idx: number }>(
      `SELECT script_pubkey, chain, idx FROM wallet_addresses WHERE wallet_id = ?`,
    ),
    chainUsage: db.prepare<[string, number], { count: number; last_used: number | null }>(
      `SELECT COUNT(*) AS count, MAX(CASE WHEN used = 1 THEN idx END) AS last_used
       FROM wallet_addresses WHERE wallet_id = ? AND chain = ?`,
    ),
    firstUnused: db.prepare<[string, number], { idx: number; address: string }>(
      `SELECT idx, address FROM wallet_addresses WHERE wallet_id = ? AND chain = ? AND used = 0 ORDER BY idx LIMIT 1`,
    ),
    status: db.prepare<[string, string], { status: string | null }>(
      `SELECT status FROM wallet_addresses WHERE wallet_id = ? AND script_hash = ?`,
    ),
    proofState: db.prepare<[string, string, number], { state: ProofState }>(
      `SELECT p.state FROM chain_tx_proofs p
       WHERE p.network = (SELECT network FROM wallets WHERE id = ?) AND p.txid = ? AND p.height = ?`,
    ),
    setStatus: db.prepare<[string | null, number, string, string]>(
      `UPDATE wallet_addresses SET status = ?, used = MAX(used, ?) WHERE wallet_id = ? AND script_hash = ?`,
    ),

    hasRaw: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM bitcoin_txs WHERE txid = ?`),
    getRaw: db.prepare<[string], { raw: Uint8Array }>(`SELECT raw FROM bitcoin_txs WHERE txid = ?`),
    putRaw: db.prepare<[string, Uint8Array]>(`INSERT OR IGNORE INTO bitcoin_txs (txid, raw) VALUES (?, ?)`),

    links: db.prepare<[string, string], { txid: string; height: number }>(
      `SELECT txid, height FROM wallet_address_history WHERE wallet_id = ? AND script_hash = ?`,
    ),
    insertLink: db.prepare<[string, string, string, number]>(
      `INSERT INTO wallet_address_history (wallet_id, script_hash, txid, height) VALUES (?, ?, ?, ?)`,
    ),
    updateLink: db.prepare<[number, string, string, string]>(
      `UPDATE wallet_address_history SET height = ? WHERE wallet_id = ? AND script_hash = ? AND txid = ?`,
    ),
    deleteLink: db.prepare<[string, string, string]>(
      `DELETE FROM wallet_address_history WHERE wallet_id = ? AND script_hash = ? AND txid = ?`,
    ),
    linkCount: db.prepare<[string, string], { n: number }>(
      `SELECT COUNT(*) AS n FROM wallet_address_history WHERE wallet_id = ? AND txid = ?`,
    ),

    txExists: db.prepare<[string, string], { one: number }>(
      `SELECT 1 AS one FROM wallet_txs WHERE wallet_id = ? AND txid = ?`,
    ),
    insertTx: db.prepare<[string, string, number, number, number]>(
      `INSERT INTO wallet_txs (wallet_id, txid, height, output_count, first_seen_at) VALUES (?, ?, ?, ?, ?)`,
    ),
    setTxHeight: db.prepare<[number, string, string, number]>(
      `UPDATE wallet_txs SET height = ? WHERE wallet_id = ? AND txid = ? AND height != ?`,
    ),
    deleteTx: db.prepare<[string, string]>(`DELETE FROM wallet_txs WHERE wallet_id = ? AND txid = ?`),
    insertInput: db.prepare<[string, string, number, string, number]>(
      `INSERT OR IGNORE INTO wallet_tx_inputs (wallet_id, txid, vin, prev_txid, prev_vout) VALUES (?, ?, ?, ?, ?)`,
    ),
    insertOutput: db.prepare<[string, string, number, number, number, number]>(
      `INSERT OR IGNORE INTO wallet_tx_outputs (wallet_id, txid, vout, value_sats, chain, idx) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    // No DISTINCT: it makes SQLite prefer the primary key and scan the wallet's every input.
    spenders: db.prepare<[string, string], { txid: string }>(
      `SELECT txid FROM wallet_tx_inputs WHERE wallet_id = ? AND prev_txid = ?`,
    ),
    received: db.prepare<[string, string], { received: number; owned: number }>(
      `SELECT COALESCE(SUM(value_sats), 0) AS received, COUNT(*) AS owned
       FROM wallet_tx_outputs WHERE wallet_id = ? AND txid = ?`,
    ),
    sent: db.prepare<[string, string], { sent: number }>(
      `SELECT COALESCE(SUM(o.value_sats), 0) AS sent
       FROM wallet_tx_inputs i
       JOIN wallet_tx_outputs o ON o.wallet_id = i.wallet_id AND o.txid = i.prev_txid AND o.vout = i.prev_vout
       WHERE i.wallet_id = ? AND i.txid = ?`,
    ),
    outputCount: db.prepare<[string, string], { output_count: number }>(
      `SELECT output_count FROM wallet_txs WHERE wallet_id = ? AND txid = ?`,
    ),
    setEffect: db.prepare<[number, number, number, string, string, string]>(
      `UPDATE wallet_txs SET received_sats = ?, sent_sats = ?, net_sats = ?, direction = ? WHERE wallet_id = ? AND txid = ?`,
    ),

    // Kept by triggers as history and proofs are written (migration 012): one row, however long
    // the history. Unspent = an owned output no wallet transaction spends, by standing.
    aggregates: db.prepare<
      [string],
      { confirmed: number; confirming: number; unconfirmed: number; txCount: number }
    >(
      `SELECT confirmed_sats AS confirmed, confirming_sats AS confirming, unconfirmed_sats AS unconfirmed,
              tx_count AS txCount
       FROM wallet_aggregates WHERE wallet_id = ?`,
    ),
    owingProofs: db.prepare<[string], { script_hash: string }>(
      `SELECT DISTINCT h.script_hash FROM wallet_txs t INDEXED BY wallet_txs_confirming
       JOIN wallet_address_history h ON h.wallet_id = t.wallet_id AND h.txid = t.txid
       WHERE t.wallet_id = ? AND t.standing = 1`,
    ),
    activity: db.prepare<[string, number, number], ActivityRow>(
      // The proof state comes from the SPV layer's table; it counts only for the height it was checked at.
      `SELECT t.txid, t.net_sats AS amountSats, t.height, t.first_seen_at AS firstSeenAt, t.direction,
              p.state AS proofState
       FROM wallet_txs t
       JOIN wallets w ON w.id = t.wallet_id
       ${proofJoinSql('t', 'w.network')}
       WHERE t.wallet_id = ?
       ORDER BY t.sort_height DESC, t.first_seen_at DESC, t.txid DESC
       LIMIT ? OFFSET ?`,
    ),
    openDeposits: db.prepare<
      [string],
      { txid: string; net_sats: number; height: number; deposit_state: 0 | 1; proof_state: ProofState | null }
    >(
      // Forced onto the partial index: without statistics SQLite would walk every tx of the wallet.
      `SELECT t.txid, t.net_sats, t.height, t.deposit_state, p.state AS proof_state
       FROM wallet_txs t INDEXED BY wallet_txs_open_deposits
       JOIN wallets w ON w.id = t.wallet_id
       ${proofJoinSql('t', 'w.network')}
       WHERE t.wallet_id = ? AND t.deposit_state < 2`,
    ),
    setDepositState: db.prepare<[number, string, string]>(
      `UPDATE wallet_txs SET deposit_state = ? WHERE wallet_id = ? AND txid = ?`,
    ),

    tip: db.prepare<[string], { height: number }>(`SELECT height FROM wallet_chain_tips WHERE network = ?`),
    setTip: db.prepare<[string, number, number]>(
      `INSERT INTO wallet_chain_tips (network, height, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (network) DO UPDATE SET height = excluded.height, updated_at = excluded.updated_at`,
    ),
  };

  const insertAddresses = (walletId: string, addresses: readonly DerivedAddress[]): void => {
    for (const a of addresses) {
      q.insertAddress.run(walletId, a.chain, a.index, a.address, a.scriptPubKey, a.scriptHash);
    }
  };

  /** Received/sent for one tx from the output and input tables, stored back on its row. */
  const recomputeEffect = (walletId: string, txid: string): void => {
    const row = q.outputCount.get(walletId, txid);
    if (!row) return;
    const r = q.received.get(walletId, txid) ?? { received: 0, owned: 0 };
    const s = q.sent.get(walletId, txid) ?? { sent: 0 };
    const effect = {
      received: r.received,
      sent: s.sent,
      ownedOutputs: r.owned,
      outputCount: row.output_count,
    };
    q.setEffect.run(effect.received, effect.sent, netAmount(effect), direction(effect), walletId, txid);
  };

  return {
    insertWallet(wallet: WalletRow, addresses: readonly DerivedAddress[]): void {
      db.transaction(() => {
        q.insertWallet.run({
          id: wallet.id,
          name: wallet.name,
          network: wallet.network,
          accountType: wallet.accountType,
          accountPath: wallet.accountPath,
          xpub: wallet.xpub,
          fingerprint: wallet.fingerprint,
          signer: wallet.signer,
          seedWalletId: wallet.seedWalletId,
          gapReceive: wallet.gapLimit.receive,
          gapChange: wallet.gapLimit.change,
          createdAt: wallet.createdAt,
          announceDeposits: wallet.announceDeposits ? 1 : 0,
        });
        insertAddresses(wallet.id, addresses);
      })();
    },
    activeWalletId(network) {
      return q.activeWallet.get(network)?.wallet_id ?? null;
    },
    setActiveWallet(network, walletId) {
      q.setActive.run(network, walletId);
    },
    setGapLimit(walletId, gap) {
      q.setGapLimit.run(gap.receive, gap.change, walletId);
    },
    rename(walletId, name) {
      q.rename.run(name, walletId);
    },
    deleteWallet(walletId) {
      q.deleteWallet.run(walletId);
    },
    listWallets(): WalletRow[] {
      return q.listWallets.all().map(toWallet);
    },
    getWallet(id: string): WalletRow | null {
      const r = q.getWallet.get(id);
      return r ? toWallet(r) : null;
    },
    walletIdByXpub(network: Network, xpub: string): string | null {
      return q.walletByXpub.get(network, xpub)?.id ?? null;
    },
    firstWalletId(network: Network): string | null {
      return q.firstWallet.get(network)?.id ?? null;
    },
    markSynced(walletId: string, at: number): void {
      q.markSynced.run(at, walletId);
    },

    addresses(walletId: string): AddressRow[] {
      return q.addresses.all(walletId).map((r) => ({
        chain: r.chain as Chain,
        index: r.idx,
        address: r.address,
        scriptHash: r.script_hash,
        status: r.status,
        used: r.used === 1,
      }));
    },
    insertAddresses(walletId: string, addresses: readonly DerivedAddress[]): void {
      db.transaction(() => insertAddresses(walletId, addresses))();
    },
    chainUsage(walletId: string, chain: Chain): ChainUsage {
      const r = q.chainUsage.get(walletId, chain);
      return { count: r?.count ?? 0, lastUsed: r?.last_used ?? -1 };
    },
    firstUnused(walletId: string, chain: Chain): { index: number; address: string } | null {
      const r = q.firstUnused.get(walletId, chain);
      return r ? { index: r.idx, address: r.address } : null;
    },
    cachedStatus(walletId: string, scriptHash: string): string | null | undefined {
      const r = q.status.get(walletId, scriptHash);
      return r === undefined ? undefined : r.status;
    },
    hasRawTx(txid: string): boolean {
      return q.hasRaw.get(txid) !== undefined;
    },
    rawTx(txid: string): Uint8Array | null {
      return q.getRaw.get(txid)?.raw ?? null;
    },
    addressesOwingProofs(walletId: string): string[] {
      return q.owingProofs.all(walletId).map((r) => r.script_hash);
    },

    applyHistories(
      walletId: string,
      updates: readonly HistoryUpdate[],
      rawTxs: ReadonlyMap<string, Uint8Array>,
      now: number,
    ): ApplyResult {
      return db.transaction((): ApplyResult => {
        for (const [txid, raw] of rawTxs) q.putRaw.run(txid, raw);

        let owned: Map<string, { chain: number; idx: number }> | null = null;
        const ownedScripts = () => {
          owned ??= new Map(
            q.ownedScripts
              .all(walletId)
              .map((r) => [bytesToHex(r.script_pubkey), { chain: r.chain, idx: r.idx }]),
          );
          return owned;
        };
        const parsed = new Map<string, ParsedTx>();
        const parsedTx = (txid: string): ParsedTx => {
          let p = parsed.get(txid);
          if (!p) {
            const raw = rawTxs.get(txid) ?? q.getRaw.get(txid)?.raw;
            if (!raw) throw new Error(`raw transaction ${txid} missing`);
            p = parseTx(raw, txid);
            parsed.set(txid, p);
          }
          return p;
        };

        const proofOf = (txid: string, height: number): ProofState | null =>
          q.proofState.get(walletId, txid, height)?.state ?? null;
        const affected = new Set<string>();
        const added: string[] = [];
        const maybeRemoved = new Set<string>();
        let changed = false;

        for (const u of updates) {
          const old = new Map(q.links.all(walletId, u.scriptHash).map((l) => [l.txid, l.height]));
          const seen = new Set<string>();
          for (const { txid, height } of u.history) {
            if (seen.has(txid)) continue;
            seen.add(txid);
            const oldHeight = old.get(txid);
            if (oldHeight === undefined) {
              const tx = parsedTx(txid);
              if (!q.txExists.get(walletId, txid)) {
                q.insertTx.run(walletId, txid, height, tx.outputs.length, now);
                tx.inputs.forEach((inp, vin) =>
                  q.insertInput.run(walletId, txid, vin, inp.prevTxid, inp.prevVout),
                );
                added.push(txid);
              }
              // A tx newly linked to this address may pay addresses derived since we first saw it.
              const scripts = ownedScripts();
              tx.outputs.forEach((out, vout) => {
                const mine = scripts.get(bytesToHex(out.script));
                if (mine) q.insertOutput.run(walletId, txid, vout, out.value, mine.chain, mine.idx);
              });
              q.insertLink.run(walletId, u.scriptHash, txid, height);
              affected.add(txid);
              changed = true;
            } else if (oldHeight !== height) {
              q.updateLink.run(height, walletId, u.scriptHash, txid);
            }
            if (q.setTxHeight.run(height, walletId, txid, height).changes > 0) changed = true;
          }
          for (const txid of old.keys()) {
            if (seen.has(txid)) continue;
            q.deleteLink.run(walletId, u.scriptHash, txid);
            maybeRemoved.add(txid);
          }
          // The status is cached only once every mined tx of this history is confirmed (verified
          // against our headers): otherwise the next subscription (a reconnect) differs from the
          // cache and fetches the history again, and the sync checks the proofs it still owes.
          const owesProof = u.history.some(
            (h) => isInBlock(h) && !isConfirmed({ height: h.height, proofState: proofOf(h.txid, h.height) }),
          );
          q.setStatus.run(owesProof ? null : u.status, u.history.length > 0 ? 1 : 0, walletId, u.scriptHash);
        }

        const removed: string[] = [];
        for (const txid of maybeRemoved) {
          if ((q.linkCount.get(walletId, txid)?.n ?? 0) > 0) continue;
          // Its children lose the outputs they spent from it: their amounts change too.
          for (const s of q.spenders.all(walletId, txid)) affected.add(s.txid);
          q.deleteTx.run(walletId, txid);
          affected.delete(txid);
          removed.push(txid);
          changed = true;
        }

        const toRecompute = new Set(affected);
        for (const txid of affected) for (const s of q.spenders.all(walletId, txid)) toRecompute.add(s.txid);
        for (const txid of toRecompute) recomputeEffect(walletId, txid);

        return { changed, addedTxids: added, removedTxids: removed };
      })();
    },

    balance(walletId: string): BalanceRow {
      const row = q.aggregates.get(walletId);
      return {
        confirmed: row?.confirmed ?? 0,
        confirming: row?.confirming ?? 0,
        unconfirmed: row?.unconfirmed ?? 0,
      };
    },
    activity(walletId: string, limit: number, offset: number): ActivityRow[] {
      return q.activity.all(walletId, limit, offset);
    },
    txCount(walletId: string): number {
      return q.aggregates.get(walletId)?.txCount ?? 0;
    },
    openDeposits(walletId: string): OpenDepositRow[] {
      const rows = q.openDeposits.all(walletId).map((r) => ({
        txid: r.txid,
        netSats: r.net_sats,
        height: r.height,
        proofState: r.proof_state,
        depositState: r.deposit_state,
      }));
      // Chain order, so several payments found at once are announced oldest first.
      const key = (r: ChainPosition) => (isInBlock(r) ? r.height : Number.MAX_SAFE_INTEGER);
      return rows.sort((a, b) => key(a) - key(b) || a.txid.localeCompare(b.txid));
    },
    setDepositStates(walletId: string, states: readonly { txid: string; state: DepositState }[]): void {
      db.transaction(() => {
        for (const s of states) q.setDepositState.run(s.state, walletId, s.txid);
      })();
    },

    tipHeight(network: Network): number | null {
      return q.tip.get(network)?.height ?? null;
    },
    setTipHeight(network: Network, height: number, at: number): void {
      q.setTip.run(network, height, at);
    },
  };
}
