import type { Db } from '../../store/database';
import type { Network } from '../../../shared/contract';
import type { ProofState } from '../chain/repository';
import { proofJoinSql } from '../wallet/confirmation';
import { ACCOUNT_TYPE_INFO, type ScriptType } from '../accounts/types';
import type { WalletAccountType } from '../wallet/repository';

/** One unspent output of a wallet, read straight from the wallet tables (read-only). */
export interface WalletUtxo {
  txid: string;
  vout: number;
  value: number;
  chain: 0 | 1;
  index: number;
  /** > 0 in a block at that height, says the server; 0 / -1 in the mempool (Electrum convention). */
  height: number;
  /** Our SPV check of the funding tx at that height: with `height`, whether it is confirmed (wallet/confirmation.ts). */
  proofState: ProofState | null;
  scriptPubKey: Uint8Array;
  address: string;
  /** Direction of the funding tx: unconfirmed 'in' coins come from strangers and may never confirm. */
  direction: 'in' | 'out' | 'self';
}

export interface WalletInfo {
  id: string;
  network: Network;
  xpub: string;
  fingerprint: string | null;
  accountPath: string | null;
  accountType: WalletAccountType;
  /** The single-key script type; null for a multisig wallet (main/bitcoin/multisig says its scripts). */
  scriptType: ScriptType | null;
  signer: 'seed' | 'watch' | 'ledger' | 'trezor' | 'multisig';
  /** The account whose vault secret holds the words; null for watch-only and device accounts. */
  seedWalletId: string | null;
}

export interface WalletTxInfo {
  txid: string;
  height: number;
  direction: 'in' | 'out' | 'self';
  receivedSats: number;
  sentSats: number;
}

/**
 * The send module's read-only view of the wallet tables (owned by main/bitcoin/wallet). UTXOs are
 * owned outputs that no wallet tx spends, minus coins our own journal has reserved for a payment
 * the wallet has not seen yet, and minus coins the user froze.
 */
export function createWalletReader(db: Db) {
  const q = {
    wallet: db.prepare<
      [string],
      {
        id: string;
        network: Network;
        xpub: string;
        fingerprint: string | null;
        account_path: string | null;
        account_type: WalletAccountType;
        signer: WalletInfo['signer'];
        seed_wallet_id: string | null;
      }
    >(
      `SELECT id, network, xpub, fingerprint, account_path, account_type, signer, seed_wallet_id
       FROM wallets WHERE id = ?`,
    ),
    utxos: db.prepare<
      [string],
      {
        txid: string;
        vout: number;
        value_sats: number;
        chain: 0 | 1;
        idx: number;
        height: number;
        proof_state: ProofState | null;
        script_pubkey: Uint8Array;
        address: string;
        direction: 'in' | 'out' | 'self';
        frozen: number;
      }
    >(
      `SELECT o.txid, o.vout, o.value_sats, o.chain, o.idx, t.height, p.state AS proof_state, t.direction,
              a.script_pubkey, a.address, (f.txid IS NOT NULL) AS frozen
       FROM wallet_tx_outputs o
       JOIN wallet_txs t ON t.wallet_id = o.wallet_id AND t.txid = o.txid
       JOIN wallets w ON w.id = o.wallet_id
       ${proofJoinSql('t', 'w.network')}
       JOIN wallet_addresses a ON a.wallet_id = o.wallet_id AND a.chain = o.chain AND a.idx = o.idx
       LEFT JOIN wallet_frozen_outputs f ON f.wallet_id = o.wallet_id AND f.txid = o.txid AND f.vout = o.vout
       WHERE o.wallet_id = ?
         AND NOT EXISTS (SELECT 1 FROM wallet_tx_inputs i
                         WHERE i.wallet_id = o.wallet_id AND i.prev_txid = o.txid AND i.prev_vout = o.vout)
       ORDER BY t.height DESC, o.txid, o.vout`,
    ),
    output: db.prepare<
      [string, string, number],
      { value_sats: number; chain: 0 | 1; idx: number; script_pubkey: Uint8Array }
    >(
      `SELECT o.value_sats, o.chain, o.idx, a.script_pubkey FROM wallet_tx_outputs o
       JOIN wallet_addresses a ON a.wallet_id = o.wallet_id AND a.chain = o.chain AND a.idx = o.idx
       WHERE o.wallet_id = ? AND o.txid = ? AND o.vout = ?`,
    ),
    scriptOwner: db.prepare<[string, Uint8Array], { chain: 0 | 1; idx: number }>(
      `SELECT chain, idx FROM wallet_addresses WHERE wallet_id = ? AND script_pubkey = ?`,
    ),
    tx: db.prepare<
      [string, string],
      {
        txid: string;
        height: number;
        direction: 'in' | 'out' | 'self';
        received_sats: number;
        sent_sats: number;
      }
    >(
      `SELECT txid, height, direction, received_sats, sent_sats FROM wallet_txs WHERE wallet_id = ? AND txid = ?`,
    ),
    addressIndex: db.prepare<[string, string], { chain: 0 | 1; idx: number }>(
      `SELECT chain, idx FROM wallet_addresses WHERE wallet_id = ? AND address = ?`,
    ),
    raw: db.prepare<[string], { raw: Uint8Array }>(`SELECT raw FROM bitcoin_txs WHERE txid = ?`),
    firstUnusedChange: db.prepare<[string], { idx: number; address: string; script_pubkey: Uint8Array }>(
      // Unused and not already promised to a payment still in flight.
      `SELECT idx, address, script_pubkey FROM wallet_addresses a
       WHERE wallet_id = ? AND chain = 1 AND used = 0
         AND NOT EXISTS (SELECT 1 FROM send_payments p WHERE p.wallet_id = a.wallet_id AND p.change_index = a.idx
                         AND p.state IN ('signed', 'broadcasting', 'broadcast'))
       ORDER BY idx LIMIT 1`,
    ),
    frozen: db.prepare<[string, string, number], { one: number }>(
      `SELECT 1 AS one FROM wallet_frozen_outputs WHERE wallet_id = ? AND txid = ? AND vout = ?`,
    ),
    spenders: db.prepare<[string, string, number], { txid: string }>(
      `SELECT i.txid FROM wallet_tx_inputs i JOIN wallet_txs t ON t.wallet_id = i.wallet_id AND t.txid = i.txid
       WHERE i.wallet_id = ? AND i.prev_txid = ? AND i.prev_vout = ?`,
    ),
    children: db.prepare<[string, string], { txid: string }>(
      `SELECT DISTINCT i.txid FROM wallet_tx_inputs i JOIN wallet_txs t ON t.wallet_id = i.wallet_id AND t.txid = i.txid
       WHERE i.wallet_id = ? AND i.prev_txid = ?`,
    ),
    label: db.prepare<[string, string, string], { label: string }>(
      `SELECT label FROM wallet_labels WHERE wallet_id = ? AND type = ? AND ref = ?`,
    ),
    reserved: db.prepare<[string], { prev_txid: string; prev_vout: number }>(
      `SELECT i.prev_txid, i.prev_vout FROM send_payment_inputs i
       JOIN send_payments p ON p.id = i.payment_id
       WHERE p.wallet_id = ? AND p.state IN ('signed', 'broadcasting', 'broadcast')`,
    ),
  };
  return {
    wallet(walletId: string): WalletInfo | null {
      const r = q.wallet.get(walletId);
      return r
        ? {
            id: r.id,
            network: r.network,
            xpub: r.xpub,
            fingerprint: r.fingerprint,
            accountPath: r.account_path,
            accountType: r.account_type,
            scriptType: r.account_type === 'multisig' ? null : ACCOUNT_TYPE_INFO[r.account_type].scriptType,
            signer: r.signer,
            seedWalletId: r.seed_wallet_id,
          }
        : null;
    },
    /**
     * Spendable coins; `includeReserved` also returns coins promised to an in-flight payment.
     * Coins the user froze (main/bitcoin/coins) are never returned, so neither automatic selection,
     * send-max nor CPFP spends them, and choosing one by hand fails as UNKNOWN_COIN.
     */
    utxos(walletId: string, includeReserved = false): WalletUtxo[] {
      const reserved = includeReserved
        ? new Set<string>()
        : new Set(q.reserved.all(walletId).map((r) => `${r.prev_txid}:${r.prev_vout}`));
      return q.utxos
        .all(walletId)
        .filter((r) => r.frozen === 0 && !reserved.has(`${r.txid}:${r.vout}`))
        .map((r) => ({
          txid: r.txid,
          vout: r.vout,
          value: r.value_sats,
          chain: r.chain,
          index: r.idx,
          height: r.height,
          proofState: r.proof_state,
          scriptPubKey: Uint8Array.from(r.script_pubkey),
          address: r.address,
          direction: r.direction,
        }));
    },
    /** Whether the user froze this coin (coin control); frozen coins are never spent. */
    isFrozen(walletId: string, txid: string, vout: number): boolean {
      return q.frozen.get(walletId, txid, vout) !== undefined;
    },
    /** An owned output (spent or not), or null. */
    ownedOutput(walletId: string, txid: string, vout: number) {
      const r = q.output.get(walletId, txid, vout);
      return r
        ? {
            value: r.value_sats,
            chain: r.chain,
            index: r.idx,
            scriptPubKey: Uint8Array.from(r.script_pubkey),
          }
        : null;
    },
    scriptOwner(walletId: string, script: Uint8Array): { chain: 0 | 1; index: number } | null {
      const r = q.scriptOwner.get(walletId, script);
      return r ? { chain: r.chain, index: r.idx } : null;
    },
    tx(walletId: string, txid: string): WalletTxInfo | null {
      const r = q.tx.get(walletId, txid);
      return r
        ? {
            txid: r.txid,
            height: r.height,
            direction: r.direction,
            receivedSats: r.received_sats,
            sentSats: r.sent_sats,
          }
        : null;
    },
    addressIndex(walletId: string, address: string): { chain: 0 | 1; index: number } | null {
      const r = q.addressIndex.get(walletId, address);
      return r ? { chain: r.chain, index: r.idx } : null;
    },
    rawTx(txid: string): Uint8Array | null {
      const r = q.raw.get(txid);
      return r ? Uint8Array.from(r.raw) : null;
    },
    /** Wallet transactions (chain or mempool, as last synced) that spend this outpoint. */
    spenders(walletId: string, txid: string, vout: number): string[] {
      return q.spenders.all(walletId, txid, vout).map((r) => r.txid);
    },
    /** Wallet transactions that spend an output of `txid`. */
    children(walletId: string, txid: string): string[] {
      return q.children.all(walletId, txid).map((r) => r.txid);
    },
    /** The user's BIP329 label of a transaction ('tx') or an address ('addr'), if any. */
    label(walletId: string, type: 'tx' | 'addr', ref: string): string | null {
      return q.label.get(walletId, type, ref)?.label ?? null;
    },
    firstUnusedChange(walletId: string): { index: number; address: string; scriptPubKey: Uint8Array } | null {
      const r = q.firstUnusedChange.get(walletId);
      return r ? { index: r.idx, address: r.address, scriptPubKey: Uint8Array.from(r.script_pubkey) } : null;
    },
  };
}

export type WalletReader = ReturnType<typeof createWalletReader>;
