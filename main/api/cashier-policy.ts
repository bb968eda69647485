import type { MethodName } from '../../shared/contract';
import type { EventName } from '../../shared/contract/events';

/**
 * What the bridge answers while cashier mode is on. A customer standing at an unlocked counter
 * must not be able to open the wallet, send, read messages or change settings: hiding them in
 * the UI is not enough, since the renderer (or a page holding the browser-mode token) can call
 * any method. So the dispatcher refuses every method that is not in this list, in one place.
 *
 * An allowlist, not a table of every method: a method added later is refused at the counter
 * until someone decides the cashier needs it.
 */
export const CASHIER_ALLOWED: ReadonlySet<MethodName> = new Set<MethodName>([
  // The shell: which app, which profile, the vault's state and language.
  'app.getInfo',
  'app.getState',
  'settings.get',
  'vault.getStatus',
  'vault.touch',
  // Locking takes rights away; unlocking proves the password (the manager's), and the counter
  // needs an unlocked vault to read its BTCPay key.
  'vault.lock',
  'vault.unlock',
  // The connection state line; no wallet data.
  'electrum.getStatus',

  // The counter itself. Main also limits history and totals to today while the mode is on.
  'merchant.getStatus',
  'merchant.getCounter',
  'merchant.quote',
  'merchant.charge',
  'merchant.getSale',
  'merchant.showCart',
  'merchant.getDisplay',
  'merchant.openCustomerDisplay',
  'merchant.history',
  'merchant.dailyTotals',
  'merchant.exportSalesCsv',
  'merchant.printReceipt',
  'merchant.receiptHtml',
  'merchant.sendReceipt',
  'merchant.receiptLink',
  // Flash Cards: a tap pays, and the customer may ask what is left. Programming and wiping
  // create or give up money the store owes: the manager's.
  'merchant.cardStatus',
  'merchant.cardPay',
  'merchant.cardBalance',
  // Rewards by the manager's rules: the cashier can show, retry and send the sale's reward but
  // not choose its amount (issueReward computes it) or change the rules.
  'merchant.getRewardRules',
  'merchant.getReward',
  'merchant.issueReward',
  'merchant.sendReward',
  // The stamp card of the customer at the counter: read from BTCPay, issued only by the rules.
  'merchant.stampCard',
  // eCash while BTCPay is out of reach, from the mints the manager chose (the cashier cannot
  // change which).
  'merchant.getCounterEcash',
  'merchant.ecashRequest',
  'merchant.ecashAccept',
  'merchant.ecashSales',
  'merchant.enterCashierMode',
  // Proves the PIN or the password itself.
  'merchant.leaveCashierMode',
]);

/** Whether `method` may run while cashier mode is on. */
export function allowedAtCounter(method: MethodName): boolean {
  return CASHIER_ALLOWED.has(method);
}

/**
 * Events the renderer still hears while cashier mode is on: the counter's own and the shell's
 * (the same data CASHIER_ALLOWED lets it read). A deposit, a message or a Lightning payment would
 * otherwise show on the customer-facing screen, or hand the renderer data its calls may not read.
 * An allowlist, like the methods: an event added later stays away from the counter.
 */
export const CASHIER_EVENTS: ReadonlySet<EventName> = new Set<EventName>([
  'vault.status',
  'settings.changed',
  'electrum.status',
  'merchant.status',
  'merchant.sale',
  'merchant.display',
  'merchant.card',
  'merchant.receiptPrinted',
  'merchant.reward',
  'merchant.rewardFailed',
  'merchant.ecashSale',
]);

/** Whether `event` may reach the renderer while cashier mode is on. */
export function eventAtCounter(event: EventName): boolean {
  return CASHIER_EVENTS.has(event);
}
