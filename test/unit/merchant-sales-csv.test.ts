import { describe, expect, it } from 'vitest';
import { csvField, salesCsv } from '../../main/merchant/sales-csv';

describe('sales CSV', () => {
  it('quotes separators and neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvField('Latte')).toBe('Latte');
    expect(csvField('Latte, Croissant')).toBe('"Latte, Croissant"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('a\nb')).toBe('"a\nb"');
  });

  it('writes one row per sale, oldest first, amounts as decimal text', () => {
    const at = new Date(2026, 0, 2, 9, 5, 7).getTime();
    const csv = salesCsv([
      {
        invoiceId: 'B',
        orderId: 'flash-2',
        createdAt: at + 60_000,
        amount: '4.25',
        currency: 'USD',
        state: 'paid',
        summary: 'Latte',
        reward: { sats: 100, state: 'claimed' },
      },
      {
        invoiceId: 'A',
        orderId: null,
        createdAt: at,
        amount: '12.15',
        currency: 'USD',
        state: 'expired',
        summary: 'Latte, Croissant',
        reward: null,
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'date,invoice_id,order_id,state,amount,currency,items',
      '2026-01-02 09:05:07,A,,expired,12.15,USD,"Latte, Croissant"',
      '2026-01-02 09:06:07,B,flash-2,paid,4.25,USD,Latte',
      '',
    ]);
  });
});
