import path from 'node:path';
import type { AppInfo, Network, StoreProblem } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { Dispatcher } from '../api/dispatcher';
import { createDispatcher } from '../api/dispatcher';
import { createHandlers, createStoreProblemHandlers } from '../api/handlers';
import { chainParams } from '../bitcoin/chain/params';
import { createChainService } from '../bitcoin/chain/service';
import { createCoinsService } from '../bitcoin/coins/service';
import { createElectrumService } from '../bitcoin/electrum/service';
import { createWalletService } from '../bitcoin/wallet/service';
import { createMultisigService } from '../bitcoin/multisig/service';
import { createSendService } from '../bitcoin/send/service';
import { createHardwareForCore } from '../hardware/wire';
import { createNostrService } from '../nostr/service';
import { createMerchantService } from '../merchant/service';
import { openRemoteReaders } from '../merchant/nfc/remote-readers';
import { createActivityService } from '../activity/service';
import { createEcashService } from '../ecash/service';
import { createEcashSocialService } from '../ecash/social-service';
import { readActiveWords } from '../ecash/words';
import { createLightningService } from '../lightning/service';
import { createLndKind } from '../lightning/lnd/kind';
import { createBreezKindForCore } from '../lightning/breez/wire';
import { createLnurlHttp } from '../lightning/lnurl/http';
import { createNwcAppServices, createNwcKindForCore } from '../lightning/nwc/wire';
import { createWalletRootReader } from '../lightning/wallet-root';
import { openDatabase, type Db } from '../store/database';
import { createVaultService } from '../vault/service';
import { createBackupService } from '../backup/service';
import { createPriceService } from '../prices/service';
import type { AppConfig } from './config';
import type { EventBus } from './event-bus';
import { createEventBus } from './event-bus';
import type { Logger } from './logger';
import { createSettingsService } from './settings';

export interface FlashCore {
  dispatcher: Dispatcher;
  bus: EventBus;
  log: Logger;
  info: AppInfo;
  storeProblem: StoreProblem | null;
  databasePath: string;
  /** Locks the vault now, e.g. when the OS suspends or the screen locks. */
  lockNow(): void;
  start(): void;
  stop(): void;
}

export function profileDatabasePath(config: Pick<AppConfig, 'dataDir' | 'profile'>): string {
  return path.join(config.dataDir, 'profiles', config.profile, 'flash.db');
}

/**
 * Builds every service of one profile with its dependencies passed in, in start order. Nothing
 * here imports Electron, so the same core runs in the Electron shell, browser mode and tests.
 */
export function createFlashCore(config: AppConfig, log: Logger): FlashCore {
  const bus = createEventBus();
  const info: AppInfo = {
    version: config.version,
    mode: config.mode,
    platform: process.platform,
    profile: config.profile,
    dataDir: config.dataDir,
  };
  const databasePath = profileDatabasePath(config);

  let db: Db;
  try {
    db = openDatabase(databasePath);
  } catch (err) {
    if (!(err instanceof FlashError) || !isStoreCode(err.code)) throw err;
    const storeProblem: StoreProblem = { code: err.code, message: err.message, path: databasePath };
    log.error('store unavailable', { code: err.code, path: databasePath });
    const dispatcher = createDispatcher({
      handlers: createStoreProblemHandlers(info, storeProblem, config.defaultNetwork),
      log,
    });
    return { dispatcher, bus, log, info, storeProblem, databasePath, lockNow() {}, start() {}, stop() {} };
  }

  const settings = createSettingsService({
    db,
    bus,
    defaultNetwork: config.defaultNetwork,
    electrumOverride: config.electrumOverride,
  });
  const vault = createVaultService({ db, bus, log: log.child('vault'), kdf: config.kdf });
  const electrum = createElectrumService({
    db,
    bus,
    log: log.child('electrum'),
    initialServer: settings.electrumServer(settings.get().network),
    fallbackServers: settings.get().electrumFallbacks[settings.get().network],
    proxy: settings.get().electrumProxy,
    expectedGenesis: () => chainParams(settings.get().network).genesisHash,
  });
  const chain = createChainService({
    db,
    electrum,
    bus,
    log: log.child('chain'),
    network: () => settings.get().network,
  });
  const wallet = createWalletService({
    db,
    vault,
    electrum,
    bus,
    settings,
    log: log.child('wallet'),
    verifier: chain,
    chain,
  });
  const send = createSendService({ db, vault, electrum, bus, log: log.child('send') });
  // Test-only devices (simulated Ledger, Trezor and NFC reader): browser mode on regtest, asked for.
  const simulatedDevices =
    config.mode === 'browser' && config.simulatedDevices === true && config.defaultNetwork === 'regtest';
  const simulatedNfc = simulatedDevices ? (config.simulatedNfc ?? null) : null;
  const hardware = createHardwareForCore({
    db,
    log: log.child('hardware'),
    network: () => settings.get().network,
    wallet,
    send,
    simulatedDevices,
  });
  // Multisig wallets are accounts of the wallet service, signed cosigner by cosigner into send's drafts.
  const multisig = createMultisigService({
    db,
    wallets: wallet,
    vault,
    send,
    network: () => settings.get().network,
    log: log.child('multisig'),
    devices: hardware,
  });
  const coins = createCoinsService({ db, bus, log: log.child('coins') });
  const nostr = createNostrService({
    db,
    vault,
    bus,
    log: log.child('nostr'),
    ...(config.nostrRelays ? { defaultRelays: config.nostrRelays } : {}),
    // One proxy setting for the whole app: relays and NIP-05 would otherwise leak the IP.
    proxy: settings.get().electrumProxy,
  });
  const merchant = createMerchantService({
    db,
    vault,
    bus,
    log: log.child('merchant'),
    receiptsDir: path.join(config.dataDir, 'profiles', config.profile, 'receipts'),
    sendNostrReceipt: (input) => nostr.sendReceipt(input),
    sendNostrMessage: (input) => nostr.sendMessage(input),
    desktop: config.desktopMerchant ?? null,
    ...(simulatedNfc ? { openNfcReaders: () => openRemoteReaders(simulatedNfc) } : {}),
    // Offline eCash at the counter goes through the wallet's eCash service (made below; called
    // only once the app runs).
    ecash: {
      listMints: () => ecash.listMints(),
      decodeToken: (text) => ecash.decodeToken(text),
      receive: (text) => ecash.receive(text),
      getOperation: (id) => ecash.getOperation(id),
      listOperations: (limit, offset) => ecash.listOperations(limit, offset),
      // Rewards paid as tokens from the merchant's own eCash.
      balances: () => ecash.balances(),
      send: (input) => ecash.send(input),
      sentToken: (id) => ecash.sentToken(id),
      recover: () => ecash.recover(),
    },
  });

  // NWC wallets speak over the NOSTR service's relay pool (no second relay client).
  const nwcKind = createNwcKindForCore(nostr, log);
  // The user's own LND node over REST (through the SOCKS5 proxy when one is set).
  const lndKind = createLndKind({ proxy: () => settings.get().electrumProxy });
  // Breez SDK Liquid, embedded, on the active account's recovery words.
  const breezKind = createBreezKindForCore({
    db,
    vault,
    config,
    activeWalletId: (n) => wallet.activeWalletId(n),
    log: log.child('lightning'),
  });
  const lightning = createLightningService({
    db,
    vault,
    bus,
    log: log.child('lightning'),
    network: () => settings.get().network,
    // One proxy setting for the whole app: LNURL fetches go through it too.
    proxy: () => settings.get().electrumProxy,
    walletRoot: createWalletRootReader({
      db,
      vault,
      network: () => settings.get().network,
      activeWalletId: (n) => wallet.activeWalletId(n),
    }),
    // Backends by kind (see the top of main/lightning/service.ts): each registers here.
    kinds: { lnd: lndKind, nwc: nwcKind.kind, breez: breezKind },
  });
  // eCash: its Cashu seed comes from the active account's words (NUT-13); Lightning pays its quotes.
  const ecash = createEcashService({
    db,
    vault,
    bus,
    log: log.child('ecash'),
    network: () => settings.get().network,
    words: () =>
      readActiveWords({
        db,
        vault,
        network: settings.get().network,
        walletId: wallet.activeWalletId(settings.get().network),
      }),
    lightning: { pay: (input) => lightning.pay(input) },
    lnurlGet: createLnurlHttp({
      network: () => settings.get().network,
      proxy: () => settings.get().electrumProxy,
    }),
  });
  // One feed for every rail: on-chain, Lightning and eCash.
  const activity = createActivityService({ wallet, coins, lightning, ecash });
  // eCash with other people: tokens in chats, NUT-18 requests, nutzaps, the NIP-60 backup.
  const ecashSocial = createEcashSocialService({ ecash, nostr, bus, log: log.child('ecash') });
  // Flash as an NWC service for other apps, and zaps: both pay through the Lightning service.
  const nwc = createNwcAppServices({
    db,
    vault,
    bus,
    log: log.child('nwc'),
    nostr,
    port: nwcKind.port,
    lightning,
    lnurlGet: createLnurlHttp({
      network: () => settings.get().network,
      proxy: () => settings.get().electrumProxy,
    }),
    network: () => settings.get().network,
  });

  // Backups: one encrypted file of the whole profile; after a restore the wallet syncs again.
  const backup = createBackupService({
    db,
    vault,
    bus,
    log: log.child('backup'),
    appVersion: config.version,
    defaultFolder: path.join(config.dataDir, 'backups', config.profile),
    kdf: config.kdf,
    // The restored settings may name another network or server: followers switch, then it syncs.
    afterRestore: () => {
      bus.emit('settings.changed', settings.get());
      void electrum.reconnect();
    },
    recoverEcash: (mintUrls) => ecash.restore(mintUrls),
    desktop: config.desktopBackup ?? null,
    network: () => settings.get().network,
  });

  // Fiat prices for the wallet screens: off until the user picks a source; through the proxy.
  const prices = createPriceService({
    db,
    bus,
    log,
    proxy: () => settings.get().electrumProxy,
  });

  const dispatcher = createDispatcher({
    handlers: createHandlers({
      info,
      vault,
      backup,
      settings,
      wallet,
      electrum,
      nostr,
      send,
      coins,
      hardware,
      merchant,
      lightning,
      activity,
      nwc,
      ecash,
      ecashSocial,
      multisig,
      prices,
    }),
    log: log.child('api'),
    onActivity: () => vault.touch(),
    isVaultLocked: () => vault.status().state === 'locked',
    // Cashier mode locks the whole bridge to the counter, not just the UI.
    isCashierMode: () => merchant.cashierActive(),
  });

  let network: Network = settings.get().network;
  let stopFollowingSettings: (() => void) | null = null;

  return {
    dispatcher,
    bus,
    log,
    info,
    storeProblem: null,
    databasePath,
    lockNow() {
      if (vault.status().state === 'unlocked') vault.lock();
    },
    start() {
      vault.start();
      electrum.start();
      chain.start();
      wallet.start();
      send.start();
      coins.start();
      nostr.start();
      merchant.start();
      lightning.start();
      nwc.start();
      ecash.start();
      ecashSocial.start();
      backup.start();
      prices.start();
      const initial = settings.get();
      let fallbacks = JSON.stringify(initial.electrumFallbacks[network]);
      let proxy = JSON.stringify(initial.electrumProxy);
      stopFollowingSettings = bus.on('settings.changed', (next) => {
        // Fallbacks first: setServer rebuilds the pool from them.
        const nextFallbacks = JSON.stringify(next.electrumFallbacks[next.network]);
        if (nextFallbacks !== fallbacks) {
          fallbacks = nextFallbacks;
          electrum.setFallbackServers?.(next.electrumFallbacks[next.network]);
        }
        const nextProxy = JSON.stringify(next.electrumProxy);
        if (nextProxy !== proxy) {
          proxy = nextProxy;
          electrum.setProxy?.(next.electrumProxy);
          nostr.setProxy(next.electrumProxy);
        }
        const server = settings.electrumServer(next.network);
        const current = electrum.status().server;
        if (next.network !== network || !sameServer(server, current)) {
          network = next.network;
          electrum.setServer(server);
        }
      });
      log.info('started', { profile: config.profile, network, mode: config.mode });
    },
    stop() {
      stopFollowingSettings?.();
      prices.stop();
      void backup.stop();
      void hardware.stop();
      ecashSocial.stop();
      void ecash.stop();
      nwc.stop();
      void lightning.stop();
      merchant.stop();
      nostr.stop();
      coins.stop();
      send.stop();
      wallet.stop();
      chain.stop();
      electrum.stop();
      vault.stop();
      db.close();
      log.info('stopped');
    },
  };
}

function isStoreCode(code: string): code is StoreProblem['code'] {
  return code === 'STORE_CORRUPT' || code === 'STORE_NEWER_VERSION' || code === 'STORE_UNAVAILABLE';
}

function sameServer(a: { host: string; port: number; transport: string }, b: typeof a): boolean {
  return a.host === b.host && a.port === b.port && a.transport === b.transport;
}
