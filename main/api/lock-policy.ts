import type { MethodName, SettingsPatch } from '../../shared/contract';

/**
 * What each bridge method may do while the vault is locked. Someone at a locked computer (or a
 * page holding the browser-mode token) must not be able to change where money is sent or seen,
 * or delete anything: the password is what stands between them and the wallet's configuration.
 *
 * - `open`: allowed while locked. Reads, unlocking itself, and actions that change nothing stored
 *   (cancel a device prompt, reconnect).
 * - `unlocked`: refused with VAULT_LOCKED while locked.
 * - `fields`: refused while locked when the input sets any of `guarded`; the other fields are
 *   listed in `open` so that a new field has to be classified too.
 *
 * One table, enforced in one place (the dispatcher). `Record<MethodName, …>` makes a new
 * contract method fail to compile until it is classified here.
 */
export type LockRule =
  | { whileLocked: 'open' }
  | { whileLocked: 'unlocked' }
  | { whileLocked: 'fields'; guarded: readonly string[]; open: readonly string[] };

const OPEN = { whileLocked: 'open' } as const;
const UNLOCKED = { whileLocked: 'unlocked' } as const;

/** Settings that decide which servers we trust and how we reach them: where money is seen. */
const SETTINGS_GUARDED = [
  'network',
  'electrumServer',
  'electrumFallbacks',
  'electrumProxy',
] as const satisfies readonly (keyof SettingsPatch)[];
/** Look and language only: the lock screen may follow the user's language. */
const SETTINGS_OPEN = ['language', 'theme'] as const satisfies readonly (keyof SettingsPatch)[];

export const LOCK_POLICY: Readonly<Record<MethodName, LockRule>> = {
  'app.getInfo': OPEN,
  'app.getState': OPEN,

  'vault.getStatus': OPEN,
  // Setup refuses itself once a vault exists; unlock and lock are how the lock is operated.
  'vault.setup': OPEN,
  'vault.unlock': OPEN,
  'vault.lock': OPEN,
  // Touching a locked vault does nothing; it is how the UI reports activity.
  'vault.touch': OPEN,
  // Proves the current password itself, which is exactly what unlocking asks for.
  'vault.changePassword': OPEN,
  'vault.setAutoLock': UNLOCKED,
  // Asks the password again and needs the unsealed words: the vault answers VAULT_LOCKED itself.
  'vault.revealRecoveryWords': OPEN,

  // Status and the file list hold no secret and change nothing.
  'backup.getStatus': OPEN,
  'backup.list': OPEN,
  // Writing a backup reads every secret; opening or restoring one writes them into the vault;
  // turning automatic backups on or off changes where copies of the wallet go.
  'backup.create': UNLOCKED,
  'backup.inspect': UNLOCKED,
  'backup.restore': UNLOCKED,
  'backup.setAuto': UNLOCKED,
  // Only opens the system's dialog; what is picked is used by the calls above, each guarded.
  'backup.choose': UNLOCKED,

  'settings.get': OPEN,
  'settings.update': { whileLocked: 'fields', guarded: SETTINGS_GUARDED, open: SETTINGS_OPEN },

  'wallet.list': OPEN,
  'wallet.getOverview': OPEN,
  'wallet.listActivity': OPEN,
  'wallet.getTransaction': OPEN,
  'wallet.exportAccount': OPEN,
  'wallet.createDraft': UNLOCKED,
  'wallet.confirmDraft': UNLOCKED,
  'wallet.restore': UNLOCKED,
  'wallet.addAccount': UNLOCKED,
  'wallet.importWatchOnly': UNLOCKED,
  'wallet.setActive': UNLOCKED,
  'wallet.rename': UNLOCKED,
  'wallet.setGapLimit': UNLOCKED,
  'wallet.remove': UNLOCKED,

  'electrum.getStatus': OPEN,
  // Reconnects to the configured server; changes no setting.
  'electrum.reconnect': OPEN,
  // Trusting a new certificate decides which server's word we take about our coins.
  'electrum.trustNewCertificate': UNLOCKED,

  'coins.list': OPEN,
  'coins.labels': OPEN,
  'coins.exportLabels': OPEN,
  'coins.exportHistoryCsv': OPEN,
  'coins.setFrozen': UNLOCKED,
  'coins.setLabel': UNLOCKED,
  'coins.importLabels': UNLOCKED,

  'send.estimateFees': OPEN,
  'send.exportPsbt': OPEN,
  'send.exportPsbtUr': OPEN,
  'send.verifyMessage': OPEN,
  'send.prepare': UNLOCKED,
  'send.confirm': UNLOCKED,
  // Lets a draft with a fee that looks like a mistake be signed.
  'send.acceptFee': UNLOCKED,
  'send.pending': OPEN,
  'send.bumpFee': UNLOCKED,
  'send.cpfp': UNLOCKED,
  'send.importPsbt': UNLOCKED,
  'send.signMessage': UNLOCKED,

  'nostr.getIdentity': OPEN,
  'nostr.listRelays': OPEN,
  'nostr.listConversations': OPEN,
  'nostr.getMessages': OPEN,
  'nostr.searchMessages': OPEN,
  'nostr.listChannels': OPEN,
  'nostr.getChannelPosts': OPEN,
  'nostr.listContacts': OPEN,
  'nostr.getPeople': OPEN,
  'nostr.getMerchantProfile': OPEN,
  'nostr.verifyNip05': OPEN,
  // Asks the vault password again; the vault answers VAULT_LOCKED itself while locked.
  'nostr.exportNcryptsec': OPEN,
  'nostr.createIdentity': UNLOCKED,
  'nostr.importIdentity': UNLOCKED,
  'nostr.updateProfile': UNLOCKED,
  'nostr.setRelays': UNLOCKED,
  'nostr.sendMessage': UNLOCKED,
  'nostr.markRead': UNLOCKED,
  'nostr.createChannel': UNLOCKED,
  'nostr.updateChannel': UNLOCKED,
  'nostr.joinChannel': UNLOCKED,
  'nostr.leaveChannel': UNLOCKED,
  'nostr.postToChannel': UNLOCKED,
  'nostr.follow': UNLOCKED,
  'nostr.unfollow': UNLOCKED,
  // The merchant profile tells customers how to pay: where money is sent.
  'nostr.setMerchantProfile': UNLOCKED,
  'nostr.sendReceipt': UNLOCKED,

  'nwcService.list': OPEN,
  // Making or revoking an app's spending link changes who may spend: the password first.
  'nwcService.create': UNLOCKED,
  'nwcService.revoke': UNLOCKED,
  'zaps.list': OPEN,
  'zaps.send': UNLOCKED,

  'hardware.listDevices': OPEN,
  'hardware.getPreferences': OPEN,
  // Reads a device's fingerprint, or shows an address on its screen; nothing stored changes.
  'hardware.connect': OPEN,
  'hardware.verifyAddress': OPEN,
  'hardware.cancel': OPEN,
  // Test-only switch of the simulated device (regtest with --simulated-devices); no wallet data.
  'hardware.simulatorSetApproval': OPEN,
  'hardware.importAccount': UNLOCKED,
  'hardware.signDraft': UNLOCKED,
  // "Always verify on device" is a safety setting; turning it off must take the password.
  'hardware.setPreferences': UNLOCKED,

  // The counter's reads: the API key they need is in the vault, which refuses while locked.
  'merchant.getStatus': OPEN,
  'merchant.getCounter': OPEN,
  'merchant.listStores': OPEN,
  'merchant.listApps': OPEN,
  'merchant.quote': OPEN,
  'merchant.getSale': OPEN,
  'merchant.history': OPEN,
  'merchant.dailyTotals': OPEN,
  'merchant.exportSalesCsv': OPEN,
  'merchant.receiptLink': OPEN,
  'merchant.getDisplay': OPEN,
  'merchant.cardStatus': OPEN,
  'merchant.getReceiptSettings': OPEN,
  // Whether receipts print on their own, and in which language.
  'merchant.setReceiptSettings': UNLOCKED,
  // The customer display only shows what the counter shows.
  'merchant.showCart': OPEN,
  'merchant.openCustomerDisplay': OPEN,
  'merchant.cancelAuthorize': OPEN,
  // Entering cashier mode only takes rights away; leaving proves the PIN or the password itself.
  'merchant.enterCashierMode': OPEN,
  'merchant.leaveCashierMode': OPEN,
  // Which store and app receive the money, and the key that speaks for the store.
  'merchant.connect': UNLOCKED,
  'merchant.startAuthorize': UNLOCKED,
  'merchant.disconnect': UNLOCKED,
  'merchant.selectApp': UNLOCKED,
  'merchant.setTaxSettings': UNLOCKED,
  'merchant.charge': UNLOCKED,
  // Money back to a customer.
  'merchant.refund': UNLOCKED,
  'merchant.printReceipt': UNLOCKED,
  'merchant.receiptHtml': UNLOCKED,
  'merchant.sendReceipt': UNLOCKED,
  'merchant.setCashierPin': UNLOCKED,
  // A tap spends from a card; programming and wiping create or give up what the store owes.
  'merchant.cardPay': UNLOCKED,
  'merchant.cardBalance': UNLOCKED,
  'merchant.cardProgram': UNLOCKED,
  'merchant.cardWipe': UNLOCKED,
  'merchant.cardTopUp': UNLOCKED,
  'merchant.getRewardRules': OPEN,
  'merchant.getReward': OPEN,
  // Rewards are money the store gives: issuing, sending and their rules need the open vault.
  'merchant.setRewardRules': UNLOCKED,
  'merchant.issueReward': UNLOCKED,
  'merchant.sendReward': UNLOCKED,
  // Counting a customer's stamps reads BTCPay (and a card's UID); it moves nothing.
  'merchant.stampCard': OPEN,
  // eCash at the counter: which mints the store trusts is the manager's; taking a token journals
  // sealed proofs; the list of eCash sales shows amounts only.
  'merchant.getCounterEcash': OPEN,
  'merchant.setCounterEcash': UNLOCKED,
  'merchant.ecashRequest': UNLOCKED,
  'merchant.ecashAccept': UNLOCKED,
  'merchant.ecashSales': OPEN,

  'lightning.listProviders': OPEN,
  'lightning.getStatus': OPEN,
  'lightning.listPayments': OPEN,
  'lightning.getPayment': OPEN,
  // Connections decide where Lightning money is sent and seen; their secrets are in the vault.
  'lightning.connectProvider': UNLOCKED,
  'lightning.removeProvider': UNLOCKED,
  'lightning.setDefaultProvider': UNLOCKED,
  // Resolving an LNURL or address dials a stranger's server: not for someone at a locked screen.
  'lightning.parse': UNLOCKED,
  'lightning.prepare': UNLOCKED,
  'lightning.confirm': UNLOCKED,
  'lightning.createInvoice': UNLOCKED,
  'lightning.withdraw': UNLOCKED,
  // Signs with a key derived from the wallet's words.
  'lightning.auth': UNLOCKED,
  // Swaps (Breez): limits and the refundable list only read; the rest moves or promises money.
  'lightning.swapLimits': OPEN,
  'lightning.listRefundables': OPEN,
  'lightning.receiveOnchain': UNLOCKED,
  'lightning.prepareOnchainSend': UNLOCKED,
  'lightning.confirmOnchainSend': UNLOCKED,
  'lightning.prepareRefund': UNLOCKED,
  'lightning.refund': UNLOCKED,
  'lightning.feeQuote': UNLOCKED,
  'lightning.acceptFee': UNLOCKED,

  'activity.feed': OPEN,
  'activity.exportCsv': OPEN,

  // Reads of what is stored: balances show while locked (amounts are plain; proofs are sealed).
  'ecash.listMints': OPEN,
  'ecash.balances': OPEN,
  'ecash.listOperations': OPEN,
  'ecash.getOperation': OPEN,
  // Fetching a stranger's mint info dials out: not for someone at a locked screen.
  'ecash.previewMint': UNLOCKED,
  // Which mints hold the money, and every step that moves it, takes the password.
  'ecash.addMint': UNLOCKED,
  'ecash.removeMint': UNLOCKED,
  'ecash.refreshMint': UNLOCKED,
  'ecash.mintQuote': UNLOCKED,
  'ecash.payMintQuote': UNLOCKED,
  'ecash.checkMintQuote': UNLOCKED,
  'ecash.prepareMelt': UNLOCKED,
  'ecash.prepareMove': UNLOCKED,
  'ecash.confirmMelt': UNLOCKED,
  'ecash.send': UNLOCKED,
  // A pending token is bearer money: showing it again is handing it out again.
  'ecash.sentToken': UNLOCKED,
  'ecash.reclaim': UNLOCKED,
  // Checking a token's DLEQ and lock needs our key (from the seed in the vault).
  'ecash.decodeToken': UNLOCKED,
  'ecash.receive': UNLOCKED,
  'ecash.p2pkKey': UNLOCKED,
  'ecash.restore': UNLOCKED,
  // Recovery needs the sealed proofs; while locked it has nothing to do.
  'ecash.recover': UNLOCKED,

  // A multisig wallet is an account: adding one changes where money is seen, like importWatchOnly.
  'multisig.importWallet': UNLOCKED,
  'multisig.createWallet': UNLOCKED,
  // Needs the unsealed words.
  'multisig.seedCosigner': UNLOCKED,
  'multisig.getWallet': OPEN,
  // Public keys only, as wallet.exportAccount.
  'multisig.exportWallet': OPEN,
  'multisig.signingProgress': OPEN,
  // Both change a payment that can move money.
  'multisig.signWithSeed': UNLOCKED,
  'multisig.addSignatures': UNLOCKED,
  // Device requests: a new cosigner key, a registration kept, an address shown, a signature added.
  'multisig.deviceCosigner': UNLOCKED,
  'multisig.registerOnDevice': UNLOCKED,
  'multisig.verifyAddress': OPEN,
  // Reads scanned QR text handed in by the page; nothing stored is read or changed.
  'scan.urProgress': OPEN,
  'multisig.signWithDevice': UNLOCKED,
  // Public keys only, as exportWallet.
  'multisig.backupSheet': OPEN,
  // The draft's PSBT in another text form, as send.exportPsbtUr.
  'multisig.exportPsbtBbqr': OPEN,
  // Amounts per keyset, like the balances: plain numbers, readable while locked.
  'ecash.keysetBalances': OPEN,
  // eCash with other people: reading a chat's cards needs its messages (sealed with the vault),
  // paying or publishing moves money or speaks for the user; what a request received and
  // someone's public nutzap info are reads.
  'ecash.sendInChat': UNLOCKED,
  'ecash.chatPayments': UNLOCKED,
  'ecash.claimChatToken': UNLOCKED,
  'ecash.createPaymentRequest': UNLOCKED,
  'ecash.decodePaymentRequest': UNLOCKED,
  'ecash.payPaymentRequest': UNLOCKED,
  'ecash.paymentRequestPayments': OPEN,
  'ecash.nutzapInfo': OPEN,
  'ecash.publishNutzapInfo': UNLOCKED,
  'ecash.nutzap': UNLOCKED,
  'ecash.checkNutzaps': UNLOCKED,
  'ecash.backupWallet': UNLOCKED,
  'ecash.restoreWallet': UNLOCKED,
  // Fiat prices: reading and asking again change nothing stored; choosing a source decides which
  // server this computer talks to, as the Electrum and proxy settings do.
  'prices.get': OPEN,
  'prices.refresh': OPEN,
  'prices.configure': UNLOCKED,
};

/** Whether `method`, called with this (already validated) input, must wait for the vault to unlock. */
export function needsUnlockedVault(method: MethodName, input: unknown): boolean {
  const rule = LOCK_POLICY[method];
  switch (rule.whileLocked) {
    case 'open':
      return false;
    case 'unlocked':
      return true;
    case 'fields': {
      if (typeof input !== 'object' || input === null) return true;
      const fields = input as Record<string, unknown>;
      return rule.guarded.some((field) => fields[field] !== undefined);
    }
  }
}
