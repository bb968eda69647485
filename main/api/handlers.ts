import type { AppInfo, Network, StoreProblem } from '../../shared/contract';
import { METHOD_NAMES } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { ElectrumService } from '../bitcoin/electrum/types';
import type { WalletService } from '../bitcoin/wallet/types';
import type { SettingsService } from '../core/settings-service';
import type { CoinsService } from '../bitcoin/coins/service';
import type { SendService } from '../bitcoin/send/service';
import type { HardwareService } from '../hardware/service';
import type { ActivityService } from '../activity/service';
import type { LightningService } from '../lightning/service';
import { createLightningHandlers } from './handlers/lightning';
import type { EcashService } from '../ecash/service';
import { createEcashHandlers } from './handlers/ecash';
import type { EcashSocialService } from '../ecash/social-service';
import { createEcashSocialHandlers } from './handlers/ecash-social';
import type { MultisigService } from '../bitcoin/multisig/service';
import { createMultisigHandlers } from './handlers/multisig';
import { createScanHandlers } from './handlers/scan';
import type { NostrService } from '../nostr/service';
import type { NwcAppServices } from '../lightning/nwc/wire';
import { createNwcHandlers } from './handlers/nwc';
import type { MerchantService } from '../merchant/service';
import { createMerchantHandlers } from './handlers/merchant';
import type { VaultService } from '../vault/types';
import type { BackupService } from '../backup/service';
import { createBackupHandlers } from './handlers/backup';
import type { PriceService } from '../prices/service';
import { createPricesHandlers } from './handlers/prices';
import type { Handlers } from './dispatcher';

export interface ApiServices {
  info: AppInfo;
  vault: VaultService;
  backup: BackupService;
  settings: SettingsService;
  wallet: WalletService;
  electrum: ElectrumService;
  nostr: NostrService;
  send: SendService;
  coins: CoinsService;
  hardware: HardwareService;
  nwc: NwcAppServices;
  merchant: MerchantService;
  lightning: LightningService;
  activity: ActivityService;
  ecash: EcashService;
  ecashSocial: EcashSocialService;
  multisig: MultisigService;
  prices: PriceService;
}

const DONE = { done: true } as const;

/** Binds each contract method to the service that owns it. No logic beyond routing lives here. */
export function createHandlers(s: ApiServices): Handlers {
  const network = () => s.settings.get().network;
  return {
    'app.getInfo': () => s.info,
    'app.getState': () => ({
      storeProblem: null,
      vault: s.vault.status().state,
      network: network(),
      activeWalletId: s.wallet.activeWalletId(network()),
    }),
    'vault.getStatus': () => s.vault.status(),
    'vault.setup': ({ password }) => s.vault.setup(password),
    'vault.unlock': ({ password }) => s.vault.unlock(password),
    'vault.lock': () => s.vault.lock(),
    'vault.touch': () => {
      s.vault.touch();
      return DONE;
    },
    'vault.changePassword': ({ current, next }) => s.vault.changePassword(current, next),
    'vault.setAutoLock': ({ minutes }) => s.vault.setAutoLock(minutes),
    'vault.revealRecoveryWords': async ({ walletId, password }) => {
      await s.vault.verifyPassword(password);
      return s.wallet.recoveryWords(walletId);
    },
    'settings.get': () => s.settings.get(),
    'settings.update': (patch) => s.settings.update(patch),
    'wallet.list': () => s.wallet.list(),
    'wallet.createDraft': ({ wordCount }) => s.wallet.createDraft(wordCount),
    'wallet.confirmDraft': (input) => s.wallet.confirmDraft({ ...input, network: network() }),
    'wallet.restore': (input) => s.wallet.restore({ ...input, network: network() }),
    'wallet.getOverview': ({ walletId }) => s.wallet.overview(walletId),
    'wallet.listActivity': ({ walletId, limit, offset }) => s.wallet.activity(walletId, limit, offset),
    'wallet.getTransaction': ({ walletId, txid }) => s.wallet.transaction(walletId, txid),
    'wallet.addAccount': (input) => s.wallet.addAccount(input),
    'wallet.importWatchOnly': (input) => s.wallet.importWatchOnly({ ...input, network: network() }),
    'wallet.setActive': ({ walletId }) => {
      s.wallet.setActive(walletId);
      return DONE;
    },
    'wallet.rename': ({ walletId, name }) => s.wallet.rename(walletId, name),
    'wallet.setGapLimit': ({ walletId, gapLimit }) => s.wallet.setGapLimit(walletId, gapLimit),
    'wallet.remove': ({ walletId }) => {
      s.wallet.remove(walletId);
      return DONE;
    },
    'wallet.exportAccount': ({ walletId }) => s.wallet.exportAccount(walletId),
    'electrum.getStatus': () => s.electrum.status(),
    'electrum.reconnect': () => s.electrum.reconnect(),
    'electrum.trustNewCertificate': () => s.electrum.trustNewCertificate(),
    'coins.list': ({ walletId }) => s.coins.listUtxos(walletId),
    'coins.setFrozen': ({ walletId, outpoints, frozen }) => s.coins.setFrozen(walletId, outpoints, frozen),
    'coins.setLabel': (input) => {
      s.coins.setLabel(input);
      return DONE;
    },
    'coins.labels': ({ walletId }) => s.coins.labels(walletId),
    'coins.exportLabels': ({ walletId }) => ({ jsonl: s.coins.exportLabels(walletId) }),
    'coins.importLabels': ({ walletId, jsonl }) => s.coins.importLabels(walletId, jsonl),
    'coins.exportHistoryCsv': ({ walletId }) => ({ csv: s.coins.exportHistoryCsv(walletId) }),
    'send.estimateFees': () => s.send.estimateFees(),
    'send.prepare': (input) => s.send.prepare(input),
    'send.confirm': ({ draftId }) => s.send.signAndBroadcast(draftId),
    'send.acceptFee': (input) => s.send.acceptFee(input),
    'send.pending': ({ walletId }) => s.send.pending(walletId),
    'send.bumpFee': (input) => s.send.bumpFee(input),
    'send.cpfp': (input) => s.send.cpfp(input),
    'send.importPsbt': (input) => s.send.importPsbt(input),
    'send.exportPsbt': ({ draftId }) => ({ base64: s.send.exportPsbt(draftId).base64 }),
    'send.exportPsbtUr': ({ draftId, maxFragmentLength }) => ({
      parts: s.send.exportPsbtUr(draftId, maxFragmentLength),
    }),
    'send.signMessage': (input) => ({ signature: s.send.signMessage(input) }),
    'send.verifyMessage': (input) => ({
      valid: s.send.verifyMessage({ ...input, network: s.settings.get().network }),
    }),
    'nostr.getIdentity': () => s.nostr.getIdentity(),
    'nostr.createIdentity': () => s.nostr.createIdentity(),
    'nostr.importIdentity': (input) => s.nostr.importIdentity(input),
    'nostr.exportNcryptsec': (input) => s.nostr.exportNcryptsec(input),
    'nostr.updateProfile': ({ profile }) => s.nostr.updateProfile(profile),
    'nostr.verifyNip05': ({ pubkey, nip05 }) => s.nostr.verifyNip05(pubkey, nip05),
    'nostr.listRelays': () => s.nostr.listRelays(),
    'nostr.setRelays': ({ relays }) => s.nostr.setRelays(relays),
    'nostr.listConversations': () => s.nostr.listConversations(),
    'nostr.getMessages': (input) => s.nostr.getMessages(input),
    'nostr.searchMessages': (input) => s.nostr.searchMessages(input),
    'nostr.sendMessage': (input) => s.nostr.sendMessage(input),
    'nostr.markRead': (input) => s.nostr.markRead(input),
    'nostr.listChannels': () => s.nostr.listChannels(),
    'nostr.createChannel': (input) => s.nostr.createChannel(input),
    'nostr.updateChannel': (input) => s.nostr.updateChannel(input),
    'nostr.joinChannel': (input) => s.nostr.joinChannel(input),
    'nostr.leaveChannel': (input) => s.nostr.leaveChannel(input),
    'nostr.getChannelPosts': (input) => s.nostr.getChannelPosts(input),
    'nostr.postToChannel': (input) => s.nostr.postToChannel(input),
    'nostr.listContacts': () => s.nostr.listContacts(),
    'nostr.follow': (input) => s.nostr.follow(input),
    'nostr.unfollow': (input) => s.nostr.unfollow(input),
    'nostr.getPeople': (input) => s.nostr.getPeople(input),
    'nostr.getMerchantProfile': () => s.nostr.getMerchantProfile(),
    'nostr.setMerchantProfile': ({ profile }) => s.nostr.setMerchantProfile(profile),
    'nostr.sendReceipt': (input) => s.nostr.sendReceipt(input),
    'hardware.listDevices': () => s.hardware.listDevices(),
    'hardware.connect': ({ deviceId }) => s.hardware.connect(deviceId),
    'hardware.importAccount': (input) => s.hardware.importAccount(input),
    'hardware.verifyAddress': ({ walletId, address }) => s.hardware.verifyAddress(walletId, address),
    'hardware.signDraft': ({ draftId }) => s.hardware.signDraft(draftId),
    'hardware.getPreferences': () => s.hardware.preferences(),
    'hardware.setPreferences': (prefs) => s.hardware.setPreferences(prefs),
    'hardware.simulatorSetApproval': ({ approve }) => s.hardware.simulatorSetApproval(approve),
    'hardware.cancel': async () => {
      await s.hardware.cancel();
      return DONE;
    },
    ...createNwcHandlers(s),
    ...createMerchantHandlers(s),
    ...createLightningHandlers(s),
    ...createEcashHandlers(s),
    ...createEcashSocialHandlers(s),
    ...createMultisigHandlers(s),
    ...createScanHandlers(),
    ...createBackupHandlers(s),
    ...createPricesHandlers(s),
  };
}

/**
 * When the profile's database can't be opened, the app still answers: it reports the problem so
 * the renderer can show an error screen, and refuses everything else without touching the file.
 */
export function createStoreProblemHandlers(info: AppInfo, problem: StoreProblem, network: Network): Handlers {
  const refuse = (): never => {
    throw new FlashError(problem.code, problem.message, { path: problem.path });
  };
  const handlers = Object.fromEntries(METHOD_NAMES.map((m) => [m, refuse])) as unknown as Handlers;
  handlers['app.getInfo'] = () => info;
  handlers['app.getState'] = () => ({
    storeProblem: problem,
    vault: 'locked',
    network,
    activeWalletId: null,
  });
  return handlers;
}
