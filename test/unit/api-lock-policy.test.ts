import { describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, SettingsPatch, type MethodName } from '../../shared/contract';
import { createDispatcher, type Handlers } from '../../main/api/dispatcher';
import { LOCK_POLICY, needsUnlockedVault } from '../../main/api/lock-policy';
import { silentLogger } from '../../main/core/logger';

const ID = 'w1';
const TXID = 'ab'.repeat(32);
const PUBKEY = 'cd'.repeat(32);
const ADDRESS = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
const MERCHANT_CART = {
  lines: [{ itemId: 'latte', count: 1 }],
  discountPercent: null,
  tipAmount: null,
  tipPercent: null,
};

/**
 * One valid input per method, so the dispatcher gets past validation and the lock rule is what
 * answers. `Record<MethodName, …>`: a new method needs a sample here too.
 */
const SAMPLE_INPUTS: Record<MethodName, unknown> = {
  'app.getInfo': {},
  'app.getState': {},
  'vault.getStatus': {},
  'vault.setup': { password: 'correct horse battery' },
  'vault.unlock': { password: 'x' },
  'vault.lock': {},
  'vault.touch': {},
  'vault.changePassword': { current: 'x', next: 'correct horse battery' },
  'vault.setAutoLock': { minutes: 0 },
  'vault.revealRecoveryWords': { walletId: ID, password: 'x' },
  'backup.getStatus': {},
  'backup.list': {},
  'backup.create': { password: 'correct horse battery' },
  'backup.inspect': { path: '/tmp/x.flashbak', password: 'x' },
  'backup.restore': { path: '/tmp/x.flashbak', password: 'x' },
  'backup.setAuto': { enabled: false },
  'backup.choose': { kind: 'folder' },
  'settings.get': {},
  'prices.get': {},
  'prices.configure': { source: 'mempool' },
  'prices.refresh': {},
  'settings.update': { electrumServer: { host: 'evil.example', port: 50002, transport: 'tls' } },
  'wallet.list': {},
  'wallet.createDraft': { wordCount: 12 },
  'wallet.confirmDraft': { draftId: 'd1', checks: [], name: 'Main' },
  'wallet.restore': { words: ['abandon'], name: 'Main' },
  'wallet.getOverview': { walletId: ID },
  'wallet.listActivity': { walletId: ID },
  'wallet.getTransaction': { walletId: ID, txid: TXID },
  'wallet.addAccount': { seedWalletId: ID, accountType: 'bip86', accountIndex: 1, name: 'Taproot' },
  'wallet.importWatchOnly': { name: 'Cold', key: 'vpub...' },
  'wallet.setActive': { walletId: ID },
  'wallet.rename': { walletId: ID, name: 'Renamed' },
  'wallet.setGapLimit': { walletId: ID, gapLimit: { receive: 1, change: 1 } },
  'wallet.remove': { walletId: ID },
  'wallet.exportAccount': { walletId: ID },
  'electrum.getStatus': {},
  'electrum.reconnect': {},
  'electrum.trustNewCertificate': {},
  'coins.list': { walletId: ID },
  'coins.setFrozen': { walletId: ID, outpoints: [`${TXID}:0`], frozen: true },
  'coins.setLabel': { walletId: ID, type: 'tx', ref: TXID, label: 'x' },
  'coins.labels': { walletId: ID },
  'coins.exportLabels': { walletId: ID },
  'coins.importLabels': { walletId: ID, jsonl: '' },
  'coins.exportHistoryCsv': { walletId: ID },
  'send.estimateFees': {},
  'send.prepare': { walletId: ID, outputs: [{ address: ADDRESS, sats: 1000 }], feeRate: 2 },
  'send.confirm': { draftId: 'd1' },
  'send.acceptFee': { draftId: 'd1', feeSats: 150_000 },
  'send.pending': { walletId: ID },
  'send.bumpFee': { walletId: ID, txid: TXID, feeRate: 5 },
  'send.cpfp': { walletId: ID, txid: TXID, feeRate: 5 },
  'send.importPsbt': { walletId: ID, data: 'cHNidP8=' },
  'send.exportPsbt': { draftId: 'd1' },
  'send.exportPsbtUr': { draftId: 'd1' },
  'send.signMessage': { walletId: ID, address: ADDRESS, message: 'hi' },
  'send.verifyMessage': { address: ADDRESS, message: 'hi', signature: 'sig' },
  'nostr.getIdentity': {},
  'nostr.createIdentity': {},
  'nostr.importIdentity': { kind: 'words', words: 'abandon' },
  'nostr.exportNcryptsec': { vaultPassword: 'x', exportPassword: 'y' },
  'nostr.updateProfile': { profile: { name: 'me' } },
  'nostr.verifyNip05': { pubkey: PUBKEY, nip05: 'me@example.com' },
  'nostr.listRelays': {},
  'nostr.setRelays': { relays: [] },
  'nostr.listConversations': {},
  'nostr.getMessages': { conversationId: PUBKEY },
  'nostr.searchMessages': { query: 'hi' },
  'nostr.sendMessage': { to: [PUBKEY], text: 'hi' },
  'nostr.markRead': { conversationId: PUBKEY },
  'nostr.listChannels': {},
  'nostr.createChannel': { name: 'c' },
  'nostr.updateChannel': { channelId: PUBKEY, name: 'c' },
  'nostr.joinChannel': { ref: PUBKEY },
  'nostr.leaveChannel': { channelId: PUBKEY },
  'nostr.getChannelPosts': { channelId: PUBKEY },
  'nostr.postToChannel': { channelId: PUBKEY, text: 'hi' },
  'nostr.listContacts': {},
  'nostr.follow': { pubkey: PUBKEY },
  'nostr.unfollow': { pubkey: PUBKEY },
  'nostr.getPeople': { pubkeys: [PUBKEY] },
  'nostr.getMerchantProfile': {},
  'nostr.setMerchantProfile': { profile: { businessName: 'Shop' } },
  'nostr.sendReceipt': {
    to: [PUBKEY],
    receipt: { items: [{ description: 'Coffee', quantity: 1, unitSats: 1000 }] },
  },
  'nwcService.list': {},
  'nwcService.create': { name: 'Damus', budgetSats: 1000, budgetPeriod: 'day', methods: ['pay_invoice'] },
  'nwcService.revoke': { id: 'c1' },
  'zaps.send': { recipient: PUBKEY, amountSats: 21 },
  'zaps.list': { recipient: PUBKEY },
  'hardware.listDevices': {},
  'hardware.connect': { deviceId: 'dev' },
  'hardware.importAccount': { deviceId: 'dev', name: 'Ledger' },
  'hardware.verifyAddress': { walletId: ID, address: ADDRESS },
  'hardware.signDraft': { draftId: 'd1' },
  'hardware.getPreferences': {},
  'hardware.setPreferences': { alwaysVerify: false },
  'hardware.simulatorSetApproval': { approve: true },
  'hardware.cancel': {},
  'merchant.getStatus': {},
  'merchant.connect': { serverUrl: 'https://pay.example.com', apiKey: 'a'.repeat(40) },
  'merchant.startAuthorize': { serverUrl: 'https://pay.example.com' },
  'merchant.cancelAuthorize': {},
  'merchant.disconnect': {},
  'merchant.listStores': {},
  'merchant.listApps': { storeId: 'store1' },
  'merchant.selectApp': { storeId: 'store1', appId: 'app1' },
  'merchant.getCounter': {},
  'merchant.setTaxSettings': { defaultTaxRate: '0', taxIncluded: false, tipTaxRate: '0' },
  'merchant.quote': MERCHANT_CART,
  'merchant.charge': MERCHANT_CART,
  'merchant.getSale': { invoiceId: 'inv1' },
  'merchant.showCart': { clear: true },
  'merchant.history': { from: 0, to: 1 },
  'merchant.dailyTotals': { days: 7 },
  'merchant.exportSalesCsv': { from: 0, to: 1 },
  'merchant.cardStatus': {},
  'merchant.cardPay': { invoiceId: 'abc' },
  'merchant.cardBalance': {},
  'merchant.cardProgram': { sats: 1000 },
  'merchant.cardWipe': { giveUpSats: 0 },
  'merchant.cardTopUp': { sats: 1000 },
  'merchant.getRewardRules': {},
  'merchant.setRewardRules': {
    enabled: true,
    kind: 'fixed',
    sats: 100,
    percent: '1',
    minimumSale: '0',
    expiryDays: 30,
  },
  'merchant.getReward': { invoiceId: 'abc' },
  'merchant.issueReward': { invoiceId: 'abc' },
  'merchant.sendReward': { invoiceId: 'abc', to: 'npub1x' },
  'merchant.stampCard': { customer: { kind: 'card', value: '04a1b2c3d4e5f6' } },
  'merchant.getCounterEcash': {},
  'merchant.setCounterEcash': { trustedMints: ['https://mint.example'], maxSats: 5000 },
  'merchant.ecashRequest': MERCHANT_CART,
  'merchant.ecashAccept': { requestId: '11111111-1111-4111-8111-111111111111', token: 'cashuBexampletoken' },
  'merchant.ecashSales': {},
  'merchant.getReceiptSettings': {},
  'merchant.setReceiptSettings': { language: 'es', autoPrint: true, layout: '80mm' },
  'merchant.refund': { invoiceId: 'inv1', variant: 'RateThen' },
  'merchant.printReceipt': { invoiceId: 'inv1' },
  'merchant.receiptHtml': { invoiceId: 'inv1' },
  'merchant.sendReceipt': { invoiceId: 'inv1', to: 'npub1x' },
  'merchant.receiptLink': { invoiceId: 'inv1' },
  'merchant.setCashierPin': { pin: '1234' },
  'merchant.enterCashierMode': {},
  'merchant.leaveCashierMode': { pin: '1234' },
  'merchant.getDisplay': {},
  'merchant.openCustomerDisplay': {},
  'lightning.listProviders': {},
  'lightning.connectProvider': { kind: 'nwc', uri: 'nostr+walletconnect://' + PUBKEY },
  'lightning.removeProvider': { providerId: 'p1' },
  'lightning.setDefaultProvider': { providerId: 'p1' },
  'lightning.getStatus': {},
  'lightning.parse': { text: 'alice@example.com' },
  'lightning.prepare': { text: 'alice@example.com', amountMsat: '1000' },
  'lightning.confirm': { prepareId: 'x1' },
  'lightning.createInvoice': { amountMsat: '1000', description: 'tip' },
  'lightning.listPayments': {},
  'lightning.getPayment': { id: 'x1' },
  'lightning.withdraw': { text: 'lnurlw://example.com/w', amountMsat: '1000' },
  'lightning.auth': { text: 'keyauth://example.com/a?tag=login&k1=' + PUBKEY },
  'lightning.swapLimits': {},
  'lightning.receiveOnchain': { amountSats: 50_000 },
  'lightning.prepareOnchainSend': {
    address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
    amountSats: 50_000,
  },
  'lightning.confirmOnchainSend': { prepareId: 'x1' },
  'lightning.listRefundables': {},
  'lightning.prepareRefund': {
    providerId: 'p1',
    swapAddress: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
    toAddress: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
    feeRateSatPerVb: 2,
  },
  'lightning.refund': {
    providerId: 'p1',
    swapAddress: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
    toAddress: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
    feeRateSatPerVb: 2,
  },
  'lightning.feeQuote': { paymentId: 'x1' },
  'lightning.acceptFee': { paymentId: 'x1' },
  'activity.feed': { walletId: ID },
  'activity.exportCsv': { walletId: ID },
  'ecash.listMints': {},
  'ecash.previewMint': { url: 'https://mint.example' },
  'ecash.addMint': { url: 'https://mint.example' },
  'ecash.removeMint': { url: 'https://mint.example' },
  'ecash.refreshMint': { url: 'https://mint.example' },
  'ecash.balances': {},
  'ecash.mintQuote': { mintUrl: 'https://mint.example', unit: 'sat', amount: 100 },
  'ecash.payMintQuote': { operationId: '11111111-1111-4111-8111-111111111111' },
  'ecash.checkMintQuote': { operationId: '11111111-1111-4111-8111-111111111111' },
  'ecash.prepareMelt': { text: 'lnbcrt1', unit: 'sat' },
  'ecash.prepareMove': { from: 'https://a.example', to: 'https://b.example', unit: 'sat', amount: 10 },
  'ecash.confirmMelt': { prepareId: '11111111-1111-4111-8111-111111111111' },
  'ecash.send': { mintUrl: 'https://mint.example', unit: 'sat', amount: 10 },
  'ecash.sentToken': { operationId: '11111111-1111-4111-8111-111111111111' },
  'ecash.reclaim': { operationId: '11111111-1111-4111-8111-111111111111' },
  'ecash.decodeToken': { token: 'cashuB' },
  'ecash.receive': { token: 'cashuB' },
  'ecash.p2pkKey': {},
  'ecash.restore': { mints: ['https://mint.example'] },
  'ecash.listOperations': {},
  'ecash.getOperation': { id: '11111111-1111-4111-8111-111111111111' },
  'ecash.recover': {},
  'multisig.importWallet': { name: 'Vault', text: 'wsh(sortedmulti(1,x))' },
  'multisig.createWallet': {
    name: 'Vault',
    script: 'wsh',
    threshold: 1,
    cosigners: [{ kind: 'watch', label: 'A', key: 'x' }],
  },
  'multisig.seedCosigner': { seedWalletId: 'w1', script: 'wsh', account: 0 },
  'multisig.getWallet': { walletId: 'w1' },
  'multisig.exportWallet': { walletId: 'w1', format: 'bsms' },
  'multisig.signingProgress': { draftId: 'd1' },
  'multisig.signWithSeed': { draftId: 'd1', fingerprint: '73c5da0a' },
  'multisig.addSignatures': { draftId: 'd1', data: 'cHNidP8=' },
  'multisig.deviceCosigner': { deviceId: 'simulated:ledger-1', script: 'wsh', account: 0 },
  'multisig.registerOnDevice': { walletId: 'w1', fingerprint: '73c5da0a' },
  'multisig.verifyAddress': { walletId: 'w1', fingerprint: '73c5da0a', chain: 0, index: 0 },
  'multisig.signWithDevice': { draftId: 'd1', fingerprint: '73c5da0a' },
  'multisig.backupSheet': { walletId: 'w1', language: 'en' },
  'multisig.exportPsbtBbqr': { draftId: 'd1' },
  'scan.urProgress': { parts: ['ur:bytes/hdcxdwtlpfcpvldyjl'] },
  'ecash.keysetBalances': { url: 'https://mint.example' },
  'ecash.sendInChat': { to: PUBKEY, amount: 10 },
  'ecash.chatPayments': { conversationId: PUBKEY },
  'ecash.claimChatToken': { conversationId: PUBKEY, messageId: PUBKEY },
  'ecash.createPaymentRequest': { amount: 10 },
  'ecash.decodePaymentRequest': { request: 'creqAexample' },
  'ecash.payPaymentRequest': { request: 'creqAexample' },
  'ecash.paymentRequestPayments': { id: 'abcdef0123456789' },
  'ecash.nutzapInfo': { pubkey: PUBKEY },
  'ecash.publishNutzapInfo': {},
  'ecash.nutzap': { to: PUBKEY, amount: 21 },
  'ecash.checkNutzaps': {},
  'ecash.backupWallet': {},
  'ecash.restoreWallet': {},
};

/** Handlers that only record that they ran (their answers may fail the output schema: irrelevant). */
function recordingDispatcher(locked: boolean) {
  const called: string[] = [];
  const handlers = Object.fromEntries(
    METHOD_NAMES.map((m) => [
      m,
      () => {
        called.push(m);
        return { done: true };
      },
    ]),
  ) as unknown as Handlers;
  const dispatcher = createDispatcher({ handlers, log: silentLogger, isVaultLocked: () => locked });
  return { dispatcher, called };
}

const guarded = METHOD_NAMES.filter((m) => LOCK_POLICY[m].whileLocked === 'unlocked');
const open = METHOD_NAMES.filter((m) => LOCK_POLICY[m].whileLocked === 'open');

describe('lock policy', () => {
  it('classifies every contract method, and only those', () => {
    expect(Object.keys(LOCK_POLICY).sort()).toEqual([...METHOD_NAMES].sort());
    for (const m of METHOD_NAMES)
      expect(['open', 'unlocked', 'fields'], m).toContain(LOCK_POLICY[m].whileLocked);
  });

  it('guards at least what issue 10 names: servers, proxy, removal, watch-only and device import, gap limits', () => {
    for (const m of [
      'wallet.remove',
      'wallet.importWatchOnly',
      'hardware.importAccount',
      'wallet.setGapLimit',
      'electrum.trustNewCertificate',
      'nostr.setRelays',
      'nostr.unfollow',
      'nostr.leaveChannel',
    ] as const) {
      expect(LOCK_POLICY[m].whileLocked, m).toBe('unlocked');
    }
    const rule = LOCK_POLICY['settings.update'];
    expect(rule.whileLocked === 'fields' && [...rule.guarded].sort()).toEqual(
      ['electrumFallbacks', 'electrumProxy', 'electrumServer', 'network'].sort(),
    );
  });

  it('classifies every settings field, so a new one must be decided', () => {
    const rule = LOCK_POLICY['settings.update'];
    if (rule.whileLocked !== 'fields') throw new Error('settings.update must be field-based');
    expect([...rule.guarded, ...rule.open].sort()).toEqual(Object.keys(SettingsPatch.shape).sort());
    expect(rule.guarded.filter((f) => rule.open.includes(f))).toEqual([]);
  });

  it('has a valid sample input for every method', () => {
    for (const m of METHOD_NAMES) {
      const parsed = contract[m].input.safeParse(SAMPLE_INPUTS[m]);
      expect(parsed.success, `${m}: ${parsed.error?.issues[0]?.message}`).toBe(true);
    }
  });

  it.each(guarded)('%s answers VAULT_LOCKED while locked, without running', async (method) => {
    const { dispatcher, called } = recordingDispatcher(true);
    const result = await dispatcher.dispatch(method, SAMPLE_INPUTS[method]);
    expect(result).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    expect(called).toEqual([]);
  });

  it.each(open)('%s still runs while locked', async (method) => {
    const { dispatcher, called } = recordingDispatcher(true);
    await dispatcher.dispatch(method, SAMPLE_INPUTS[method]);
    expect(called).toEqual([method]);
  });

  it.each(METHOD_NAMES)('%s runs when the vault is not locked', async (method) => {
    const { dispatcher, called } = recordingDispatcher(false);
    await dispatcher.dispatch(method, SAMPLE_INPUTS[method]);
    expect(called).toEqual([method]);
  });

  it.each([
    [{ electrumServer: { host: 'evil.example', port: 50002, transport: 'tls' } }, true],
    [{ electrumFallbacks: [] }, true],
    [{ electrumProxy: null }, true],
    [{ electrumProxy: { host: '127.0.0.1', port: 9050 } }, true],
    [{ network: 'mainnet' }, true],
    [{ language: 'es', network: 'mainnet' }, true],
    [{ language: 'es' }, false],
    [{ theme: 'dark', language: 'en' }, false],
    [{}, false],
  ])('settings.update %j while locked: refused = %s', async (patch, refused) => {
    expect(needsUnlockedVault('settings.update', SettingsPatch.parse(patch))).toBe(refused);
    const { dispatcher, called } = recordingDispatcher(true);
    const result = await dispatcher.dispatch('settings.update', patch);
    if (refused) {
      expect(result).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
      expect(called).toEqual([]);
    } else {
      expect(called).toEqual(['settings.update']);
    }
  });

  it('validates input before the lock: malformed input is still BAD_INPUT', async () => {
    const { dispatcher } = recordingDispatcher(true);
    expect(await dispatcher.dispatch('wallet.remove', { walletId: 42 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
  });
});
