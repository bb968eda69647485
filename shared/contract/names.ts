/**
 * Method names only, without zod, so the sandboxed preload can build the client without bundling
 * the schemas. `contract.ts` checks at compile time that this list and the schemas agree.
 */
export const METHOD_NAMES = [
  'app.getInfo',
  'app.getState',
  'vault.getStatus',
  'vault.setup',
  'vault.unlock',
  'vault.lock',
  'vault.touch',
  'vault.changePassword',
  'vault.setAutoLock',
  'vault.revealRecoveryWords',
  'settings.get',
  'settings.update',
  'wallet.list',
  'wallet.createDraft',
  'wallet.confirmDraft',
  'wallet.restore',
  'wallet.getOverview',
  'wallet.listActivity',
  'electrum.getStatus',
  'electrum.reconnect',
  'electrum.trustNewCertificate',
  'coins.list',
  'coins.setFrozen',
  'coins.setLabel',
  'coins.labels',
  'coins.exportLabels',
  'coins.importLabels',
  'coins.exportHistoryCsv',
  'send.estimateFees',
  'send.prepare',
  'send.confirm',
  'send.bumpFee',
  'send.cpfp',
  'send.importPsbt',
  'send.exportPsbt',
  'send.signMessage',
  'send.verifyMessage',
  'nostr.getIdentity',
  'nostr.createIdentity',
  'nostr.importIdentity',
  'nostr.exportNcryptsec',
  'nostr.updateProfile',
  'nostr.verifyNip05',
  'nostr.listRelays',
  'nostr.setRelays',
  'nostr.listConversations',
  'nostr.getMessages',
  'nostr.searchMessages',
  'nostr.sendMessage',
  'nostr.markRead',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

export const EVENT_CHANNEL = 'flash:event';
export const methodChannel = (method: MethodName): string => `flash:${method}`;

/** Calls that must not count as user activity for the auto-lock timer (they are made by the UI on its own). */
export const PASSIVE_METHODS: ReadonlySet<MethodName> = new Set<MethodName>([
  'app.getInfo',
  'app.getState',
  'vault.getStatus',
  'electrum.getStatus',
  'settings.get',
  'nostr.getIdentity',
  'nostr.listRelays',
]);
