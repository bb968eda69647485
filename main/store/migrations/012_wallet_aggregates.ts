import type { Migration } from './types';

/**
 * The wallet's balance, UTXO set and counts kept up to date as history is applied, so the
 * overview and the activity list read one row instead of summing the whole history.
 *
 * Triggers keep them, whoever writes: a transaction's standing follows its height and its
 * merkle proof (chain_tx_proofs, written by the SPV layer); each owned output carries its tx's
 * standing and whether a wallet transaction spends it; the per-wallet row adds and subtracts
 * the unspent outputs as they come, go, get spent or change standing.
 *
 * Standing is the rule of main/bitcoin/wallet/confirmation.ts, written in SQL: 0 in the mempool
 * (height <= 0), 2 confirmed (in a block and its proof verified at that same height), 1
 * confirming (in a block, not verified). A test checks these sums against that helper.
 */
export const walletAggregatesMigration: Migration = {
  version: 12,
  name: 'wallet: balance, UTXO set and counts kept by triggers',
  up(db) {
    /** Standing of the wallet_txs row `t` (a table alias or NEW/OLD). */
    const standingOf = (t: string): string => `CASE
        WHEN ${t}.height <= 0 THEN 0
        WHEN EXISTS (SELECT 1 FROM chain_tx_proofs p JOIN wallets w ON w.network = p.network
                     WHERE w.id = ${t}.wallet_id AND p.txid = ${t}.txid AND p.height = ${t}.height
                       AND p.state = 'verified') THEN 2
        ELSE 1 END`;
    const spentSql = (o: string): string => `EXISTS (SELECT 1 FROM wallet_tx_inputs i
        WHERE i.wallet_id = ${o}.wallet_id AND i.prev_txid = ${o}.txid AND i.prev_vout = ${o}.vout)`;
    /** What one output row adds to the sums: `sign` 1 to add, -1 to take away. */
    const sums = (o: string, sign: '+' | '-'): string => `
        confirmed_sats = confirmed_sats ${sign} (CASE WHEN ${o}.spent = 0 AND ${o}.standing = 2 THEN ${o}.value_sats ELSE 0 END),
        confirming_sats = confirming_sats ${sign} (CASE WHEN ${o}.spent = 0 AND ${o}.standing = 1 THEN ${o}.value_sats ELSE 0 END),
        unconfirmed_sats = unconfirmed_sats ${sign} (CASE WHEN ${o}.spent = 0 AND ${o}.standing = 0 THEN ${o}.value_sats ELSE 0 END),
        utxo_count = utxo_count ${sign} (${o}.spent = 0)`;

    db.exec(`
      ALTER TABLE wallet_txs ADD COLUMN standing INTEGER NOT NULL DEFAULT 0 CHECK (standing IN (0, 1, 2));
      ALTER TABLE wallet_tx_outputs ADD COLUMN standing INTEGER NOT NULL DEFAULT 0 CHECK (standing IN (0, 1, 2));
      -- 1 once a wallet transaction spends this output: the UTXO set is the rows with 0.
      ALTER TABLE wallet_tx_outputs ADD COLUMN spent INTEGER NOT NULL DEFAULT 0 CHECK (spent IN (0, 1));

      CREATE TABLE wallet_aggregates (
        wallet_id TEXT PRIMARY KEY REFERENCES wallets (id) ON DELETE CASCADE,
        confirmed_sats INTEGER NOT NULL DEFAULT 0,
        confirming_sats INTEGER NOT NULL DEFAULT 0,
        unconfirmed_sats INTEGER NOT NULL DEFAULT 0,
        utxo_count INTEGER NOT NULL DEFAULT 0,
        tx_count INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      UPDATE wallet_txs SET standing = ${standingOf('wallet_txs')};
      UPDATE wallet_tx_outputs SET
        spent = ${spentSql('wallet_tx_outputs')},
        standing = (SELECT t.standing FROM wallet_txs t
                    WHERE t.wallet_id = wallet_tx_outputs.wallet_id AND t.txid = wallet_tx_outputs.txid);
      INSERT INTO wallet_aggregates (wallet_id, confirmed_sats, confirming_sats, unconfirmed_sats, utxo_count, tx_count)
        SELECT w.id,
          COALESCE((SELECT SUM(value_sats) FROM wallet_tx_outputs o WHERE o.wallet_id = w.id AND o.spent = 0 AND o.standing = 2), 0),
          COALESCE((SELECT SUM(value_sats) FROM wallet_tx_outputs o WHERE o.wallet_id = w.id AND o.spent = 0 AND o.standing = 1), 0),
          COALESCE((SELECT SUM(value_sats) FROM wallet_tx_outputs o WHERE o.wallet_id = w.id AND o.spent = 0 AND o.standing = 0), 0),
          (SELECT COUNT(*) FROM wallet_tx_outputs o WHERE o.wallet_id = w.id AND o.spent = 0),
          (SELECT COUNT(*) FROM wallet_txs t WHERE t.wallet_id = w.id)
        FROM wallets w;

      CREATE INDEX wallet_tx_outputs_unspent ON wallet_tx_outputs (wallet_id) WHERE spent = 0;
      -- Mined transactions still owing a verified proof: re-checked on every new tip.
      CREATE INDEX wallet_txs_confirming ON wallet_txs (wallet_id) WHERE standing = 1;
      -- The next receive address without walking every used one.
      CREATE INDEX wallet_addresses_unused ON wallet_addresses (wallet_id, chain, idx) WHERE used = 0;

      CREATE TRIGGER wallet_aggregates_new_wallet AFTER INSERT ON wallets BEGIN
        INSERT OR IGNORE INTO wallet_aggregates (wallet_id) VALUES (NEW.id);
      END;

      CREATE TRIGGER wallet_txs_added AFTER INSERT ON wallet_txs BEGIN
        UPDATE wallet_aggregates SET tx_count = tx_count + 1 WHERE wallet_id = NEW.wallet_id;
        UPDATE wallet_txs SET standing = ${standingOf('NEW')}
          WHERE wallet_id = NEW.wallet_id AND txid = NEW.txid;
      END;
      CREATE TRIGGER wallet_txs_removed AFTER DELETE ON wallet_txs BEGIN
        UPDATE wallet_aggregates SET tx_count = tx_count - 1 WHERE wallet_id = OLD.wallet_id;
      END;
      CREATE TRIGGER wallet_txs_height AFTER UPDATE OF height ON wallet_txs BEGIN
        UPDATE wallet_txs SET standing = ${standingOf('NEW')}
          WHERE wallet_id = NEW.wallet_id AND txid = NEW.txid;
      END;
      CREATE TRIGGER wallet_txs_standing AFTER UPDATE OF standing ON wallet_txs
        WHEN OLD.standing IS NOT NEW.standing BEGIN
        UPDATE wallet_tx_outputs SET standing = NEW.standing WHERE wallet_id = NEW.wallet_id AND txid = NEW.txid;
      END;

      CREATE TRIGGER chain_tx_proofs_added AFTER INSERT ON chain_tx_proofs BEGIN
        UPDATE wallet_txs SET standing = ${standingOf('wallet_txs')}
          WHERE txid = NEW.txid AND wallet_id IN (SELECT id FROM wallets WHERE network = NEW.network);
      END;
      CREATE TRIGGER chain_tx_proofs_changed AFTER UPDATE ON chain_tx_proofs BEGIN
        UPDATE wallet_txs SET standing = ${standingOf('wallet_txs')}
          WHERE txid IN (OLD.txid, NEW.txid)
            AND wallet_id IN (SELECT id FROM wallets WHERE network IN (OLD.network, NEW.network));
      END;
      CREATE TRIGGER chain_tx_proofs_removed AFTER DELETE ON chain_tx_proofs BEGIN
        UPDATE wallet_txs SET standing = ${standingOf('wallet_txs')}
          WHERE txid = OLD.txid AND wallet_id IN (SELECT id FROM wallets WHERE network = OLD.network);
      END;

      CREATE TRIGGER wallet_tx_outputs_added AFTER INSERT ON wallet_tx_outputs BEGIN
        UPDATE wallet_aggregates SET ${sums('NEW', '+')} WHERE wallet_id = NEW.wallet_id;
        -- Written as inserted (unspent, mempool), then set right: the trigger below moves the sums.
        UPDATE wallet_tx_outputs SET
          spent = ${spentSql('NEW')},
          standing = COALESCE((SELECT t.standing FROM wallet_txs t
                               WHERE t.wallet_id = NEW.wallet_id AND t.txid = NEW.txid), 0)
          WHERE wallet_id = NEW.wallet_id AND txid = NEW.txid AND vout = NEW.vout;
      END;
      CREATE TRIGGER wallet_tx_outputs_changed AFTER UPDATE OF spent, standing, value_sats ON wallet_tx_outputs BEGIN
        UPDATE wallet_aggregates SET ${sums('OLD', '-')} WHERE wallet_id = OLD.wallet_id;
        UPDATE wallet_aggregates SET ${sums('NEW', '+')} WHERE wallet_id = NEW.wallet_id;
      END;
      CREATE TRIGGER wallet_tx_outputs_removed AFTER DELETE ON wallet_tx_outputs BEGIN
        UPDATE wallet_aggregates SET ${sums('OLD', '-')} WHERE wallet_id = OLD.wallet_id;
      END;

      CREATE TRIGGER wallet_tx_inputs_added AFTER INSERT ON wallet_tx_inputs BEGIN
        UPDATE wallet_tx_outputs SET spent = 1
          WHERE wallet_id = NEW.wallet_id AND txid = NEW.prev_txid AND vout = NEW.prev_vout AND spent = 0;
      END;
      CREATE TRIGGER wallet_tx_inputs_removed AFTER DELETE ON wallet_tx_inputs BEGIN
        UPDATE wallet_tx_outputs SET spent = 0
          WHERE wallet_id = OLD.wallet_id AND txid = OLD.prev_txid AND vout = OLD.prev_vout AND spent = 1
            AND NOT EXISTS (SELECT 1 FROM wallet_tx_inputs i WHERE i.wallet_id = OLD.wallet_id
                            AND i.prev_txid = OLD.prev_txid AND i.prev_vout = OLD.prev_vout);
      END;
    `);
  },
};
