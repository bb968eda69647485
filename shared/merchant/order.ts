import type { Atoms } from './decimal';
import { divRound, fromInteger, percentOf, round, toAtoms } from './decimal';

/**
 * The counter's order math, in the order of operations of BTCPay's Point of Sale (PoSOrder in
 * the server and the same class in its pos/common.js), so a total here is the total BTCPay
 * computes for the same cart:
 *
 * 1. per line: price × count; the discount is rounded per line and taken off the line;
 * 2. per line: tax, rounded per line — taken out of the price when tax is included
 *    (price × rate / (100 + rate)), added on top otherwise (price × rate / 100);
 * 3. the tax-excluded subtotal is rounded once, after the lines;
 * 4. the tip (an amount, plus a percentage of the tax-excluded subtotal, each rounded);
 * 5. tax on the tip (rounded), counted in the tax;
 * 6. total = subtotal + tax + tip, rounded to the currency's decimals.
 *
 * Rounding is half away from zero (.NET's MidpointRounding.AwayFromZero).
 */

export interface OrderLine {
  /** The POS item id, or '' for an amount typed on the keypad. */
  itemId: string;
  count: number;
  /** Decimal string in the order's currency. */
  unitPrice: string;
  /** Percentage as a decimal string, e.g. "8.25". */
  taxRate: string;
  taxIncluded: boolean;
}

export interface OrderInput {
  decimals: number;
  lines: OrderLine[];
  /** 0-100, decimal string; null for none. */
  discountPercent: string | null;
  /** A tip typed as an amount (decimal string), and/or a percentage of the subtotal. */
  tipAmount: string | null;
  tipPercent: string | null;
  /** The POS app's tax rate on tips; null or "0" for none. */
  tipTaxRate: string | null;
}

export interface OrderSummary {
  discount: Atoms;
  /** All tax, including tax on the tip. */
  tax: Atoms;
  taxOnTip: Atoms;
  /** Subtotal before the discount (what BTCPay calls ItemsTotal). */
  itemsTotal: Atoms;
  /** Subtotal after the discount, tax excluded (BTCPay's PriceTaxExcluded, posData "subTotal"). */
  priceTaxExcluded: Atoms;
  tip: Atoms;
  priceTaxIncluded: Atoms;
  /** What the customer pays (BTCPay's PriceTaxIncludedWithTips, posData "total"). */
  total: Atoms;
}

export function calculateOrder(order: OrderInput): OrderSummary {
  const d = order.decimals;
  const discountRate = order.discountPercent === null ? 0n : toAtoms(order.discountPercent);
  let discount = 0n;
  let tax = 0n;
  let excluded = 0n;
  for (const line of order.lines) {
    let linePrice = toAtoms(line.unitPrice) * BigInt(line.count);
    const lineDiscount = percentOf(linePrice, discountRate, d);
    discount += lineDiscount;
    linePrice -= lineDiscount;
    const rate = toAtoms(line.taxRate);
    let lineTax: Atoms;
    let lineExcluded: Atoms;
    if (line.taxIncluded && rate > 0n) {
      lineTax = divRound(linePrice * rate, fromInteger(100) + rate, d);
      lineExcluded = linePrice - lineTax;
    } else {
      lineTax = percentOf(linePrice, rate, d);
      lineExcluded = linePrice;
    }
    tax += lineTax;
    excluded += lineExcluded;
  }
  const priceTaxExcluded = round(excluded, d);
  let tip = order.tipAmount === null ? 0n : round(toAtoms(order.tipAmount), d);
  if (order.tipPercent !== null) tip += percentOf(priceTaxExcluded, toAtoms(order.tipPercent), d);
  const priceTaxIncluded = priceTaxExcluded + tax;
  let taxOnTip = 0n;
  const tipTaxRate = order.tipTaxRate === null ? 0n : toAtoms(order.tipTaxRate);
  if (tipTaxRate > 0n && tip > 0n) {
    taxOnTip = percentOf(tip, tipTaxRate, d);
    tax += taxOnTip;
  }
  const total = round(priceTaxIncluded + tip + taxOnTip, d);
  return {
    discount,
    tax,
    taxOnTip,
    itemsTotal: priceTaxExcluded + discount,
    priceTaxExcluded,
    tip,
    priceTaxIncluded,
    total,
  };
}

/** The one tax rate shared by every line, or null when they differ or there are none. */
export function sharedTaxRate(lines: readonly OrderLine[]): string | null {
  const first = lines[0];
  if (!first) return null;
  const rate = toAtoms(first.taxRate);
  return lines.every((l) => toAtoms(l.taxRate) === rate) ? first.taxRate : null;
}
