import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { describe, expect, it } from 'vitest';
import type { LightningPaymentView } from '../../shared/contract';
import { isFlashError } from '../../shared/errors';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createLnurlHttp } from '../../main/lightning/lnurl/http';
import { createNwcAppServices, createNwcKindForCore } from '../../main/lightning/nwc/wire';
import { createLightningService } from '../../main/lightning/service';
import { LightningLedger } from '../stack/lightning/ledger';
import { startNwcWallet } from '../stack/lightning/nwc-wallet';
import { startZapServer } from '../stack/lightning/zap-server';
import { outsideApp } from '../support/nwc-app';
import { startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';

const suite = useNostrSuite('flash-nwc-journal-');
const SAT = 1000n;
const ROOT = HDKey.fromMasterSeed(
  mnemonicToSeedSync(
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  ),
);

/**
 * Flash as the app wires it (main/core/container.ts): the NWC kind registered with the real
 * Lightning service, the NWC service and zaps paying through that service's journal.
 */
async function flashWithNwcWallet() {
  const userRelay = await suite.relay();
  const walletRelay = await suite.relay();
  const ledger = new LightningLedger();
  suite.cleanup.add(() => ledger.close());
  ledger.createNode('stack', { balanceMsat: 100_000_000n * SAT });
  const wallet = await startNwcWallet({
    ledger,
    node: 'flash-wallet',
    relays: [walletRelay.url],
    variant: 'both',
    balanceMsat: 1_000_000n * SAT,
    alias: 'Alby Hub (stack)',
  });
  suite.cleanup.add(() => wallet.stop());
  const user = await startNostrUser(suite.dir, 'flash', [userRelay.url], {
    cleanup: suite.cleanup,
    setRelays: 'expect-ok',
  });
  const bus = createEventBus();
  const payments: LightningPaymentView[] = [];
  bus.on('lightning.payment', (p) => payments.push(p));
  const nwcKind = createNwcKindForCore(user.nostr, silentLogger, { requestMs: 2000, payMs: 3000 });
  const lnurlGet = createLnurlHttp({ network: () => 'regtest', proxy: () => null });
  const lightning = createLightningService({
    db: user.db,
    vault: user.vault,
    bus,
    log: silentLogger,
    network: () => 'regtest',
    kinds: { nwc: nwcKind.kind },
    proxy: () => null,
    walletRoot: () => ROOT,
    lnurlGet,
    reconcileEveryMs: 300,
  });
  lightning.start();
  suite.cleanup.add(() => lightning.stop());
  const nwc = createNwcAppServices({
    db: user.db,
    vault: user.vault,
    bus,
    log: silentLogger,
    nostr: user.nostr,
    port: nwcKind.port,
    lightning,
    lnurlGet,
    network: () => 'regtest',
  });
  nwc.start();
  suite.cleanup.add(() => nwc.stop());
  return { ledger, wallet, user, lightning, nwc, payments, userRelay };
}

describe('NWC through the Lightning service', () => {
  it('connects a wallet by URI (secret sealed, never in settings), pays journaled, receives live', async () => {
    const { ledger, wallet, user, lightning } = await flashWithNwcWallet();
    const bad = await lightning
      .connectProvider({ kind: 'nwc', uri: 'nostr+walletconnect://nope?secret=11' })
      .catch((e: unknown) => e);
    expect(isFlashError(bad) && bad.code).toBe('NWC_INVALID_URI');

    const view = await lightning.connectProvider({ kind: 'nwc', uri: wallet.uri });
    expect(view).toMatchObject({
      kind: 'nwc',
      state: 'connected',
      isDefault: true,
      alias: 'Alby Hub (stack)',
    });
    // The secret lives in the vault only: nowhere in the database's plain tables.
    const secretHex =
      new URL(wallet.uri.replace('nostr+walletconnect://', 'http://x/')).searchParams.get('secret') ?? '';
    const dump = JSON.stringify(user.db.prepare(`SELECT * FROM lightning_providers`).all());
    expect(dump).not.toContain(secretHex);

    const invoice = ledger.createInvoice('stack', { amountMsat: 12_000n * SAT, description: 'books' });
    const prepared = await lightning.prepare({ text: invoice.bolt11 });
    const paid = await lightning.confirm(prepared.prepareId);
    expect(paid).toMatchObject({ state: 'succeeded', providerKind: 'nwc', preimage: invoice.preimage });
    expect(ledger.lookupInvoice('stack', invoice.paymentHash)?.state).toBe('settled');

    const created = await lightning.createInvoice({ amountMsat: 3_000n * SAT, description: 'refund' });
    await ledger.pay('stack', created.bolt11);
    await until('the incoming payment is settled in the journal', () =>
      lightning
        .listPayments(20, 0)
        .find((p) => p.paymentHash === created.paymentHash && p.state === 'succeeded'),
    );
  });

  it('a relay that drops the wallet’s replies: the payment stays pending, is looked up, never paid twice', async () => {
    const { ledger, wallet, lightning } = await flashWithNwcWallet();
    await lightning.connectProvider({ kind: 'nwc', uri: wallet.uri });
    wallet.fault = 'drop-replies';
    const invoice = ledger.createInvoice('stack', { amountMsat: 5_000n * SAT });
    const prepared = await lightning.prepare({ text: invoice.bolt11 });
    const started = lightning.confirm(prepared.prepareId);
    // The wallet pays at once; its answer never comes back.
    await until(
      'the ledger settles',
      () => ledger.lookupInvoice('stack', invoice.paymentHash)?.state === 'settled',
    );
    wallet.fault = 'none';
    const first = await started;
    expect(['pending', 'succeeded']).toContain(first.state);
    await until(
      'the journal learns the outcome',
      () =>
        lightning.listPayments(20, 0).find((p) => p.paymentHash === invoice.paymentHash)?.state ===
        'succeeded',
      40_000,
    );
    const again = await lightning.prepare({ text: invoice.bolt11 }).catch((e: unknown) => e);
    expect(isFlashError(again) && again.code).toBe('LIGHTNING_ALREADY_PAID');
    expect(wallet.paysExecuted()).toBe(1);
    expect(
      ledger.listPayments('flash-wallet').filter((p) => p.paymentHash === invoice.paymentHash),
    ).toHaveLength(1);
  });

  it('Flash as an NWC service: an app’s payment is journaled with its name; over budget is refused', async () => {
    const { ledger, wallet, lightning, nwc } = await flashWithNwcWallet();
    await lightning.connectProvider({ kind: 'nwc', uri: wallet.uri });
    const { uri } = await nwc.nwcService.create({
      name: 'Primal',
      budgetSats: 5_000,
      budgetPeriod: 'week',
      methods: ['pay_invoice', 'get_balance'],
    });
    const app = await outsideApp(uri, 'nip44_v2');
    suite.cleanup.add(() => app.close());
    await until('the info event', () => app.info());
    const within = ledger.createInvoice('stack', { amountMsat: 2_000n * SAT });
    const ok = await app.request('pay_invoice', { invoice: within.bolt11 }, 15_000);
    expect(ok.answer).toMatchObject({ error: null, result: { preimage: within.preimage } });
    const row = lightning.listPayments(20, 0).find((p) => p.paymentHash === within.paymentHash);
    expect(row).toMatchObject({ origin: 'nwc:Primal', state: 'succeeded', direction: 'outgoing' });

    const over = ledger.createInvoice('stack', { amountMsat: 3_500n * SAT });
    const refused = await app.request('pay_invoice', { invoice: over.bolt11 }, 15_000);
    expect(refused.answer).toMatchObject({ error: { code: 'QUOTA_EXCEEDED' } });
    expect(lightning.listPayments(20, 0).some((p) => p.paymentHash === over.paymentHash)).toBe(false);
    expect(ledger.lookupInvoice('stack', over.paymentHash)?.state).toBe('open');
  });

  it('a zap pays through the journal (origin zap) and its receipt is validated', async () => {
    const { ledger, wallet, lightning, nwc, userRelay } = await flashWithNwcWallet();
    await lightning.connectProvider({ kind: 'nwc', uri: wallet.uri });
    const zapServer = await startZapServer({ ledger });
    suite.cleanup.add(() => zapServer.stop());
    ledger.createNode('bob-zaps');
    const lud16 = zapServer.addUser('bob', 'bob-zaps');
    const bob = await startNostrUser(suite.dir, 'bob', [userRelay.url], {
      cleanup: suite.cleanup,
      setRelays: 'expect-ok',
    });
    await bob.nostr.updateProfile({ name: 'Bob', lud16 });
    const out = await nwc.zaps.zap({ recipient: bob.pubkey, amountSats: 210, comment: 'for the talk' });
    expect(out.state).toBe('succeeded');
    expect(lightning.getPayment(out.paymentId)).toMatchObject({ origin: 'zap', state: 'succeeded' });
    expect(ledger.balance('bob-zaps').balanceMsat).toBe(210n * SAT);
    let found = await nwc.zaps.receipts({ recipient: bob.pubkey });
    for (let i = 0; i < 30 && found.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      found = await nwc.zaps.receipts({ recipient: bob.pubkey });
    }
    expect(found[0]).toMatchObject({
      amountMsat: 210n * SAT,
      comment: 'for the talk',
      recipient: bob.pubkey,
    });
  });
});
