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
import { confirmations } from './balance';
import { CHAINS, GAP_LIMIT, RECEIVE_CHAIN } from './constants';
import type { AddressDeriver, DerivedAddress } from './derivation';
import { addressPath, createAddressDeriver, deriveAccount } from './derivation';
import { createDraftStore } from './drafts';
import { parseMnemonic } from './mnemonic';
import type { WalletRepository, WalletRow } from './repository';
import { createWalletRepository } from './repository';
import { createWalletSync } from './sync';
import type { TxVerifier } from './sync';
import type { WalletService } from './types';

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
}

export const mnemonicSecretName = (walletId: string): string => `wallet:${walletId}:mnemonic`;

interface StoredMnemonic {
  mnemonic: string;
  passphrase: string;
}

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
      d = createAddressDeriver(wallet.xpub, wallet.network);
      derivers.set(wallet.id, d);
    }
    return d;
  };
  const sync = createWalletSync({
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
      fingerprint: w.fingerprint,
      createdAt: w.createdAt,
    };
  }

  /** Shared tail of create and restore: derive, store words in the vault and keys in SQLite. */
  function addWallet(input: {
    mnemonic: string;
    passphrase: string;
    name: string;
    network: Network;
    restored: boolean;
  }): WalletSummary {
    requireUnlocked();
    const keys = deriveAccount(input.mnemonic, input.passphrase, input.network);
    if (repo.walletIdByXpub(input.network, keys.xpub) !== null) {
      throw new FlashError('WALLET_EXISTS', 'This wallet is already here.');
    }
    const wallet: WalletRow = {
      id: randomBytes(8).toString('hex'),
      name: input.name.trim(),
      network: input.network,
      accountType: 'bip84',
      accountPath: keys.accountPath,
      xpub: keys.xpub,
      fingerprint: keys.fingerprint,
      createdAt: now(),
      lastSyncedAt: null,
      // Fresh words have no past: anything that arrives is news. A restore first imports history.
      announceDeposits: !input.restored,
    };
    const deriver = deriverFor(wallet);
    const addresses: DerivedAddress[] = [];
    for (const chain of CHAINS)
      for (let i = 0; i < GAP_LIMIT[chain]; i++) addresses.push(deriver.derive(chain, i));

    const secret = new TextEncoder().encode(
      JSON.stringify({ mnemonic: input.mnemonic, passphrase: input.passphrase } satisfies StoredMnemonic),
    );
    try {
      // The vault writes to the same database: wallet row and sealed words commit together.
      deps.db.transaction(() => {
        repo.insertWallet(wallet, addresses);
        vault.putSecret(mnemonicSecretName(wallet.id), secret);
      })();
    } catch (err) {
      derivers.delete(wallet.id);
      if (isUniqueViolation(err)) throw new FlashError('WALLET_EXISTS', 'This wallet is already here.');
      throw err;
    } finally {
      secret.fill(0);
    }
    log.info('wallet added', { walletId: wallet.id, network: wallet.network, restored: input.restored });
    sync.watch(wallet.id);
    bus.emit('wallet.updated', { walletId: wallet.id });
    return summary(wallet);
  }

  return {
    list() {
      return repo.listWallets().map(summary);
    },
    activeWalletId(network) {
      return repo.firstWalletId(network);
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
          derivationPath: addressPath(wallet.accountPath, RECEIVE_CHAIN, receive.index),
          uri: `bitcoin:${receive.address}`,
        },
        sync: sync.state(walletId),
        tipHeight: sync.tipHeight(wallet.network),
      };
    },
    activity(walletId, limit, offset) {
      const wallet = requireWallet(walletId);
      const tip = sync.tipHeight(wallet.network);
      const safeLimit = Math.max(1, Math.min(500, Math.trunc(limit)));
      const safeOffset = Math.max(0, Math.trunc(offset));
      const items = repo.activity(walletId, safeLimit, safeOffset).map((r) => ({
        txid: r.txid,
        amountSats: r.amountSats,
        height: r.height,
        confirmations: confirmations(r.height, tip),
        firstSeenAt: r.firstSeenAt,
        direction: r.direction,
        verification: r.height <= 0 ? ('mempool' as const) : (r.proofState ?? 'unverified'),
      }));
      return { items, total: repo.txCount(walletId) };
    },
    recoveryWords(walletId): RecoveryWords {
      requireWallet(walletId);
      const bytes = vault.getSecret(mnemonicSecretName(walletId));
      let stored: unknown;
      try {
        stored = JSON.parse(new TextDecoder().decode(bytes));
      } finally {
        bytes.fill(0);
      }
      if (!isStoredMnemonic(stored))
        throw new FlashError('INTERNAL', 'The stored recovery words are unreadable.');
      return RecoveryWordsSchema.parse({
        words: stored.mnemonic.split(' '),
        hasPassphrase: stored.passphrase.length > 0,
      });
    },
    start() {
      // Drafts hold plain words: they go when the vault locks, like every other secret in memory.
      unsubscribeLock = vault.onLock(() => drafts.clear());
      sync.start();
    },
    stop() {
      sync.stop();
      unsubscribeLock?.();
      unsubscribeLock = null;
      drafts.clear();
    },
    idle() {
      return sync.idle();
    },
  };
}

function isStoredMnemonic(v: unknown): v is StoredMnemonic {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { mnemonic?: unknown }).mnemonic === 'string' &&
    typeof (v as { passphrase?: unknown }).passphrase === 'string'
  );
}

function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as { code: string }).code.startsWith('SQLITE_CONSTRAINT_UNIQUE')
  );
}
