import type { ChargeInput, RewardRulesInput, Sale } from '../../shared/contract/merchant';
import { FlashError } from '../../shared/errors';
import type { EventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import type { MerchantDeps, MerchantService } from '../../main/merchant/service';
import { createMerchantService } from '../../main/merchant/service';
import type { NfcReaders } from '../../main/merchant/nfc/readers';
import type { Db } from '../../main/store/database';
import type { VaultService } from '../../main/vault/types';
import type { SimulatedCard } from '../stack/nfc/ntag424-card';
import type { SimulatedReader } from '../stack/nfc/reader';
import { createSimulatedReader, simulatedNfcReaders } from '../stack/nfc/reader';
import type { MerchantHarness } from './merchant';
import { connectDemoShop, counterDeps, openCounterProfile } from './merchant';
import { until } from './wait';

/**
 * Pieces the merchant counter's integration tests share: the carts and reward rules they sell
 * with, a sale the customer pays, the typed error a refused call gives, and the teardown.
 */

/** `count` lattes from the demo POS app (4.25 USD each), no discount and no tip. */
export function latteCart(count: number): ChargeInput {
  return {
    lines: [{ itemId: 'latte', count }],
    discountPercent: null,
    tipAmount: null,
    tipPercent: null,
  };
}

/** The store's fixed reward: 500 sats for a sale of 5.00 or more, claimable for 30 days. */
export const FIXED_REWARD_RULES = {
  enabled: true,
  kind: 'fixed' as const,
  sats: 500,
  percent: '1',
  minimumSale: '5',
  expiryDays: 30,
};

/**
 * Charges `cart`, pays its BOLT11 from the customer's node, and waits until BTCPay settles it.
 * `merchant` may be a second service on the same database and bus (a restarted Flash). `also.bus`
 * is the bus the sale settles on when `merchant` has its own (another counter of the store);
 * `also.beforePaying` sees the charged sale before the customer pays it (a test dating its invoice).
 */
export async function payLightningSale(
  h: MerchantHarness,
  cart: ChargeInput,
  merchant: MerchantService = h.merchant,
  also: { bus?: EventBus; beforePaying?: (charged: Sale) => void } = {},
): Promise<Sale> {
  const sales: Sale[] = [];
  const stop = (also.bus ?? h.bus).on('merchant.sale', (s) => void sales.push(s));
  const sale = await merchant.charge(cart);
  also.beforePaying?.(sale);
  await h.payBolt11(sale.bolt11!);
  const paid = await until('settled', () =>
    sales.find((s) => s.invoiceId === sale.invoiceId && s.state === 'paid'),
  );
  stop();
  return paid;
}

/**
 * The FlashError a refused call gives; anything else that is thrown, or no error at all, fails
 * the test (a crash must never pass for a refusal). A function is run, for synchronous calls.
 */
export async function flashErrorOf(p: Promise<unknown> | (() => unknown)): Promise<FlashError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof FlashError) return err;
    throw err;
  }
  throw new Error('expected a FlashError');
}

/**
 * The teardown every counter test ends with. Anything our client sent, or the stand-in answered,
 * off BTCPay's published spec fails the test, but the harness (and what the test started beside
 * it) is stopped whatever happens so the next test starts clean.
 */
export async function stopAfterSpecCheck(
  h: MerchantHarness,
  also: { beforeHarness?: () => Promise<void>; afterHarness?: () => Promise<void> } = {},
): Promise<void> {
  try {
    h.btcpay.server.assertNoSpecIssues();
  } finally {
    await also.beforeHarness?.();
    await h.stop();
    await also.afterHarness?.();
  }
}

/**
 * One simulated PC/SC reader the counter opens. `readers` is the live list the service sees: a
 * test empties it to unplug the reader and pushes it back to plug it in again.
 */
export function simulatedReaderDesk(): {
  reader: SimulatedReader;
  readers: SimulatedReader[];
  openNfcReaders: () => NfcReaders;
} {
  const reader = createSimulatedReader();
  const readers = [reader];
  return { reader, readers, openNfcReaders: () => simulatedNfcReaders(readers) };
}

/** What the counter sent by NOSTR, and the sender that records it (every send succeeds). */
export function nostrOutbox(): {
  sent: { to: string[]; text: string }[];
  sendNostrMessage: (input: { to: string[]; text: string }) => Promise<unknown>;
} {
  const sent: { to: string[]; text: string }[] = [];
  return {
    sent,
    sendNostrMessage: async (input) => {
      sent.push(input);
      return { ok: true };
    },
  };
}

/** The sale's row in the Sales list, read as the counter shows the last hour (every status). */
export async function salesListRow(merchant: MerchantService, invoiceId: string) {
  const lastHour = {
    from: Date.now() - 3_600_000,
    to: Date.now() + 60_000,
    status: 'any' as const,
    limit: 50,
    offset: 0,
  };
  return (await merchant.history(lastHour)).rows.find((r) => r.invoiceId === invoiceId);
}

/**
 * Flash started again after a crash or a restart: a second merchant service, started, on the
 * harness's database, vault and bus, so it finds what the first one journaled. `also` passes the
 * deps a test's counter had beside them (its eCash, its NFC readers, its poll interval);
 * `rewardRules`, when given, are set before it starts, so its first journal check already sees them.
 */
export function restartMerchant(
  h: MerchantHarness,
  also: Pick<MerchantDeps, 'ecash' | 'openNfcReaders' | 'pollMs'> & { rewardRules?: RewardRulesInput } = {},
): MerchantService {
  const { rewardRules, ...deps } = also;
  const merchant = createMerchantService({
    db: h.db,
    vault: h.vault,
    bus: h.bus,
    log: silentLogger,
    receiptsDir: h.dataDir,
    ...deps,
  });
  if (rewardRules) merchant.setRewardRules(rewardRules);
  merchant.start();
  return merchant;
}

/** Another counter of the harness's store: its own database, vault and bus, on the same BTCPay. */
export interface OtherCounter {
  merchant: MerchantService;
  bus: EventBus;
  db: Db;
  vault: VaultService;
  dataDir: string;
  stop(): void;
}

/**
 * A second Flash at the same store (another till): set up like the harness's own counter, but on
 * a database and vault of its own, and connected to the harness's demo store and POS app with the
 * all-permissions key. What it knows of the other counter's sales it can only learn from BTCPay.
 */
export async function startOtherCounter(h: MerchantHarness): Promise<OtherCounter> {
  const { dataDir, db, bus, vault } = await openCounterProfile('flash-counter-b-');
  const merchant = createMerchantService(counterDeps({ dataDir, db, bus, vault }));
  merchant.start();
  await connectDemoShop({ ...h, merchant });
  return {
    merchant,
    bus,
    db,
    vault,
    dataDir,
    stop() {
      merchant.stop();
      vault.stop();
      db.close();
    },
  };
}

/**
 * `card` as the reader sees it, except that its `change`-th ChangeKey command (counted from 1)
 * fails, as when the card leaves the field mid-write, whenever `fails(change)` says so.
 */
export function cardFailingKeyChanges(
  card: SimulatedCard,
  fails: (change: number) => boolean,
): SimulatedCard {
  let changes = 0;
  return {
    ...card,
    uid: card.uid,
    activate: () => card.activate(),
    get readCounter() {
      return card.readCounter;
    },
    key: (n: number) => card.key(n),
    process(apdu: Uint8Array): Uint8Array {
      if (apdu[1] === 0xc4 && fails(++changes)) throw new Error('card gone');
      return card.process(apdu);
    },
  };
}
