import type { ChargeInput, Counter, OrderTotals } from '../../shared/contract/merchant';
import { FlashError } from '../../shared/errors';
import type { Atoms } from '../../shared/merchant/decimal';
import { formatAtoms, jsonNumber, plainAtoms, toAtoms } from '../../shared/merchant/decimal';
import type { OrderLine, OrderSummary } from '../../shared/merchant/order';
import { calculateOrder, sharedTaxRate } from '../../shared/merchant/order';

/**
 * Turns the counter's cart into what BTCPay's Point of Sale would send for the same cart: the
 * invoice amount from its order math, and the metadata its POS writes (`posData` as PosAppData
 * after UpdateFrom, `receiptData` as PosReceiptData), so BTCPay's invoice page, receipts and
 * reports read our invoices like its own.
 */

export interface PreparedOrder {
  lines: OrderLine[];
  summary: OrderSummary;
  totals: OrderTotals;
  /** Body of POST /stores/{id}/invoices. */
  request: {
    amount: string;
    currency: string;
    metadata: Record<string, unknown>;
    additionalSearchTerms: string[];
  };
}

interface CartEntry {
  id: string;
  title: string;
  price: Atoms;
  count: number;
  inventory: number | null;
  priceType: 'Fixed' | 'Topup' | 'Minimum';
}

export function prepareOrder(counter: Counter, input: ChargeInput, orderId: string): PreparedOrder {
  const d = counter.decimals;
  const tax = counter.tax;
  const lines: OrderLine[] = [];
  const cart: CartEntry[] = [];
  const amounts: Atoms[] = [];
  for (const line of input.lines) {
    if (line.itemId === '') {
      if (!counter.showCustomAmount) throw badOrder('This POS app does not take typed amounts.');
      if (line.price === undefined) throw badOrder('A typed amount needs a price.');
      const price = toAtoms(line.price);
      for (let i = 0; i < line.count; i++) amounts.push(price);
      continue;
    }
    const item = counter.items.find((i) => i.id === line.itemId);
    if (!item) throw badOrder(`The POS app has no item ${line.itemId}.`);
    const listed = item.price === null ? 0n : toAtoms(item.price);
    // BTCPay charges at least the listed price; a top-up or minimum item may be given more.
    let price = listed;
    if (item.priceType !== 'Fixed' && line.price !== undefined) {
      const asked = toAtoms(line.price);
      if (asked < listed) throw badOrder(`${item.title} costs at least ${formatAtoms(listed, d)}.`);
      price = asked;
    }
    const already = cart.filter((c) => c.id === item.id).reduce((n, c) => n + c.count, 0);
    if (item.inventory !== null && already + line.count > item.inventory) {
      throw badOrder(`Only ${item.inventory} × ${item.title} left.`);
    }
    cart.push({
      id: item.id,
      title: item.title,
      price,
      count: line.count,
      inventory: item.inventory,
      priceType: item.priceType,
    });
  }
  for (let i = 0; i < amounts.length; i++) {
    lines.push({
      itemId: `Custom Amount ${i + 1}`,
      count: 1,
      unitPrice: plainAtoms(amounts[i] as Atoms),
      taxRate: tax.defaultTaxRate,
      taxIncluded: tax.taxIncluded,
    });
  }
  for (const c of cart) {
    const item = counter.items.find((i) => i.id === c.id);
    lines.push({
      itemId: c.id,
      count: c.count,
      unitPrice: plainAtoms(c.price),
      taxRate: item?.taxRate ?? tax.defaultTaxRate,
      taxIncluded: tax.taxIncluded,
    });
  }
  if (lines.length === 0) throw badOrder('The cart is empty.');
  if (input.discountPercent !== null && !counter.showDiscount)
    throw badOrder('This POS app does not allow discounts.');
  if ((input.tipAmount !== null || input.tipPercent !== null) && !counter.enableTips) {
    throw badOrder('This POS app does not take tips.');
  }
  const summary = calculateOrder({
    decimals: d,
    lines,
    discountPercent: input.discountPercent,
    tipAmount: input.tipAmount,
    tipPercent: input.tipPercent,
    tipTaxRate: tax.tipTaxRate === '0' ? null : tax.tipTaxRate,
  });
  const f = (v: Atoms) => formatAtoms(v, d);
  const totals: OrderTotals = {
    currency: counter.currency,
    itemsTotal: f(summary.itemsTotal),
    discount: f(summary.discount),
    subtotal: f(summary.priceTaxExcluded),
    tax: f(summary.tax),
    taxOnTip: f(summary.taxOnTip),
    tip: f(summary.tip),
    total: f(summary.total),
  };

  const discountPercent = input.discountPercent === null ? 0n : toAtoms(input.discountPercent);
  const tipPercent = input.tipPercent === null ? 0n : toAtoms(input.tipPercent);
  const posData: Record<string, unknown> = {
    cart: cart.map((c) => ({
      id: c.id,
      price: jsonNumber(c.price),
      title: c.title,
      count: c.count,
      inventory: c.inventory,
    })),
    amounts: amounts.map(jsonNumber),
    customAmount: 0,
    discountPercentage: jsonNumber(discountPercent),
    tipPercentage: jsonNumber(tipPercent),
    itemsTotal: jsonNumber(summary.itemsTotal),
    discountAmount: jsonNumber(summary.discount),
    subTotal: jsonNumber(summary.priceTaxExcluded),
    tax: jsonNumber(summary.tax),
    tip: jsonNumber(summary.tip),
    total: jsonNumber(summary.total),
  };
  const receiptData = buildReceiptData(counter, cart, amounts, summary, lines, discountPercent, tipPercent);
  const itemTax = summary.tax - summary.taxOnTip;
  const single = cart.length === 1 && amounts.length === 0 ? cart[0] : undefined;
  const metadata: Record<string, unknown> = {
    orderId,
    ...(single ? { itemCode: single.id, itemDesc: single.title } : {}),
    ...(itemTax > 0n ? { taxIncluded: jsonNumber(itemTax) } : {}),
    ...(summary.taxOnTip > 0n ? { taxOnTip: jsonNumber(summary.taxOnTip) } : {}),
    posData,
    receiptData,
    ...(input.note ? { note: input.note } : {}),
  };
  return {
    lines,
    summary,
    totals,
    request: {
      amount: f(summary.total),
      currency: counter.currency,
      metadata,
      // BTCPay's POS adds this search term, which its app statistics look for.
      additionalSearchTerms: [`pos-app_${counter.appId}`],
    },
  };
}

function buildReceiptData(
  counter: Counter,
  cart: CartEntry[],
  amounts: Atoms[],
  summary: OrderSummary,
  lines: OrderLine[],
  discountPercent: Atoms,
  tipPercent: Atoms,
): Record<string, unknown> {
  const money = (v: Atoms) => formatMoney(v, counter.currency, counter.decimals);
  const r: Record<string, unknown> = {};
  const cartLines: Record<string, string> = {};
  for (const c of cart) {
    const single = money(c.price);
    const key = c.priceType === 'Fixed' ? c.title : `${c.title} (${single})`;
    cartLines[key] = `${c.count} x ${single} = ${money(c.price * BigInt(c.count))}`;
  }
  amounts.forEach((a, i) => {
    cartLines[`Custom Amount ${i + 1}`] = money(a);
  });
  if (cart.length === 1 && amounts.length === 0) {
    r['Title'] = cart[0]?.title;
    const description = counter.items.find((i) => i.id === cart[0]?.id)?.description;
    if (description) r['Description'] = description;
  }
  let subtotal: string | null = money(summary.priceTaxExcluded);
  if (summary.discount > 0n) {
    r['Discount'] =
      discountPercent > 0n
        ? `${money(summary.discount)} (${plainAtoms(discountPercent)}%)`
        : money(summary.discount);
  }
  if (summary.tip > 0n)
    r['Tip'] = tipPercent > 0n ? `${money(summary.tip)} (${plainAtoms(tipPercent)}%)` : money(summary.tip);
  const itemTax = summary.tax - summary.taxOnTip;
  if (itemTax > 0n) {
    const rate = sharedTaxRate(lines);
    r['Tax'] = rate !== null ? `${money(itemTax)} (${plainAtoms(toAtoms(rate))}%)` : money(itemTax);
  }
  if (summary.taxOnTip > 0n)
    r['TaxOnTip'] = `${money(summary.taxOnTip)} (${plainAtoms(toAtoms(counter.tax.tipTaxRate))}%)`;
  let itemsTotal: string | null = summary.itemsTotal > 0n ? money(summary.itemsTotal) : null;
  const total = money(summary.total);
  // As BTCPay: a subtotal equal to the total, or an items total equal to the subtotal, is not shown.
  if (itemsTotal === subtotal) itemsTotal = null;
  if (subtotal === total) subtotal = null;
  if (subtotal !== null) r['Subtotal'] = subtotal;
  if (itemsTotal !== null) r['ItemsTotal'] = itemsTotal;
  r['Total'] = total;
  if (Object.keys(cartLines).length > 0) r['Cart'] = cartLines;
  return r;
}

/** "$12.50", "€3.00", "0.00012000 BTC", as BTCPay's display formatter writes money with a symbol. */
export function formatMoney(value: Atoms, currency: string, decimals: number): string {
  const text = formatAtoms(value, decimals);
  const code = currency.toUpperCase();
  if (code === 'BTC') return `${text} BTC`;
  if (code === 'SATS') return `${text} sats`;
  const negative = text.startsWith('-');
  const [whole = '0', frac] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let symbol = code;
  try {
    symbol =
      new Intl.NumberFormat('en-US', { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' })
        .formatToParts(0)
        .find((p) => p.type === 'currency')?.value ?? code;
  } catch {
    symbol = code;
  }
  return `${negative ? '-' : ''}${symbol}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

function badOrder(message: string): FlashError {
  return new FlashError('MERCHANT_BAD_ORDER', message);
}
