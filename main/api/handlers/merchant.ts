import type { MethodName } from '../../../shared/contract';
import type { MerchantService } from '../../merchant/service';
import type { Handlers } from '../dispatcher';

type MerchantMethod = Extract<MethodName, `merchant.${string}`>;

const DONE = { done: true } as const;

/** Binds the merchant counter's methods to its service; routing only. */
export function createMerchantHandlers(s: { merchant: MerchantService }): Pick<Handlers, MerchantMethod> {
  const m = s.merchant;
  return {
    'merchant.getStatus': () => m.status(),
    'merchant.connect': ({ serverUrl, apiKey }) => m.connect(serverUrl, apiKey),
    'merchant.startAuthorize': ({ serverUrl }) => m.startAuthorize(serverUrl),
    'merchant.cancelAuthorize': () => {
      m.cancelAuthorize();
      return DONE;
    },
    'merchant.disconnect': () => m.disconnect(),
    'merchant.listStores': () => m.listStores(),
    'merchant.listApps': ({ storeId }) => m.listApps(storeId),
    'merchant.selectApp': ({ storeId, appId }) => m.selectApp(storeId, appId),
    'merchant.getCounter': () => m.getCounter(),
    'merchant.setTaxSettings': (tax) => m.setTaxSettings(tax),
    'merchant.quote': (input) => m.quote(input),
    'merchant.charge': (input) => m.charge(input),
    'merchant.getSale': ({ invoiceId }) => m.getSale(invoiceId),
    'merchant.showCart': async (input) => {
      await m.showCart(input);
      return DONE;
    },
    'merchant.history': (input) => m.history(input),
    'merchant.dailyTotals': ({ days }) => m.dailyTotals(days),
    'merchant.exportSalesCsv': (input) => m.exportSalesCsv(input),
    'merchant.refund': (input) => m.refund(input),
    'merchant.printReceipt': ({ invoiceId, layout }) => m.printReceipt(invoiceId, layout),
    'merchant.sendReceipt': async ({ invoiceId, to }) => {
      await m.sendReceipt(invoiceId, to);
      return DONE;
    },
    'merchant.receiptLink': ({ invoiceId }) => m.receiptLink(invoiceId),
    'merchant.receiptHtml': ({ invoiceId, layout }) => m.receiptHtml(invoiceId, layout),
    'merchant.getReceiptSettings': () => m.getReceiptSettings(),
    'merchant.setReceiptSettings': (settings) => m.setReceiptSettings(settings),
    'merchant.setCashierPin': ({ pin }) => m.setCashierPin(pin),
    'merchant.enterCashierMode': () => m.enterCashierMode(),
    'merchant.leaveCashierMode': (input) => m.leaveCashierMode(input),
    'merchant.getDisplay': () => m.getDisplay(),
    'merchant.cardStatus': () => m.cardStatus(),
    'merchant.cardPay': ({ invoiceId }) => m.cardPay(invoiceId),
    'merchant.cardBalance': () => m.cardBalance(),
    'merchant.cardProgram': ({ sats }) => m.cardProgram(sats),
    'merchant.cardWipe': ({ giveUpSats }) => m.cardWipe(giveUpSats),
    'merchant.cardTopUp': ({ sats }) => m.cardTopUp(sats),
    'merchant.getRewardRules': () => m.getRewardRules(),
    'merchant.setRewardRules': (rules) => m.setRewardRules(rules),
    'merchant.getReward': ({ invoiceId }) => m.getReward(invoiceId),
    'merchant.issueReward': ({ invoiceId }) => m.issueReward(invoiceId),
    'merchant.sendReward': async ({ invoiceId, to }) => {
      await m.sendReward(invoiceId, to);
      return DONE;
    },
    'merchant.stampCard': (input) => m.stampCard(input),
    'merchant.getCounterEcash': () => m.getCounterEcash(),
    'merchant.setCounterEcash': (settings) => m.setCounterEcash(settings),
    'merchant.ecashRequest': (input) => m.ecashRequest(input),
    'merchant.ecashAccept': ({ requestId, token }) => m.ecashAccept(requestId, token),
    'merchant.ecashSales': () => m.ecashSales(),
    'merchant.openCustomerDisplay': () => m.openCustomerDisplay(),
  };
}
