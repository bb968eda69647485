import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { createNwcProvider } from '../../main/lightning/nwc/provider';
import { poolPort } from '../../main/lightning/nwc/relays';
import type { NwcBackend } from '../../main/lightning/nwc/service-side/backend';
import { createNwcWalletService, serviceKeySecretName } from '../../main/lightning/nwc/service-side/service';
import { createNwcServiceStore } from '../../main/lightning/nwc/service-side/store';
import { parseNwcUri } from '../../main/lightning/nwc/uri';
import type { LightningProvider } from '../../main/lightning/provider';
import { decodeBolt11 } from '../../shared/lightning/bolt11';
import { LightningLedger } from '../stack/lightning/ledger';
import { startNwcWallet } from '../stack/lightning/nwc-wallet';
import { outsideApp } from '../support/nwc-app';
import { startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';

const suite = useNostrSuite('flash-nwc-service-');
const SAT = 1000n;

/**
 * Flash's Lightning for these tests: its default provider is itself an NWC wallet on the ledger
 * (node "flash"), reached by Flash's NWC client. The backend goes straight to that provider.
 */
function backendOver(provider: LightningProvider, labels: Map<string, string>): NwcBackend {
  return {
    info: () => provider.info(),
    balance: () => provider.balance(),
    async preparePay({ invoice, amountMsat, origin }) {
      const d = decodeBolt11(invoice);
      const prepared = await provider.preparePayment({
        target: { kind: 'bolt11', invoice, paymentHash: d.paymentHash, amountMsat: d.amountMsat },
        ...(amountMsat !== undefined ? { amountMsat } : {}),
      });
      return {
        paymentHash: d.paymentHash,
        amountMsat: prepared.amountMsat,
        feeReserveMsat: 1_000n + prepared.amountMsat / 100n,
        description: d.description,
        confirm: () => {
          labels.set(d.paymentHash, origin.appName);
          return provider.sendPayment(prepared);
        },
      };
    },
    createInvoice: (request, origin) =>
      provider.createInvoice(request).then((c) => {
        labels.set(c.paymentHash, origin.appName);
        return c;
      }),
    lookup: (hash) => provider.lookupPayment(hash),
    onPayment: (listener) =>
      provider.onEvent((e) => {
        if (e.type === 'payment') listener(e.payment);
      }),
  };
}

async function setup() {
  const relayA = await suite.relay();
  const relayB = await suite.relay();
  const ledger = new LightningLedger();
  suite.cleanup.add(() => ledger.close());
  ledger.createNode('stack', { balanceMsat: 100_000_000n * SAT });
  const walletRelay = await suite.relay();
  const flashWallet = await startNwcWallet({
    ledger,
    node: 'flash',
    relays: [walletRelay.url],
    variant: 'nip44',
    balanceMsat: 1_000_000n * SAT,
  });
  suite.cleanup.add(() => flashWallet.stop());
  const flash = await startNostrUser(suite.dir, 'flash', [relayA.url, relayB.url], {
    cleanup: suite.cleanup,
    setRelays: 'expect-ok',
  });
  const port = poolPort(flash.nostr);
  const walletUri = parseNwcUri(flashWallet.uri);
  const provider = createNwcProvider({
    walletPubkey: walletUri.walletPubkey,
    relays: walletUri.relays,
    secret: () => walletUri.secret,
    port,
    log: silentLogger,
  });
  await provider.connect();
  suite.cleanup.add(() => provider.disconnect());
  const labels = new Map<string, string>();
  const service = createNwcWalletService({
    db: flash.db,
    vault: flash.vault,
    log: silentLogger,
    port,
    userRelays: () => flash.nostr.userRelays().write,
    backend: () => backendOver(provider, labels),
    payWaitMs: 5000,
  });
  service.start();
  suite.cleanup.add(() => service.stop());
  return { ledger, flash, service, labels, relayA, relayB, provider };
}

describe.each([['nip44_v2' as const], ['nip04' as const]])(
  'Flash as an NWC service, app speaking %s',
  (scheme) => {
    it('publishes its info, pays within the budget, refuses over it with QUOTA_EXCEEDED', async () => {
      const { ledger, service, labels, flash } = await setup();
      const { connection, uri } = await service.create({
        name: 'Damus',
        budgetSats: 10_000,
        budgetPeriod: 'day',
        methods: [
          'pay_invoice',
          'get_balance',
          'make_invoice',
          'lookup_invoice',
          'list_transactions',
          'get_info',
        ],
      });
      expect(connection).toMatchObject({ status: 'active', spentSats: 0, budgetSats: 10_000 });
      const app = await outsideApp(uri, scheme);
      suite.cleanup.add(() => app.close());

      const info = await until('info event', () => app.info());
      expect(info?.content.split(' ')).toEqual(
        expect.arrayContaining(['pay_invoice', 'get_balance', 'notifications']),
      );
      expect(info?.tags).toContainEqual(['encryption', 'nip44_v2 nip04']);

      const balance = await app.request('get_balance', {});
      // The app sees what its budget still allows, not the wallet.
      expect(balance.answer).toMatchObject({
        result_type: 'get_balance',
        error: null,
        result: { balance: 10_000_000 },
      });

      const within = ledger.createInvoice('stack', { amountMsat: 6_000n * SAT, description: 'zap' });
      const paid = await app.request('pay_invoice', { invoice: within.bolt11 });
      expect(paid.answer).toMatchObject({
        result_type: 'pay_invoice',
        error: null,
        result: { preimage: within.preimage },
      });
      expect(ledger.lookupInvoice('stack', within.paymentHash)?.state).toBe('settled');
      expect(labels.get(within.paymentHash)).toBe('Damus');
      await until('payment_sent notification', () =>
        app.notifications.find(
          (n) => (n as { notification_type: string }).notification_type === 'payment_sent',
        ),
      );

      const over = ledger.createInvoice('stack', { amountMsat: 4_000n * SAT });
      const refused = await app.request('pay_invoice', { invoice: over.bolt11 });
      expect(refused.answer).toMatchObject({ result_type: 'pay_invoice', error: { code: 'QUOTA_EXCEEDED' } });
      expect(ledger.lookupInvoice('stack', over.paymentHash)?.state).toBe('open');
      const view = service.list().find((c) => c.id === connection.id);
      expect(view?.spentSats).toBeGreaterThanOrEqual(6_000);
      expect(view?.spentSats).toBeLessThanOrEqual(6_010);

      // The same request delivered again after a restart (a relay replaying it) is answered again
      // from the request journal, never paid again.
      service.stop();
      flash.nostr.stop();
      flash.nostr.start();
      service.start();
      // Requests are ephemeral: the app's replay is only seen once the subscription is in place.
      await until('relays open again', () =>
        flash.nostr.relayStatuses().filter((r) => r.state === 'open').length >= 2 ? true : undefined,
      );
      await new Promise((r) => setTimeout(r, 300));
      const before = ledger.balance('flash').balanceMsat;
      const replay = await app.request('pay_invoice', {}, 8000, paid.event);
      expect(replay.answer).toMatchObject({ result: { preimage: within.preimage } });
      expect(ledger.balance('flash').balanceMsat).toBe(before);

      // Receiving through the app: its invoice, paid by the network, notified to it.
      const made = await app.request('make_invoice', { amount: 3_000_000, description: 'tip jar' });
      const bolt11 = (made.answer?.result as { invoice: string }).invoice;
      expect(decodeBolt11(bolt11).amountMsat).toBe(3_000_000n);
      await ledger.pay('stack', bolt11);
      await until('payment_received notification', () =>
        app.notifications.find(
          (n) => (n as { notification_type: string }).notification_type === 'payment_received',
        ),
      );
      const list = await app.request('list_transactions', {});
      const txs = (list.answer?.result as { transactions: { type: string; state: string }[] }).transactions;
      expect(txs.map((t) => `${t.type}:${t.state}`).sort()).toEqual(['incoming:settled', 'outgoing:settled']);
    });
  },
);

describe('NWC service permissions and revocation', () => {
  it('answers RESTRICTED for a method not granted, UNAUTHORIZED to a stranger, and nothing once revoked', async () => {
    const { ledger, service, flash } = await setup();
    const { connection, uri } = await service.create({
      name: 'Read-only site',
      budgetSats: 0,
      budgetPeriod: 'month',
      methods: ['get_info', 'make_invoice'],
    });
    const app = await outsideApp(uri, 'nip44_v2');
    suite.cleanup.add(() => app.close());
    const invoice = ledger.createInvoice('stack', { amountMsat: 1_000n * SAT });
    const r = await app.request('pay_invoice', { invoice: invoice.bolt11 });
    expect(r.answer).toMatchObject({ error: { code: 'RESTRICTED' } });
    const unknown = await app.request('sign_message', { message: 'x' });
    expect(unknown.answer).toMatchObject({ error: { code: 'NOT_IMPLEMENTED' } });

    // Someone who learned the wallet key but not the secret.
    const stranger = await outsideApp(
      uri.replace(/secret=[0-9a-f]+/, `secret=${'42'.repeat(32)}`),
      'nip44_v2',
    );
    suite.cleanup.add(() => stranger.close());
    expect((await stranger.request('get_info', {})).answer).toMatchObject({
      error: { code: 'UNAUTHORIZED' },
    });

    const revoked = await service.revoke(connection.id);
    expect(revoked.status).toBe('revoked');
    expect(flash.vault.hasSecret(serviceKeySecretName(connection.id))).toBe(false);
    const after = await app.request('get_info', {}, 1500);
    expect(after.answer).toBeNull();
    const info = await app.info();
    expect(info?.content).toBe('');
  });

  it('an expired connection is refused', async () => {
    const { service } = await setup();
    const soon = Math.floor(Date.now() / 1000) + 2;
    const { uri } = await service.create({
      name: 'Short-lived',
      budgetSats: 100,
      budgetPeriod: 'week',
      expiresAt: soon,
      methods: ['get_info'],
    });
    const app = await outsideApp(uri, 'nip04');
    suite.cleanup.add(() => app.close());
    await new Promise((r) => setTimeout(r, 2500));
    expect((await app.request('get_info', {})).answer).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect(service.list()[0]?.status).toBe('expired');
  });
});

describe('NWC service after a crash', () => {
  it('closes a request left running and settles its payment from the wallet’s answer', async () => {
    const { ledger, service, flash, provider } = await setup();
    const { connection } = await service.create({
      name: 'Crashy app',
      budgetSats: 10_000,
      budgetPeriod: 'month',
      methods: ['pay_invoice'],
    });
    service.stop();
    // What the crashed run left: the request journaled and running, the payment reserved pending,
    // while the wallet went on and paid.
    const invoice = ledger.createInvoice('stack', { amountMsat: 2_000n * SAT });
    const store = createNwcServiceStore(flash.db);
    const requestId = 'ee'.repeat(32);
    expect(
      store.beginRequest(
        { eventId: requestId, connectionId: connection.id, method: 'pay_invoice', encryption: 'nip44_v2' },
        1,
      ),
    ).toBeNull();
    store.reserve(
      {
        connectionId: connection.id,
        paymentHash: invoice.paymentHash,
        direction: 'outgoing',
        requestEventId: requestId,
        invoice: invoice.bolt11,
        description: null,
        amountMsat: 2_000n * SAT,
        feeMsat: 30_000n,
        state: 'pending',
        createdAt: Math.floor(Date.now() / 1000),
      },
      () => ({ ok: true }),
    );
    const d = decodeBolt11(invoice.bolt11);
    await provider.sendPayment(
      await provider.preparePayment({
        target: {
          kind: 'bolt11',
          invoice: invoice.bolt11,
          paymentHash: d.paymentHash,
          amountMsat: d.amountMsat,
        },
      }),
    );
    service.start();
    await until('the payment row follows the wallet', () =>
      store.payment(invoice.paymentHash, 'outgoing')?.state === 'succeeded' ? true : undefined,
    );
    expect(store.runningRequests()).toEqual([]);
    expect(
      store.beginRequest(
        { eventId: requestId, connectionId: connection.id, method: 'pay_invoice', encryption: 'nip44_v2' },
        2,
      ),
    ).toMatchObject({
      state: 'answered',
    });
    // The fee reserve became the fee paid: the budget counts what was spent.
    const spent = 2_000n * SAT + ledger.feeFor(2_000n * SAT, 'flash', 'stack');
    expect(service.list()[0]?.spentSats).toBe(Number((spent + 999n) / 1000n));
  });
});
