import path from 'node:path';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import type { BindingLiquidSdk, ConnectRequest } from '@breeztech/breez-sdk-liquid/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, Network } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import { sealWords } from '../../main/bitcoin/wallet/stored-words';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createBreezKind } from '../../main/lightning/breez/kind';
import type { BreezBackend } from '../../main/lightning/breez/sdk';
import type { LightningService } from '../../main/lightning/service';
import { createLightningService } from '../../main/lightning/service';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { VaultService } from '../../main/vault/types';
import { tempDir } from '../support/core';
import { until } from '../support/wait';
import type { BreezFault } from '../stack/lightning/breez-fake';
import { BreezStandIn, SWAPPER_NODE, standInBackend, walletFingerprint } from '../stack/lightning/breez-fake';
import { LightningLedger } from '../stack/lightning/ledger';

/**
 * The Breez provider through the real Lightning service (journal, recovery, events) against the
 * Breez stand-in, whose SDK class implements the SDK's own BindingLiquidSdk, on the shared ledger.
 */

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const WALLET_ID = 'w-breez';
const REGTEST_ADDRESS = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';

interface Harness {
  db: Db;
  vault: VaultService;
  lightning: LightningService;
  events: { name: EventName; payload: unknown }[];
}

/** What the SDK does to `sendPayment`/`payOnchain` in a crash test: call it, then never answer. */
type Hang = 'none' | 'after-call' | 'before-call';

let dir: string;
let ledger: LightningLedger;
let standIn: BreezStandIn;
let onchain: { address: string; sats: number; txid: string }[];
const harnesses: Harness[] = [];
const waitFor = <T>(fn: () => T | null | undefined | false) => until('the Breez service to catch up', fn);

function backendWith(hang: { mode: Hang }): BreezBackend {
  const base = standInBackend(standIn);
  return {
    ...base,
    async connect(request: ConnectRequest) {
      const sdk = await base.connect(request);
      // The app dies while the SDK call is out: the call may or may not have reached the SDK,
      // and from then on the dead app hears nothing more.
      const never = new Promise<never>(() => undefined);
      let dead = false;
      return new Proxy(sdk, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          // A dead app asks nothing more (no lookups by its timers); only its shutdown runs here.
          if (dead && typeof value === 'function' && prop !== 'disconnect' && prop !== 'removeEventListener')
            return () => never;
          if (prop === 'addEventListener')
            return (listener: { onEvent: (e: unknown) => void }) =>
              target.addEventListener({ onEvent: (e) => !dead && listener.onEvent(e) });
          if ((prop === 'sendPayment' || prop === 'payOnchain') && typeof value === 'function') {
            return (...args: unknown[]) => {
              if (hang.mode !== 'none') dead = true;
              if (hang.mode === 'before-call') return never;
              const out = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
              return hang.mode === 'after-call' ? out.then(() => never) : out;
            };
          }
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as BindingLiquidSdk;
    },
  };
}

async function open(
  opts: { network?: Network; hang?: { mode: Hang }; reuse?: { db: Db; vault: VaultService } } = {},
): Promise<Harness> {
  const network = opts.network ?? 'regtest';
  const db = opts.reuse?.db ?? openDatabase(path.join(dir, 'flash.db'));
  const bus = createEventBus();
  const vault =
    opts.reuse?.vault ?? createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  if (!opts.reuse) {
    await vault.setup('correct horse battery');
    db.prepare(
      `INSERT INTO wallets (id, name, network, account_type, account_path, xpub, fingerprint, signer, seed_wallet_id,
         created_at, announce_deposits) VALUES (?, 'Main', ?, 'bip84', ?, ?, ?, 'seed', ?, 0, 1)`,
    ).run(WALLET_ID, network, "m/84'/1'/0'", `xpub-test-${network}`, walletFingerprint(WORDS), WALLET_ID);
    sealWords(vault, WALLET_ID, { mnemonic: WORDS, passphrase: '' });
  }
  const events: Harness['events'] = [];
  bus.onAny((name, payload) => events.push({ name, payload }));
  const hang = opts.hang ?? { mode: 'none' as Hang };
  const lightning = createLightningService({
    db,
    vault,
    bus,
    log: silentLogger,
    network: () => network,
    kinds: {
      breez: createBreezKind({
        db,
        vault,
        backend: () => backendWith(hang),
        activeWalletId: () => WALLET_ID,
        profileDir: dir,
      }),
    },
    proxy: () => null,
    walletRoot: () => HDKey.fromMasterSeed(mnemonicToSeedSync(WORDS)),
    reconcileEveryMs: 100,
  });
  lightning.start();
  const h = { db, vault, lightning, events };
  harnesses.push(h);
  return h;
}

async function connected(h: Harness): Promise<string> {
  const view = await h.lightning.connectProvider({ kind: 'breez' });
  expect(view).toMatchObject({ state: 'connected', isDefault: true, kind: 'breez' });
  return view.id;
}

function events<E extends EventName>(h: Harness, name: E): EventPayload<E>[] {
  return h.events.filter((e) => e.name === name).map((e) => e.payload as EventPayload<E>);
}

async function rejects(p: Promise<unknown>, code: string): Promise<FlashError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(FlashError);
  expect((err as FlashError).code).toBe(code);
  return err as FlashError;
}

/** Receives `sats` into the Breez wallet: an invoice of ours, paid by the stack's node. */
async function fund(h: Harness, sats: number): Promise<void> {
  const invoice = await h.lightning.createInvoice({
    amountMsat: BigInt(sats) * 1000n,
    description: 'top up',
  });
  const paid = await ledger.pay('stack', invoice.bolt11);
  expect(paid.state).toBe('succeeded');
  await waitFor(() => h.lightning.getPayment(invoice.paymentId).state === 'succeeded');
  await waitFor(() => standIn.walletOf(walletFingerprint(WORDS))?.balanceSat);
}

function balance(): number {
  return standIn.walletOf(walletFingerprint(WORDS))?.balanceSat ?? 0;
}

function setFault(f: BreezFault): void {
  standIn.setFault(f);
}

beforeEach(() => {
  dir = tempDir('flash-breez-');
  ledger = new LightningLedger({ settleDelayMs: 10, stuckMs: 2_000 });
  ledger.createNode('stack', { balanceMsat: 100_000_000_000n });
  onchain = [];
  standIn = new BreezStandIn({
    ledger,
    stepMs: 20,
    paymentTimeoutMs: 600,
    sendOnchain: (address, sats) => {
      const txid = (onchain.length + 1).toString(16).padStart(64, '0');
      onchain.push({ address, sats, txid });
      return { txid };
    },
  });
});

afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.lightning.stop();
    h.db.close();
  }
  standIn.close();
  ledger.close();
});

describe('Breez provider through the Lightning service (stand-in SDK on the shared ledger)', () => {
  it('connects on the wallet’s own recovery words, without an API key on regtest', async () => {
    const h = await open();
    const id = await connected(h);
    // The SDK wallet is the one of the words' BIP32 root: the same fingerprint.
    const root = HDKey.fromMasterSeed(mnemonicToSeedSync(WORDS));
    expect(standIn.walletOf(root.fingerprint.toString(16).padStart(8, '0'))).not.toBeNull();
    const view = h.lightning.listProviders()[0];
    expect(view?.capabilities).toEqual(
      expect.arrayContaining([
        'pay-invoice',
        'make-invoice',
        'onchain-receive',
        'onchain-send',
        'refunds',
        'bolt12',
      ]),
    );
    expect(h.vault.hasSecret(`lightning.provider.${id}`)).toBe(false);
    // One Breez per wallet: a second would run a second SDK on the same swaps.
    await rejects(h.lightning.connectProvider({ kind: 'breez' }), 'LIGHTNING_BAD_CONNECTION');
  });

  it('seals an API key in the vault, never in SQLite, and requires one off regtest', async () => {
    const h = await open();
    const id = (await h.lightning.connectProvider({ kind: 'breez', apiKey: 'breez-api-key-123' })).id;
    const row = JSON.stringify(h.db.prepare('SELECT * FROM lightning_providers WHERE id = ?').get(id));
    expect(row).not.toContain('breez-api-key-123');
    expect(new TextDecoder().decode(h.vault.getSecret(`lightning.provider.${id}`))).toBe('breez-api-key-123');
    const main = await open({ network: 'mainnet', reuse: { db: h.db, vault: h.vault } });
    await rejects(main.lightning.connectProvider({ kind: 'breez' }), 'LIGHTNING_BAD_CONNECTION');
    const signet = await open({ network: 'signet', reuse: { db: h.db, vault: h.vault } });
    await rejects(
      signet.lightning.connectProvider({ kind: 'breez', apiKey: 'k' }),
      'LIGHTNING_NOT_SUPPORTED',
    );
  });

  it('receives: an invoice of the swapper, paid across the ledger, turns Paid with the swap fee shown', async () => {
    const h = await open();
    await connected(h);
    const invoice = await h.lightning.createInvoice({ amountMsat: 5_000_000n, description: 'coffee beans' });
    // 0.25% of 5000 rounded up (13) + the claim transaction (26).
    expect(invoice.feeMsat).toBe('39000');
    expect(ledger.lookupInvoice(SWAPPER_NODE, invoice.paymentHash)).not.toBeNull();
    await ledger.pay('stack', invoice.bolt11);
    await waitFor(() => events(h, 'lightning.invoicePaid').length === 1);
    expect(events(h, 'lightning.invoicePaid')[0]).toMatchObject({ paymentHash: invoice.paymentHash });
    const row = h.lightning.getPayment(invoice.paymentId);
    expect(row).toMatchObject({ state: 'succeeded', direction: 'incoming', providerKind: 'breez' });
    await waitFor(() => balance() === 4_961);
    const status = await h.lightning.status();
    await waitFor(async () => (await h.lightning.status())?.balance?.spendableMsat === '4961000');
    expect(status?.limits?.receive.minMsat).toBe('100000');
  });

  it('pays an invoice once: fee shown before, journaled, settled across the ledger, never twice', async () => {
    const h = await open();
    await connected(h);
    await fund(h, 20_000);
    const before = balance();
    const invoice = ledger.createInvoice('stack', { amountMsat: 1_000_000n, description: 'tea' });
    const prepared = await h.lightning.prepare({ text: invoice.bolt11 });
    // 0.1% of 1000 (1) + lockup (21): a quoted price, not a routing budget.
    expect(prepared).toMatchObject({
      amountMsat: '1000000',
      feeMsat: '22000',
      feeIsLimit: false,
      description: 'tea',
    });
    const paid = await h.lightning.confirm(prepared.prepareId);
    expect(paid).toMatchObject({ state: 'succeeded', paymentHash: invoice.paymentHash });
    expect(paid.preimage).toBe(invoice.preimage);
    expect(ledger.lookupInvoice('stack', invoice.paymentHash)?.state).toBe('settled');
    expect(balance()).toBe(before - 1_022);
    await rejects(h.lightning.prepare({ text: invoice.bolt11 }), 'LIGHTNING_ALREADY_PAID');
  });

  it('reports typed failures: not enough funds, below the limits, wrong network, provider down', async () => {
    const h = await open();
    await connected(h);
    expect((await h.lightning.status())?.limits?.send.minMsat).toBe('100000');
    const big = ledger.createInvoice('stack', { amountMsat: 50_000_000n });
    await rejects(
      h.lightning.prepare({ text: big.bolt11 }).then((p) => h.lightning.confirm(p.prepareId)),
      'LIGHTNING_INSUFFICIENT_BALANCE',
    );
    const tiny = ledger.createInvoice('stack', { amountMsat: 50_000n });
    await rejects(h.lightning.prepare({ text: tiny.bolt11 }), 'LIGHTNING_AMOUNT_OUT_OF_LIMITS');
    setFault('down');
    await rejects(
      h.lightning.createInvoice({ amountMsat: 5_000_000n, description: '' }),
      'LIGHTNING_UNREACHABLE',
    );
    await rejects(h.lightning.swaps.receiveOnchain({ amountSats: 30_000 }), 'LIGHTNING_UNREACHABLE');
    // Local reads still answer with the servers gone, as the real SDK's do offline; the limits
    // shown are the last ones heard.
    expect(await h.lightning.status()).toMatchObject({
      provider: { state: 'connected' },
      balance: { spendableMsat: '0' },
      limits: { send: { minMsat: '100000' } },
    });
  });

  it('a payment the swapper cannot route refunds itself: pending, then failed, lockup fee lost', async () => {
    const h = await open();
    await connected(h);
    await fund(h, 20_000);
    const before = balance();
    setFault('no-route');
    const invoice = ledger.createInvoice('stack', { amountMsat: 2_000_000n });
    const prepared = await h.lightning.prepare({ text: invoice.bolt11 });
    const sent = await h.lightning.confirm(prepared.prepareId).catch((e: unknown) => e);
    const id = sent instanceof FlashError ? String(sent.details?.['paymentId']) : (sent as { id: string }).id;
    await waitFor(() => h.lightning.getPayment(id).state === 'failed');
    await waitFor(() => balance() === before - 21);
    // A failed hash may be paid again once the route is back.
    setFault('none');
    const again = await h.lightning.prepare({ text: invoice.bolt11 });
    expect((await h.lightning.confirm(again.prepareId)).state).toBe('succeeded');
  });

  it('a payment stuck in flight stays pending past the SDK timeout, then fails and is not resent', async () => {
    const h = await open();
    await connected(h);
    await fund(h, 20_000);
    setFault('stuck-then-fail');
    const invoice = ledger.createInvoice('stack', { amountMsat: 2_000_000n });
    const prepared = await h.lightning.prepare({ text: invoice.bolt11 });
    const pending = await h.lightning.confirm(prepared.prepareId);
    expect(pending.state).toBe('pending');
    await rejects(h.lightning.prepare({ text: invoice.bolt11 }), 'LIGHTNING_PAYMENT_IN_FLIGHT');
    await waitFor(() => h.lightning.getPayment(pending.id).state === 'failed');
    expect(
      ledger.listPayments(SWAPPER_NODE).filter((p) => p.paymentHash === invoice.paymentHash),
    ).toHaveLength(1);
  });

  it('an invoice that expires while the swapper pays fails as expired', async () => {
    const h = await open();
    await connected(h);
    await fund(h, 20_000);
    setFault('expire-mid-pay');
    const invoice = ledger.createInvoice('stack', { amountMsat: 2_000_000n, expirySeconds: 2 });
    const prepared = await h.lightning.prepare({ text: invoice.bolt11 });
    const sent = await h.lightning.confirm(prepared.prepareId);
    expect(sent.state).toBe('pending');
    await until(
      'the invoice to expire mid-pay',
      () => h.lightning.getPayment(sent.id).state === 'failed',
      10_000,
    );
    expect(h.lightning.getPayment(sent.id).failure).toBe('expired');
  });

  it('a crash after the SDK took the payment resumes from the journal without paying twice', async () => {
    const hang = { mode: 'after-call' as Hang };
    const first = await open({ hang });
    await connected(first);
    await fund(first, 20_000);
    const invoice = ledger.createInvoice('stack', { amountMsat: 3_000_000n });
    const prepared = await first.lightning.prepare({ text: invoice.bolt11 });
    void first.lightning.confirm(prepared.prepareId);
    await waitFor(() => ledger.lookupInvoice('stack', invoice.paymentHash)?.state === 'settled');
    const row = first.lightning.listPayments(10, 0).find((p) => p.paymentHash === invoice.paymentHash);
    expect(row?.state).toBe('pending');
    await first.lightning.stop();
    const second = await open({ reuse: { db: first.db, vault: first.vault } });
    await waitFor(() => second.lightning.getPayment(row?.id ?? '').state === 'succeeded');
    await rejects(second.lightning.prepare({ text: invoice.bolt11 }), 'LIGHTNING_ALREADY_PAID');
    expect(
      ledger.listPayments(SWAPPER_NODE).filter((p) => p.paymentHash === invoice.paymentHash),
    ).toHaveLength(1);
  });

  it('a crash before the SDK was asked fails the journaled payment, which may then be paid once', async () => {
    const hang = { mode: 'before-call' as Hang };
    const first = await open({ hang });
    await connected(first);
    hang.mode = 'none';
    await fund(first, 20_000);
    hang.mode = 'before-call';
    const invoice = ledger.createInvoice('stack', { amountMsat: 3_000_000n });
    const prepared = await first.lightning.prepare({ text: invoice.bolt11 });
    void first.lightning.confirm(prepared.prepareId);
    const row = await waitFor(() =>
      first.lightning.listPayments(10, 0).find((p) => p.paymentHash === invoice.paymentHash),
    );
    await first.lightning.stop();
    const second = await open({ reuse: { db: first.db, vault: first.vault } });
    await waitFor(() => second.lightning.getPayment(row.id).state === 'failed');
    expect(second.lightning.getPayment(row.id).failure).toBe('unreachable');
    const again = await second.lightning.prepare({ text: invoice.bolt11 });
    expect((await second.lightning.confirm(again.prepareId)).state).toBe('succeeded');
    expect(
      ledger.listPayments(SWAPPER_NODE).filter((p) => p.paymentHash === invoice.paymentHash),
    ).toHaveLength(1);
  });

  it('pays a Bitcoin address from the Lightning balance: fees before, journaled, coins on chain', async () => {
    const h = await open();
    await connected(h);
    await fund(h, 100_000);
    const limits = await h.lightning.swaps.limits();
    expect(limits?.onchain?.send).toEqual({ minSats: 25_000, maxSats: 25_000_000 });
    await rejects(
      h.lightning.swaps.prepareOnchainSend({
        address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
        amountSats: 30_000,
      }),
      'BAD_INPUT',
    );
    const quote = await h.lightning.swaps.prepareOnchainSend({
      address: REGTEST_ADDRESS,
      amountSats: 30_000,
    });
    // 0.1% of (30000 + 300 claim) rounded up (31) + claim (300) + lockup (21).
    expect(quote).toMatchObject({ amountSats: 30_000, feeSats: 352, totalSats: 30_352 });
    const before = balance();
    const sent = await h.lightning.swaps.confirmOnchainSend(quote.prepareId);
    expect(sent).toMatchObject({ direction: 'outgoing', origin: 'swap-out', counterparty: REGTEST_ADDRESS });
    await waitFor(() => h.lightning.getPayment(sent.id).state === 'succeeded');
    expect(onchain).toEqual([{ address: REGTEST_ADDRESS, sats: 30_000, txid: expect.any(String) }]);
    expect(balance()).toBe(before - 30_352);
    // One row for the swap: its SDK events joined it, not a second row of their own.
    expect(h.lightning.listPayments(50, 0).filter((p) => p.direction === 'outgoing')).toHaveLength(1);
    await rejects(h.lightning.swaps.confirmOnchainSend(quote.prepareId), 'LIGHTNING_PREPARED_NOT_FOUND');
  });

  it('a swap to a Bitcoin address cut off by a crash is found by its address after restart', async () => {
    const hang = { mode: 'none' as Hang };
    const first = await open({ hang });
    await connected(first);
    await fund(first, 100_000);
    hang.mode = 'after-call';
    const quote = await first.lightning.swaps.prepareOnchainSend({
      address: REGTEST_ADDRESS,
      amountSats: 30_000,
    });
    void first.lightning.swaps.confirmOnchainSend(quote.prepareId);
    await waitFor(() => onchain.length === 1);
    const row = first.lightning.listPayments(10, 0).find((p) => p.origin === 'swap-out');
    expect(row?.paymentHash).toBeNull();
    await first.lightning.stop();
    const second = await open({ reuse: { db: first.db, vault: first.vault } });
    await waitFor(() => second.lightning.getPayment(row?.id ?? '').state === 'succeeded');
    expect(second.lightning.getPayment(row?.id ?? '').paymentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(onchain).toHaveLength(1);
  });

  it('receives to a Bitcoin address with limits and fees; an amount out of limits is refunded', async () => {
    const h = await open();
    await connected(h);
    const receive = await h.lightning.swaps.receiveOnchain({ amountSats: 30_000 });
    expect(receive).toMatchObject({
      amountSats: 30_000,
      feeSats: 330,
      feeRatePercent: 0.1,
      minSats: 25_000,
      maxSats: 25_000_000,
    });
    expect(receive.bip21).toBe(`bitcoin:${receive.address}?amount=0.0003`);
    standIn.deposit(receive.address, 10_000);
    const row = await waitFor(() => h.lightning.listPayments(10, 0).find((p) => p.state === 'refundable'));
    expect(row).toMatchObject({ direction: 'incoming', amountMsat: '10000000' });
    const refundables = await h.lightning.swaps.listRefundables();
    expect(refundables).toEqual([
      expect.objectContaining({ swapAddress: receive.address, amountSats: 10_000, lastRefundTxid: null }),
    ]);
    const providerId = refundables[0]?.providerId ?? '';
    const input = {
      providerId,
      swapAddress: receive.address,
      toAddress: REGTEST_ADDRESS,
      feeRateSatPerVb: 3,
    };
    expect(await h.lightning.swaps.prepareRefund(input)).toEqual({
      feeSats: 420,
      txVsize: 140,
      receiveSats: 9_580,
    });
    const { txid } = await h.lightning.swaps.refund(input);
    expect(onchain).toEqual([{ address: REGTEST_ADDRESS, sats: 9_580, txid }]);
    await waitFor(() => h.lightning.getPayment(row.id).state === 'failed');
    expect(await h.lightning.swaps.listRefundables()).toEqual([]);
  });

  it('a deposit other than quoted waits for the user to accept the new fee, then completes', async () => {
    const h = await open();
    await connected(h);
    const receive = await h.lightning.swaps.receiveOnchain({ amountSats: 30_000 });
    standIn.deposit(receive.address, 40_000);
    const row = await waitFor(() =>
      h.lightning.listPayments(10, 0).find((p) => p.state === 'waiting-fee-acceptance'),
    );
    const quote = await h.lightning.swaps.feeQuote(row.id);
    // 0.1% of 40000 (40) + claim (300).
    expect(quote).toEqual({
      paymentId: row.id,
      payerAmountSats: 40_000,
      feeSats: 340,
      receiverAmountSats: 39_660,
    });
    await h.lightning.swaps.acceptFee(row.id);
    await waitFor(() => h.lightning.getPayment(row.id).state === 'succeeded');
    expect(balance()).toBe(39_660);
    await rejects(h.lightning.swaps.feeQuote(row.id), 'LIGHTNING_NOT_SUPPORTED');
  });
});
