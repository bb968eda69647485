import { randomBytes } from 'node:crypto';
import type { Network, RecoveryWords, WalletOverview, WalletSummary } from '../../../shared/contract';
import { RecoveryWords as RecoveryWordsSchema } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import type { SettingsService } from '../../core/settings-service';
import type { Db } from '../../store/database';
import type { VaultService } from '../../vault/types';
import type { ElectrumService } from '../electrum/types';
import { deriveAccountKeys, describeAccount, importWatchOnly } from '../accounts/account';
import { createAccountAddressDeriver } from '../accounts/addresses';
import { DEFAULT_GAP_LIMITS } from '../accounts/gap-limits';
import { parsePath, formatPath } from '../accounts/paths';
import { ACCOUNT_TYPE_INFO, DEFAULT_ACCOUNT_TYPE, type AccountType } from '../accounts/types';
import type { ValidatedTipEvents } from './confirmation';
import { confirmationsOf, validatedTip, verificationOf } from './confirmation';
import { CHAINS, RECEIVE_CHAIN } from './constants';
import type { AddressDeriver, DerivedAddress } from './derivation';
import { addressPath } from './derivation';
import { createDraftStore } from './drafts';
import { readWords, sealWords } from './stored-words';
import { parseMnemonic } from './mnemonic';
import type { WalletRepository, WalletRow } from './repository';
import { createWalletRepository } from './repository';
import { parseMultisigDescriptor } from '../multisig/descriptor';
import { createMultisigAddressDeriver } from '../multisig/scripts';
import { createWalletSync } from './sync';
import { createUpdateNotifier } from './updates';
import type { TxVerifier } from './sync';
import type { WalletService } from './types';
import { txDetailsFor } from './tx-details';

export interface WalletDeps {
  db: Db;
  vault: VaultService;
  electrum: ElectrumService;
  bus: EventBus;
  log: Logger;
  settings: SettingsService;
  /** Wall clock in ms; injectable for tests. */
  now?: () => number;
  /** The SPV layer: when given, every confirmed transaction's merkle proof is checked before it counts. */
  verifier?: TxVerifier;
  /** The SPV layer's tip: confirmations count from it, so every new validated tip refreshes them. */
  chain?: ValidatedTipEvents;
  /** Address discovery (see SyncDeps.discovery); the app leaves the default. */
  discovery?: 'widening' | 'walk';
}

export { mnemonicSecretName } from './stored-words';

/**
 * BIP84 single-key wallets: onboarding (new words or a restore), watch-only address derivation
 * from the stored xpub, Electrum sync, balance and activity. The words themselves only ever go
 * into the vault; everything in SQLite is public chain data plus the xpub.
 */
export function createWalletService(deps: WalletDeps): WalletService {
  const { vault, bus } = deps;
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const repo: WalletRepository = createWalletRepository(deps.db);
  const drafts = createDraftStore(now);
  const derivers = new Map<string, AddressDeriver>();
  const deriverFor = (wallet: WalletRow): AddressDeriver => {
    let d = derivers.get(wallet.id);
    if (!d) {
      // A multisig wallet's `xpub` column holds its descriptor (migration 017).
      d =
        wallet.accountType === 'multisig'
          ? createMultisigAddressDeriver(parseMultisigDescriptor(wallet.xpub), wallet.network)
          : createAccountAddressDeriver(
              wallet.xpub,
              ACCOUNT_TYPE_INFO[wallet.accountType].scriptType,
              wallet.network,
            );
      derivers.set(wallet.id, d);
    }
    return d;
  };
  const updates = createUpdateNotifier(bus);
  const sync = createWalletSync({
    updates,
    ...(deps.discovery ? { discovery: deps.discovery } : {}),
    repo,
    electrum: deps.electrum,
    bus,
    log,
    now,
    network: () => deps.settings.get().network,
    deriver: deriverFor,
    ...(deps.verifier ? { verifier: deps.verifier } : {}),
  });
  let unsubscribeLock: (() => void) | null = null;
  let unsubscribeTip: (() => void) | null = null;

  /**
   * Confirmation counts moved for every wallet of the active network that has transactions, and
   * proofs that could not be checked before may check out against the new headers.
   */
  function onValidatedTip(): void {
    const network = deps.settings.get().network;
    for (const wallet of repo.listWallets()) {
      if (wallet.network === network && repo.txCount(wallet.id) > 0) updates.changed(wallet.id);
    }
    sync.recheckOwedProofs();
  }

  function requireUnlocked(): void {
    if (vault.status().state !== 'unlocked') {
      throw new FlashError('VAULT_LOCKED', 'Unlock the vault to add a wallet.');
    }
  }

  function requireWallet(walletId: string): WalletRow {
    const wallet = repo.getWallet(walletId);
    if (!wallet) throw new FlashError('WALLET_NOT_FOUND', 'No such wallet.', { walletId });
    return wallet;
  }

  function summary(w: WalletRow): WalletSummary {
    return {
      id: w.id,
      name: w.name,
      network: w.network,
      accountType: w.accountType,
      accountPath: w.accountPath,
      fingerprint: w.fingerprint,
      signer: w.signer,
      seedWalletId: w.seedWalletId,
      gapLimit: { ...w.gapLimit },
      createdAt: w.createdAt,
    };
  }

  /** Stores a new account with its first gap of addresses derived, then starts syncing it. */
  function insertAccount(wallet: WalletRow, sealWords?: () => void): WalletSummary {
    if (repo.walletIdByXpub(wallet.network, wallet.xpub) !== null) {
      throw new FlashError('WALLET_EXISTS', 'This account is already here.');
    }
    const deriver = deriverFor(wallet);
    const addresses: DerivedAddress[] = [];
    for (const chain of CHAINS) {
      const gap = chain === RECEIVE_CHAIN ? wallet.gapLimit.receive : wallet.gapLimit.change;
      for (let i = 0; i < gap; i++) addresses.push(deriver.derive(chain, i));
    }
    try {
      // The vault writes to the same database: account row and sealed words commit together.
      deps.db.transaction(() => {
        repo.insertWallet(wallet, addresses);
        sealWords?.();
      })();
    } catch (err) {
      derivers.delete(wallet.id);
      if (isUniqueViolation(err)) throw new FlashError('WALLET_EXISTS', 'This account is already here.');
      throw err;
    }
    log.info('account added', {
      walletId: wallet.id,
      network: wallet.network,
      type: wallet.accountType,
      signer: wallet.signer,
    });
    sync.watch(wallet.id);
    bus.emit('wallet.updated', { walletId: wallet.id });
    return summary(wallet);
  }

  function seedRootOf(wallet: WalletRow): string {
    if (wallet.signer !== 'seed' || wallet.seedWalletId === null) {
      throw new FlashError(
        'WATCH_ONLY',
        'This account has no recovery words in Flash: it is watch-only or signed by a hardware device.',
        { walletId: wallet.id },
      );
    }
    return wallet.seedWalletId;
  }

  /** Shared tail of create and restore: derive, store words in the vault and keys in SQLite. */
  function addWallet(input: {
    mnemonic: string;
    passphrase: string;
    name: string;
    network: Network;
    restored: boolean;
    accountType?: AccountType;
  }): WalletSummary {
    requireUnlocked();
    const type = input.accountType ?? DEFAULT_ACCOUNT_TYPE;
    const keys = deriveAccountKeys(input.mnemonic, input.passphrase, input.network, type, 0);
    const id = randomBytes(8).toString('hex');
    const wallet: WalletRow = {
      id,
      name: input.name.trim(),
      network: input.network,
      accountType: type,
      accountPath: keys.path,
      xpub: keys.xpub,
      fingerprint: keys.fingerprint,
      signer: 'seed',
      seedWalletId: id,
      gapLimit: { ...DEFAULT_GAP_LIMITS },
      createdAt: now(),
      lastSyncedAt: null,
      // Fresh words have no past: anything that arrives is news. A restore first imports history.
      announceDeposits: !input.restored,
    };
    return insertAccount(wallet, () =>
      sealWords(vault, wallet.id, { mnemonic: input.mnemonic, passphrase: input.passphrase }),
    );
  }

  return {
    list() {
      return repo.listWallets().map(summary);
    },
    activeWalletId(network) {
      return repo.activeWalletId(network) ?? repo.firstWalletId(network);
    },
    get(walletId) {
      return summary(requireWallet(walletId));
    },
    addAccount(input) {
      requireUnlocked();
      const seed = requireWallet(input.seedWalletId);
      const rootId = seedRootOf(seed);
      const words = readWords(vault, rootId);
      const keys = deriveAccountKeys(
        words.mnemonic,
        words.passphrase,
        seed.network,
        input.accountType,
        input.accountIndex,
      );
      return insertAccount({
        id: randomBytes(8).toString('hex'),
        name: input.name.trim(),
        network: seed.network,
        accountType: input.accountType,
        accountPath: keys.path,
        xpub: keys.xpub,
        fingerprint: keys.fingerprint,
        signer: 'seed',
        seedWalletId: rootId,
        gapLimit: { ...DEFAULT_GAP_LIMITS },
        createdAt: now(),
        lastSyncedAt: null,
        // An account number used elsewhere may have a past: import it quietly first.
        announceDeposits: false,
      });
    },
    importWatchOnly(input) {
      const imported = importWatchOnly(input.key, {
        network: input.network,
        ...(input.accountType ? { type: input.accountType } : {}),
      });
      const fingerprint = input.fingerprint ? input.fingerprint.toLowerCase() : imported.fingerprint;
      if (fingerprint !== null && !/^[0-9a-f]{8}$/.test(fingerprint)) {
        throw new FlashError('BAD_INPUT', 'A master fingerprint is 8 hex digits, e.g. 73c5da0a.', {
          field: 'fingerprint',
        });
      }
      const path = input.path
        ? formatPath(parsePath(input.path, 'account path', 'BAD_INPUT'), "'")
        : imported.path;
      return insertAccount({
        id: randomBytes(8).toString('hex'),
        name: input.name.trim(),
        network: input.network,
        accountType: imported.type,
        accountPath: path,
        xpub: imported.xpub,
        fingerprint,
        signer: input.signer ?? 'watch',
        seedWalletId: null,
        gapLimit: { ...DEFAULT_GAP_LIMITS },
        createdAt: now(),
        lastSyncedAt: null,
        announceDeposits: false,
      });
    },
    setActive(walletId) {
      const wallet = requireWallet(walletId);
      repo.setActiveWallet(wallet.network, walletId);
    },
    rename(walletId, name) {
      requireWallet(walletId);
      repo.rename(walletId, name.trim());
      bus.emit('wallet.updated', { walletId });
      return summary(requireWallet(walletId));
    },
    setGapLimit(walletId, gapLimit) {
      requireWallet(walletId);
      repo.setGapLimit(walletId, gapLimit);
      // A wider gap derives and watches more addresses now; a narrower one keeps what exists.
      sync.watch(walletId);
      bus.emit('wallet.updated', { walletId });
      return summary(requireWallet(walletId));
    },
    remove(walletId) {
      const wallet = requireWallet(walletId);
      if (wallet.signer === 'seed' && wallet.seedWalletId === wallet.id) {
        throw new FlashError(
          'ACCOUNT_HOLDS_WORDS',
          'This is the account that holds the recovery words; it cannot be removed.',
          { walletId },
        );
      }
      repo.deleteWallet(walletId);
      derivers.delete(walletId);
      log.info('account removed', { walletId });
      bus.emit('wallet.updated', { walletId });
    },
    addMultisig(input) {
      return insertAccount(
        {
          id: input.id,
          name: input.name.trim(),
          network: input.network,
          accountType: 'multisig',
          accountPath: null,
          xpub: input.descriptor,
          fingerprint: null,
          signer: 'multisig',
          seedWalletId: null,
          gapLimit: { ...DEFAULT_GAP_LIMITS },
          createdAt: now(),
          lastSyncedAt: null,
          // A wallet set up anew or imported may have a past: import it quietly first.
          announceDeposits: false,
        },
        input.writeDetails,
      );
    },
    exportAccount(walletId) {
      const wallet = requireWallet(walletId);
      if (wallet.accountType === 'multisig') {
        throw new FlashError(
          'MULTISIG_UNSUPPORTED',
          'A multisig wallet is exported from its Multisig page (descriptor, wallet files, backup sheet).',
          { walletId },
        );
      }
      const d = describeAccount({
        type: wallet.accountType,
        network: wallet.network,
        xpub: wallet.xpub,
        fingerprint: wallet.fingerprint,
        path: wallet.accountPath,
      });
      return {
        walletId,
        displayKey: d.displayKey,
        xpub: d.xpub,
        fingerprint: d.fingerprint,
        path: d.path,
        descriptors: { ...d.descriptors },
      };
    },
    createDraft(wordCount) {
      requireUnlocked();
      return drafts.create(wordCount);
    },
    confirmDraft(input) {
      requireUnlocked();
      const mnemonic = drafts.verify(input.draftId, input.checks);
      const created = addWallet({ ...input, mnemonic, restored: false });
      drafts.discard(input.draftId);
      return created;
    },
    restore(input) {
      requireUnlocked();
      const mnemonic = parseMnemonic(input.words);
      return addWallet({ ...input, mnemonic, restored: true });
    },
    overview(walletId): WalletOverview {
      const wallet = requireWallet(walletId);
      let receive = repo.firstUnused(walletId, RECEIVE_CHAIN);
      if (!receive) {
        // Only reachable if the gap was never derived; derive one rather than reuse an address.
        const usage = repo.chainUsage(walletId, RECEIVE_CHAIN);
        const next = deriverFor(wallet).derive(RECEIVE_CHAIN, usage.count);
        repo.insertAddresses(walletId, [next]);
        sync.watch(walletId);
        receive = { index: next.index, address: next.address };
      }
      return {
        wallet: summary(wallet),
        balance: repo.balance(walletId),
        receive: {
          address: receive.address,
          index: receive.index,
          derivationPath: addressPath(wallet.accountPath ?? 'm', RECEIVE_CHAIN, receive.index),
          uri: `bitcoin:${receive.address}`,
        },
        sync: sync.state(walletId),
        tipHeight: validatedTip(deps.db, wallet.network),
      };
    },
    activity(walletId, limit, offset) {
      const wallet = requireWallet(walletId);
      const tip = validatedTip(deps.db, wallet.network);
      const safeLimit = Math.max(1, Math.min(500, Math.trunc(limit)));
      const safeOffset = Math.max(0, Math.trunc(offset));
      const rows = repo.activity(walletId, safeLimit, safeOffset);
      const fees = txDetailsFor(deps.db).fees(
        walletId,
        rows.map((r) => r.txid),
      );
      const items = rows.map((r) => ({
        txid: r.txid,
        amountSats: r.amountSats,
        height: r.height,
        confirmations: confirmationsOf(r, tip),
        firstSeenAt: r.firstSeenAt,
        direction: r.direction,
        verification: verificationOf(r),
        feeSats: fees.get(r.txid)?.feeSats ?? null,
        feeRate: fees.get(r.txid)?.feeRate ?? null,
      }));
      return { items, total: repo.txCount(walletId) };
    },
    transaction(walletId, txid) {
      const wallet = requireWallet(walletId);
      return txDetailsFor(deps.db).get(walletId, txid, validatedTip(deps.db, wallet.network));
    },
    recoveryWords(walletId): RecoveryWords {
      const stored = readWords(vault, seedRootOf(requireWallet(walletId)));
      return RecoveryWordsSchema.parse({
        words: stored.mnemonic.split(' '),
        hasPassphrase: stored.passphrase.length > 0,
      });
    },
    start() {
      // Drafts hold plain words: they go when the vault locks, like every other secret in memory.
      unsubscribeLock = vault.onLock(() => drafts.clear());
      unsubscribeTip = deps.chain?.onTip(onValidatedTip) ?? null;
      sync.start();
    },
    stop() {
      sync.stop();
      unsubscribeTip?.();
      unsubscribeTip = null;
      unsubscribeLock?.();
      unsubscribeLock = null;
      updates.stop();
      drafts.clear();
    },
    idle() {
      return sync.idle();
    },
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as { code: string }).code.startsWith('SQLITE_CONSTRAINT_UNIQUE')
  );
}
