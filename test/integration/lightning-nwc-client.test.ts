import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { createNwcProvider } from '../../main/lightning/nwc/provider';
import { poolPort } from '../../main/lightning/nwc/relays';
import { parseNwcUri } from '../../main/lightning/nwc/uri';
import type { LightningPayment, ProviderEvent } from '../../main/lightning/provider';
import { LightningError } from '../../main/lightning/provider';
import { LightningLedger } from '../stack/lightning/ledger';
import type { NwcWalletVariant } from '../stack/lightning/nwc-wallet';
import { NWC_WALLET_VARIANTS, startNwcWallet } from '../stack/lightning/nwc-wallet';
import { startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';

const suite = useNostrSuite('flash-nwc-client-');
const SAT = 1000n;

async function setup(
  variant: NwcWalletVariant,
  opts: { timeouts?: { requestMs?: number; payMs?: number }; clockBehindSec?: number } = {},
) {
  // The wallet listens on its own relay; the user's NOSTR relays are others (as with Alby Hub).
  const walletRelay = await suite.relay();
  const userRelay = await suite.relay();
  const ledger = new LightningLedger();
  suite.cleanup.add(() => ledger.close());
  ledger.createNode('stack', { balanceMsat: 100_000_000n * SAT });
  const wallet = await startNwcWallet({
    ledger,
    node: `nwc-${variant}`,
    relays: [walletRelay.url],
    variant,
    balanceMsat: 1_000_000n * SAT,
    alias: `Stack NWC ${variant}`,
    ...(opts.clockBehindSec ? { clockBehindSec: opts.clockBehindSec } : {}),
  });
  suite.cleanup.add(() => wallet.stop());
  const user = await startNostrUser(suite.dir, `nwc-${variant}`, [userRelay.url], {
    cleanup: suite.cleanup,
    setRelays: 'expect-ok',
  });
  const uri = parseNwcUri(wallet.uri);
  const provider = createNwcProvider({
    walletPubkey: uri.walletPubkey,
    relays: uri.relays,
    secret: () => uri.secret,
    port: poolPort(user.nostr),
    log: silentLogger,
    timeouts: {
      infoMs: 3000,
      requestMs: opts.timeouts?.requestMs ?? 8000,
      payMs: opts.timeouts?.payMs ?? 10_000,
    },
    followUp: { everyMs: 300, forMs: 20_000 },
  });
  suite.cleanup.add(() => provider.disconnect());
  const events: ProviderEvent[] = [];
  provider.onEvent((e) => events.push(e));
  return { ledger, wallet, user, provider, events, walletRelay, userRelay };
}

const payments = (events: ProviderEvent[]): LightningPayment[] =>
  events.flatMap((e) => (e.type === 'payment' ? [e.payment] : []));

const bolt11Target = (ledger: LightningLedger, bolt11: string) => {
  const d = ledger.decode(bolt11);
  return { kind: 'bolt11' as const, invoice: bolt11, paymentHash: d.paymentHash, amountMsat: d.amountMsat };
};

describe.each(NWC_WALLET_VARIANTS.map((v) => [v]))('NWC provider against a %s wallet', (variant) => {
  it('connects, pays across the ledger, receives with a live notification, looks up and lists', async () => {
    const { ledger, wallet, user, provider, events } = await setup(variant);
    const info = await provider.connect();
    expect(info).toMatchObject({ kind: 'nwc', alias: `Stack NWC ${variant}`, network: 'regtest' });
    expect(info.capabilities).toEqual(
      expect.arrayContaining(['pay-invoice', 'make-invoice', 'lookup', 'list', 'balance', 'notifications']),
    );
    expect(provider.walletInfo()?.encryption).toBe(
      variant === 'nip44' || variant === 'both' ? 'nip44_v2' : 'nip04',
    );
    expect((await provider.balance()).spendableMsat).toBe(1_000_000n * SAT);

    // Pay the rest of the network.
    const invoice = ledger.createInvoice('stack', { amountMsat: 50_000n * SAT, description: 'coffee' });
    const prepared = await provider.preparePayment({ target: bolt11Target(ledger, invoice.bolt11) });
    expect(prepared).toMatchObject({ amountMsat: 50_000n * SAT, feeSetByBackend: true });
    const paid = await provider.sendPayment(prepared);
    expect(paid.state).toBe('succeeded');
    expect(paid.preimage).toBe(invoice.preimage);
    expect(bytesToHex(sha256(hexToBytes(paid.preimage ?? '')))).toBe(invoice.paymentHash);
    const fee = ledger.feeFor(50_000n * SAT, wallet.node, 'stack');
    expect(paid.feeMsat).toBe(fee);
    expect(ledger.lookupInvoice('stack', invoice.paymentHash)?.state).toBe('settled');
    expect(ledger.balance(wallet.node).balanceMsat).toBe(1_000_000n * SAT - 50_000n * SAT - fee);

    // Receive: the wallet makes the invoice, the network pays it, a notification says so.
    const created = await provider.createInvoice({ amountMsat: 20_000n * SAT, description: 'refund' });
    expect(created.amountMsat).toBe(20_000n * SAT);
    expect(ledger.decode(created.bolt11).paymentHash).toBe(created.paymentHash);
    await ledger.pay('stack', created.bolt11);
    const received = await until('payment_received notification', () =>
      payments(events).find((p) => p.paymentHash === created.paymentHash && p.state === 'succeeded'),
    );
    expect(received).toMatchObject({ direction: 'incoming', amountMsat: 20_000n * SAT });
    // Exactly one notification per payment, whatever the wallet sends for other schemes.
    await new Promise((r) => setTimeout(r, 300));
    expect(payments(events).filter((p) => p.paymentHash === created.paymentHash)).toHaveLength(1);

    expect(await provider.lookupPayment(created.paymentHash)).toMatchObject({
      state: 'succeeded',
      direction: 'incoming',
    });
    expect(await provider.lookupPayment(invoice.paymentHash)).toMatchObject({
      state: 'succeeded',
      direction: 'outgoing',
    });
    expect(await provider.lookupPayment('00'.repeat(32))).toBeNull();
    const list = await provider.listPayments({ limit: 10, offset: 0 });
    expect(list.map((p) => p.paymentHash)).toEqual(
      expect.arrayContaining([created.paymentHash, invoice.paymentHash]),
    );

    // The user changing their own NOSTR relays does not cut the wallet's relay.
    await user.nostr.setRelays([{ url: (await suite.relay()).url, read: true, write: true, dm: true }]);
    expect((await provider.balance()).spendableMsat).toBe(ledger.balance(wallet.node).spendableMsat);
  });

  it('maps the wallet’s refusals: insufficient balance and a restricted method', async () => {
    const { ledger, wallet, provider } = await setup(variant);
    await provider.connect();
    const big = ledger.createInvoice('stack', { amountMsat: 5_000_000n * SAT });
    const failed = await provider.sendPayment(
      await provider.preparePayment({ target: bolt11Target(ledger, big.bolt11) }),
    );
    expect(failed).toMatchObject({ state: 'failed', failure: 'insufficient-balance' });

    wallet.fault = 'restricted';
    wallet.restrictedMethods = ['pay_invoice', 'make_invoice'];
    const small = ledger.createInvoice('stack', { amountMsat: 1_000n * SAT });
    const refused = await provider.sendPayment(
      await provider.preparePayment({ target: bolt11Target(ledger, small.bolt11) }),
    );
    expect(refused).toMatchObject({ state: 'failed', failure: 'unauthorized' });
    const err = await provider
      .createInvoice({ amountMsat: 1000n, description: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LightningError);
    expect((err as LightningError).details).toMatchObject({ nwcCode: 'RESTRICTED' });
    expect(ledger.lookupInvoice('stack', small.paymentHash)?.state).toBe('open');
  });
});

describe('NWC faults', () => {
  it('a relay that drops replies: a typed timeout, and a payment neither lost nor paid twice', async () => {
    const { ledger, wallet, provider, events } = await setup('nip44', {
      timeouts: { requestMs: 1500, payMs: 2500 },
    });
    await provider.connect();
    wallet.fault = 'drop-replies';
    const err = await provider.balance().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LightningError);
    expect((err as LightningError).kind).toBe('timeout');

    const invoice = ledger.createInvoice('stack', { amountMsat: 7_000n * SAT });
    const pending = await provider.sendPayment(
      await provider.preparePayment({ target: bolt11Target(ledger, invoice.bolt11) }),
    );
    // The wallet paid, but we never heard: pending, not failed, not sent again.
    expect(pending.state).toBe('pending');
    expect(ledger.lookupInvoice('stack', invoice.paymentHash)?.state).toBe('settled');
    expect(wallet.paysExecuted()).toBe(1);

    wallet.fault = 'none';
    const settled = await until('follow-up lookup settles it', () =>
      payments(events).find((p) => p.paymentHash === invoice.paymentHash && p.state === 'succeeded'),
    );
    expect(settled.preimage).toBe(invoice.preimage);
    expect(wallet.paysExecuted()).toBe(1);
    expect(wallet.requestsSeen().pay_invoice).toBe(1);
    expect(
      ledger.listPayments(wallet.node).filter((p) => p.paymentHash === invoice.paymentHash),
    ).toHaveLength(1);
  });

  it('a wallet that is down: connecting says unreachable', async () => {
    const { wallet, provider } = await setup('both', { timeouts: { requestMs: 1500 } });
    wallet.fault = 'down';
    const err = await provider.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LightningError);
    expect((err as LightningError).kind).toBe('unreachable');
  });

  it('a slow wallet: answered within the wait, a typed timeout beyond it', async () => {
    const { wallet, provider } = await setup('nip04', { timeouts: { requestMs: 2000 } });
    await provider.connect();
    wallet.fault = 'slow';
    wallet.slowMs = 500;
    expect((await provider.balance()).spendableMsat).toBe(1_000_000n * SAT);
    wallet.slowMs = 3000;
    const err = await provider.balance().catch((e: unknown) => e);
    expect((err as LightningError).kind).toBe('timeout');
  });

  it('a wallet whose clock runs five minutes behind is still heard', async () => {
    const { provider, ledger, wallet } = await setup('nip44', { clockBehindSec: 300 });
    await provider.connect();
    expect((await provider.balance()).spendableMsat).toBe(ledger.balance(wallet.node).spendableMsat);
  });

  it('a wallet whose clock runs two minutes ahead does not drop our requests as expired', async () => {
    const { provider, ledger, wallet } = await setup('both', { clockBehindSec: -120 });
    await provider.connect();
    expect((await provider.balance()).spendableMsat).toBe(ledger.balance(wallet.node).spendableMsat);
  });
});
