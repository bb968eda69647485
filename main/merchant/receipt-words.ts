import type { SaleState } from '../../shared/contract/merchant';

/**
 * The words printed on a receipt, in the store's language (a store setting, not the cashier's
 * screen language: the customer reads it). BTCPay's own cart lines (`receiptData.Cart`) are
 * printed as BTCPay wrote them.
 */
export const RECEIPT_LANGUAGES = ['en', 'es'] as const;
export type ReceiptLanguage = (typeof RECEIPT_LANGUAGES)[number];

export interface ReceiptWords {
  receipt: string;
  date: string;
  order: string;
  invoice: string;
  total: string;
  status: string;
  note: string;
  labels: Record<'ItemsTotal' | 'Discount' | 'Subtotal' | 'Tax' | 'Tip' | 'TaxOnTip', string>;
  states: Record<SaleState, string>;
}

const EN: ReceiptWords = {
  receipt: 'Receipt',
  date: 'Date',
  order: 'Order',
  invoice: 'Invoice',
  total: 'Total',
  status: 'Status',
  note: 'Note',
  labels: {
    ItemsTotal: 'Items total',
    Discount: 'Discount',
    Subtotal: 'Subtotal',
    Tax: 'Tax',
    Tip: 'Tip',
    TaxOnTip: 'Tax on tip',
  },
  states: {
    waiting: 'Not paid',
    partial: 'Partly paid',
    processing: 'Paid (confirming)',
    paid: 'Paid',
    paidOver: 'Paid (overpaid)',
    expired: 'Expired, not paid',
    expiredPartial: 'Expired, partly paid',
    paidLate: 'Paid after expiry',
    invalid: 'Invalid',
  },
};

const ES: ReceiptWords = {
  receipt: 'Recibo',
  date: 'Fecha',
  order: 'Pedido',
  invoice: 'Factura',
  total: 'Total',
  status: 'Estado',
  note: 'Nota',
  labels: {
    ItemsTotal: 'Total artículos',
    Discount: 'Descuento',
    Subtotal: 'Subtotal',
    Tax: 'Impuestos',
    Tip: 'Propina',
    TaxOnTip: 'Impuestos de la propina',
  },
  states: {
    waiting: 'Sin pagar',
    partial: 'Pagado en parte',
    processing: 'Pagado (confirmando)',
    paid: 'Pagado',
    paidOver: 'Pagado (de más)',
    expired: 'Caducado, sin pagar',
    expiredPartial: 'Caducado, pagado en parte',
    paidLate: 'Pagado después de caducar',
    invalid: 'No válido',
  },
};

export function receiptWords(language: ReceiptLanguage): ReceiptWords {
  return language === 'es' ? ES : EN;
}
