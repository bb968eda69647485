import { FlashError } from '../../../shared/errors';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import type { Db } from '../../store/database';
import type { VaultService } from '../../vault/types';
import type { ScriptType } from '../accounts/types';
import { loadMultisigAccount, type MultisigAccount } from '../multisig/account';
import { createMultisigOwnership } from './ownership';
import type { SpendType } from './size';
import type { ElectrumService } from '../electrum/types';
import { isConfirmed } from '../wallet/confirmation';
import { readWords, type StoredWords } from '../wallet/stored-words';
import { SendError } from './errors';
import type { AmountSources } from './input-amounts';
import type { PaymentRow } from './journal';
import { createJournal } from './journal';
import type { Ownership } from './ownership';
import { createOwnership } from './ownership';
import type { AccountRef, PsbtInputSpec } from './psbt';
import type { WalletUtxo } from './wallet-reader';
import { createWalletReader } from './wallet-reader';

export interface SendDeps {
  db: Db;
  vault: VaultService;
  electrum: ElectrumService;
  bus: EventBus;
  log: Logger;
  now?: () => number;
  /** Broadcast retry backoff (default: 5 s doubling to 5 min). */
  retry?: { baseMs: number; maxMs: number };
}

/**
 * An account as the send flow needs it: keys, the shape of its inputs (a single-key type or a
 * multisig k-of-n), and where its words live (if anywhere). `multisig` is set for a multisig
 * wallet: its PSBTs, change and finalizing follow main/bitcoin/multisig.
 */
export type Account = Omit<AccountRef, 'scriptType'> & {
  id: string;
  scriptType: SpendType;
  seedWalletId: string | null;
  multisig: MultisigAccount | null;
};

/** The single-key view of an account (for the modules that only know single-key scripts). */
export function singleKey(acct: Account): AccountRef & { scriptType: ScriptType } {
  if (typeof acct.scriptType !== 'string')
    throw new Error('a multisig account has no single-key script type');
  return { ...acct, scriptType: acct.scriptType };
}

/**
 * What every send operation shares: the wallet's read-only tables, the payment journal, the
 * account and its ownership helper. Operations (prepare, bump, cpfp, import, confirm, broadcast)
 * are separate modules taking this context.
 */
export function createSendContext(deps: SendDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const reader = createWalletReader(db);
  const journal = createJournal(db);
  const ownerships = new Map<string, Ownership>();

  function account(walletId: string): Account {
    const w = reader.wallet(walletId);
    if (!w) throw new FlashError('WALLET_NOT_FOUND', 'No such wallet.', { walletId });
    const multisig = w.scriptType === null ? multisigOf(w.id, w.network) : null;
    return {
      id: w.id,
      network: w.network,
      xpub: w.xpub,
      fingerprint: w.fingerprint,
      accountPath: w.accountPath,
      scriptType: multisig ? multisig.spend : (w.scriptType as ScriptType),
      seedWalletId: w.seedWalletId,
      multisig,
    };
  }

  // Cached per wallet: it keeps derived scripts (a multisig wallet's policy never changes).
  const multisigs = new Map<string, MultisigAccount>();
  function multisigOf(walletId: string, network: Account['network']): MultisigAccount {
    let m = multisigs.get(walletId);
    if (!m) {
      const loaded = loadMultisigAccount(db, walletId, network);
      if (!loaded)
        throw new FlashError('WALLET_NOT_FOUND', 'This multisig wallet has no policy stored.', { walletId });
      m = loaded;
      multisigs.set(walletId, m);
    }
    return m;
  }

  /** "Is this output ours / our change", for one account (cached: it keeps derived keys). */
  function ownership(walletId: string): Ownership {
    let o = ownerships.get(walletId);
    if (!o) {
      const acct = account(walletId);
      const known = (script: Uint8Array) => reader.scriptOwner(walletId, script);
      o = acct.multisig
        ? createMultisigOwnership(acct.multisig, known)
        : createOwnership(singleKey(acct), known);
      ownerships.set(walletId, o);
    }
    return o;
  }

  /** Where input amounts are proven for one account: its UTXO table and stored transactions. */
  function amountSources(walletId: string): AmountSources {
    return {
      ownedOutput: (txid, vout) => reader.ownedOutput(walletId, txid, vout),
      rawTx: (txid) => reader.rawTx(txid),
    };
  }

  function requireRow(draftId: string): PaymentRow {
    const row = journal.get(draftId);
    if (!row) throw new FlashError('DRAFT_NOT_FOUND', 'This payment draft no longer exists.', { draftId });
    return row;
  }

  function inputSpec(u: WalletUtxo): PsbtInputSpec {
    return {
      txid: u.txid,
      vout: u.vout,
      value: u.value,
      scriptPubKey: u.scriptPubKey,
      chain: u.chain,
      index: u.index,
      prevTx: reader.rawTx(u.txid),
    };
  }

  function changeAddress(walletId: string) {
    const c = reader.firstUnusedChange(walletId);
    if (!c)
      throw new SendError('NOTHING_TO_SPEND', 'No unused change address is ready; let the wallet sync.');
    return c;
  }

  /**
   * Spendable by default: confirmed coins (verified: wallet/confirmation.ts) and our own change not
   * confirmed yet; never a stranger's payment before its proof checks out.
   */
  function defaultCoins(walletId: string): WalletUtxo[] {
    return reader.utxos(walletId).filter((u) => isConfirmed(u) || u.direction !== 'in');
  }

  function readMnemonic(walletId: string): StoredWords {
    const seedWalletId = account(walletId).seedWalletId;
    if (seedWalletId === null) {
      throw new FlashError(
        'WATCH_ONLY',
        'Flash holds no keys for this account: sign the PSBT with your device or signer, then import it.',
        { walletId },
      );
    }
    if (deps.vault.status().state !== 'unlocked')
      throw new FlashError('VAULT_LOCKED', 'Unlock the vault to sign.');
    return readWords(deps.vault, seedWalletId);
  }

  return {
    deps,
    db,
    log: deps.log,
    now,
    reader,
    journal,
    account,
    ownership,
    amountSources,
    requireRow,
    inputSpec,
    changeAddress,
    defaultCoins,
    readMnemonic,
    /** Tells the renderer to refresh what shows this wallet's money. */
    changed(walletId: string): void {
      deps.bus.emit('wallet.updated', { walletId });
    },
  };
}

export type SendContext = ReturnType<typeof createSendContext>;

/** fee / vsize in sat/vB with 3 decimals, from integers. */
export const rateOf = (fee: number, vsize: number): number => Math.floor((fee * 1000) / vsize) / 1000;
export const satPerKvb = (fee: number, vsize: number): number => Math.floor((fee * 1000) / vsize);
