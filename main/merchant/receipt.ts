import type { Sale } from '../../shared/contract/merchant';
import type { ReceiptWords } from './receipt-words';
import { receiptWords } from './receipt-words';

/**
 * A receipt: the lines BTCPay's POS wrote into the invoice (`receiptData`), the totals, and a QR
 * of BTCPay's public receipt page. Laid out for A4 or a thermal roll (80 or 58 mm), written as a
 * PDF without any dialog.
 */

export type ReceiptLayout = 'a4' | '80mm' | '58mm';

export interface ReceiptDoc {
  storeName: string;
  invoiceId: string;
  orderId: string;
  date: Date;
  /** Label → text, in order (cart lines, then Subtotal, Discount, Tax, Tip, Total). */
  lines: [string, string][];
  total: string;
  status: string;
  note: string | null;
  receiptUrl: string;
}

/** Builds the receipt from the invoice's metadata as BTCPay's POS writes it. */
export function receiptFromSale(
  sale: Sale,
  storeName: string,
  metadata: Record<string, unknown>,
  words: ReceiptWords = receiptWords('en'),
): ReceiptDoc {
  const data = (metadata['receiptData'] ?? {}) as Record<string, unknown>;
  const lines: [string, string][] = [];
  const cart = data['Cart'];
  if (cart && typeof cart === 'object') {
    for (const [k, v] of Object.entries(cart as Record<string, unknown>))
      if (typeof v === 'string') lines.push([k, v]);
  }
  for (const key of ['ItemsTotal', 'Discount', 'Subtotal', 'Tax', 'Tip', 'TaxOnTip'] as const) {
    const v = data[key];
    if (typeof v === 'string') lines.push([words.labels[key], v]);
  }
  const total = typeof data['Total'] === 'string' ? data['Total'] : `${sale.amount} ${sale.currency}`;
  return {
    storeName,
    invoiceId: sale.invoiceId,
    orderId: sale.orderId,
    date: new Date(sale.createdAt),
    lines,
    total,
    status: sale.state,
    note: sale.note,
    receiptUrl: sale.receiptUrl,
  };
}

const PAGE_WIDTH_PT: Record<ReceiptLayout, number> = {
  a4: 595.28,
  '80mm': (80 / 25.4) * 72,
  '58mm': (58 / 25.4) * 72,
};

/** The receipt link as a QR image (data URL) for the HTML receipt; qrcode loads on first use. */
export async function receiptQrDataUrl(url: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toDataURL(url, { margin: 1 });
}

/** The receipt as a PDF (PDFKit, standard Helvetica: no font files needed). */
export async function receiptPdf(
  doc: ReceiptDoc,
  layout: ReceiptLayout,
  statusText: string,
  words: ReceiptWords = receiptWords('en'),
): Promise<Uint8Array> {
  const width = PAGE_WIDTH_PT[layout];
  const margin = layout === 'a4' ? 56 : 10;
  const fontSize = layout === '58mm' ? 7 : layout === '80mm' ? 8.5 : 11;
  const inner = width - margin * 2;
  const lineHeight = fontSize * 1.5;
  const height =
    layout === 'a4'
      ? 841.89
      : margin * 2 + lineHeight * (doc.lines.length + 12) + (doc.note ? lineHeight * 3 : 0) + inner * 0.8;
  const { default: QRCode } = await import('qrcode');
  const qrPng = await QRCode.toBuffer(doc.receiptUrl, { margin: 1, width: 300, errorCorrectionLevel: 'M' });

  // Imported here, not at the top: PDFKit is the heaviest package in main (about 0.3 s to load
  // on a busy machine) and only receipts use it, so start-up does not pay for it.
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({
    size: [width, height],
    margin,
    info: { Title: `${words.receipt} ${doc.orderId}`, Producer: 'Flash' },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    pdf.on('error', reject);
  });

  const row = (left: string, right: string, bold = false): void => {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(fontSize);
    const y = pdf.y;
    pdf.text(left, margin, y, { width: inner * 0.6 });
    const afterLeft = pdf.y;
    pdf.text(right, margin + inner * 0.6, y, { width: inner * 0.4, align: 'right' });
    pdf.y = Math.max(afterLeft, pdf.y);
  };

  pdf
    .font('Helvetica-Bold')
    .fontSize(fontSize * 1.4)
    .text(doc.storeName, { align: 'center' });
  pdf.moveDown(0.3);
  pdf.font('Helvetica').fontSize(fontSize).text(words.receipt, { align: 'center' });
  pdf.moveDown(0.6);
  // Ids are long: each on a line of its own, full width, so they are never broken.
  const full = (text: string): void => {
    pdf.font('Helvetica').fontSize(fontSize).text(text, margin, pdf.y, { width: inner });
  };
  full(`${words.date} ${doc.date.toISOString().replace('T', ' ').slice(0, 16)} UTC`);
  full(`${words.order} ${doc.orderId}`);
  full(`${words.invoice} ${doc.invoiceId}`);
  pdf.moveDown(0.6);
  for (const [label, value] of doc.lines) row(label, value);
  pdf.moveDown(0.4);
  row(words.total, doc.total, true);
  row(words.status, statusText);
  if (doc.note) {
    pdf.moveDown(0.4);
    pdf
      .font('Helvetica')
      .fontSize(fontSize)
      .text(`${words.note}: ${doc.note}`, margin, pdf.y, { width: inner });
  }
  pdf.moveDown(0.8);
  const qrSize = Math.min(inner * 0.6, 150);
  pdf.image(qrPng, margin + (inner - qrSize) / 2, pdf.y, { width: qrSize, height: qrSize });
  pdf.y += qrSize + 4;
  pdf
    .font('Helvetica')
    .fontSize(fontSize * 0.85)
    .text(doc.receiptUrl, margin, pdf.y, { width: inner, align: 'center' });
  pdf.end();
  return done;
}

/** The receipt as HTML, for printing through Electron's own engine (printToPDF). */
export function receiptHtml(
  doc: ReceiptDoc,
  layout: ReceiptLayout,
  statusText: string,
  qrDataUrl: string,
  words: ReceiptWords = receiptWords('en'),
): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const width = layout === 'a4' ? '180mm' : layout === '80mm' ? '72mm' : '50mm';
  const rows = doc.lines.map(([l, v]) => `<tr><td>${esc(l)}</td><td class="r">${esc(v)}</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(words.receipt)} ${esc(doc.orderId)}</title><style>
body{font-family:Helvetica,Arial,sans-serif;width:${width};margin:0 auto;font-size:${layout === 'a4' ? '11pt' : '8pt'}}
h1{text-align:center;font-size:1.4em;margin:0.2em 0}table{width:100%;border-collapse:collapse}.r{text-align:right}
.total td{font-weight:bold;border-top:1px solid #000}img{display:block;margin:0.8em auto;width:60%}p{text-align:center;word-break:break-all}
</style></head><body><h1>${esc(doc.storeName)}</h1><p>${esc(words.receipt)}</p><table>
<tr><td>${esc(words.date)}</td><td class="r">${esc(doc.date.toISOString().replace('T', ' ').slice(0, 16))} UTC</td></tr>
<tr><td>${esc(words.order)}</td><td class="r">${esc(doc.orderId)}</td></tr><tr><td>${esc(words.invoice)}</td><td class="r">${esc(doc.invoiceId)}</td></tr>
${rows}<tr class="total"><td>${esc(words.total)}</td><td class="r">${esc(doc.total)}</td></tr><tr><td>${esc(words.status)}</td><td class="r">${esc(statusText)}</td></tr>
</table>${doc.note ? `<p>${esc(words.note)}: ${esc(doc.note)}</p>` : ''}<img alt="" src="${qrDataUrl}"><p>${esc(doc.receiptUrl)}</p></body></html>`;
}
