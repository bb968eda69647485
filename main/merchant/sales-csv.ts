import type { HistoryRow } from '../../shared/contract/merchant';

/** The columns of the sales export, in order. */
export const SALES_CSV_HEADER = ['date', 'invoice_id', 'order_id', 'state', 'amount', 'currency', 'items'];

/**
 * One CSV field. Quoted when it holds a separator, quote or line break; a leading =, +, - or @
 * is neutralised with an apostrophe because spreadsheets run such cells as formulas (an item
 * title comes from the POS app and a note from whoever typed it).
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function isoLocal(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(
    d.getMinutes(),
  )}:${pad(d.getSeconds())}`;
}

/** Rows oldest first, amounts as BTCPay wrote them (decimal text), CRLF as RFC 4180 says. */
export function salesCsv(rows: readonly HistoryRow[]): string {
  const lines = [SALES_CSV_HEADER.join(',')];
  for (const r of [...rows].sort((a, b) => a.createdAt - b.createdAt)) {
    lines.push(
      [isoLocal(r.createdAt), r.invoiceId, r.orderId ?? '', r.state, r.amount, r.currency, r.summary]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
