import * as nip19 from 'nostr-tools/nip19';
import { describe, expect, it } from 'vitest';
import { FlashError } from '../../shared/errors';
import { DEFAULT_REWARD_RULES, rewardFor } from '../../main/merchant/rewards/rules';
import type { StampInvoice } from '../../main/merchant/rewards/stamps';
import {
  customerFromId,
  earnsStamp,
  parseStampCustomer,
  stampCustomerId,
  stampOfSale,
  stampProgress,
  stampRewardKey,
  stampRewardSats,
  stampSearchTerm,
} from '../../main/merchant/rewards/stamps';

const HEX = '3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d';
const NPUB = nip19.npubEncode(HEX);
const ALICE = `npub:${HEX}`;
const RULE = { every: 3, minimumSale: '5' };

let clock = 1_700_000_000;
function inv(over: Partial<StampInvoice> = {}): StampInvoice {
  clock += 10;
  return {
    id: `inv${clock}`,
    createdTime: clock,
    status: 'Settled',
    amount: '8.50',
    currency: 'USD',
    customerId: ALICE,
    rewarded: false,
    ...over,
  };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FlashError) return err.code;
    throw err;
  }
  throw new Error('expected a FlashError');
}

describe('stamp card customers', () => {
  it('takes an npub, an nprofile, a hex key or nostr: URI; all name the same key', () => {
    const forms = [NPUB, `nostr:${NPUB}`, HEX.toUpperCase(), nip19.nprofileEncode({ pubkey: HEX })];
    for (const value of forms)
      expect(parseStampCustomer({ kind: 'npub', value })).toEqual({ kind: 'npub', key: HEX, display: NPUB });
  });

  it('refuses what is not a public key, in a typed error', () => {
    expect(code(() => parseStampCustomer({ kind: 'npub', value: 'npub1customer' }))).toBe(
      'MERCHANT_BAD_CUSTOMER',
    );
    expect(code(() => parseStampCustomer({ kind: 'npub', value: HEX.slice(2) }))).toBe(
      'MERCHANT_BAD_CUSTOMER',
    );
    // An nsec is a secret key: never a customer's name.
    const nsec = nip19.nsecEncode(new Uint8Array(32).fill(7));
    expect(code(() => parseStampCustomer({ kind: 'npub', value: nsec }))).toBe('MERCHANT_BAD_CUSTOMER');
  });

  it('takes a card UID as 7 bytes of hex, with or without separators, lower-cased', () => {
    expect(parseStampCustomer({ kind: 'card', value: '04:A1:B2:C3:D4:E5:F6' })).toEqual({
      kind: 'card',
      key: '04a1b2c3d4e5f6',
      display: '04a1b2c3d4e5f6',
    });
    expect(code(() => parseStampCustomer({ kind: 'card', value: '04a1b2c3d4e5' }))).toBe(
      'MERCHANT_BAD_CUSTOMER',
    );
    expect(code(() => parseStampCustomer({ kind: 'card', value: '04a1b2c3d4e5f6a7' }))).toBe(
      'MERCHANT_BAD_CUSTOMER',
    );
    expect(code(() => parseStampCustomer({ kind: 'card', value: '04a1b2c3d4e5zz' }))).toBe(
      'MERCHANT_BAD_CUSTOMER',
    );
  });

  it('writes one id and one search word per customer, and reads the id back', () => {
    const c = parseStampCustomer({ kind: 'npub', value: NPUB });
    expect(stampCustomerId(c)).toBe(ALICE);
    expect(stampSearchTerm(c)).toBe(`flashstamp-npub-${HEX}`);
    expect(stampSearchTerm(c)).not.toMatch(/\s/);
    expect(customerFromId(ALICE)).toEqual(c);
    expect(customerFromId('card:04a1b2c3d4e5f6')?.kind).toBe('card');
    expect(customerFromId('email:someone')).toBeNull();
    expect(customerFromId('npub:nothex')).toBeNull();
  });

  it('derives the reward key from store, customer and the Nth sale, nothing else', () => {
    const c = parseStampCustomer({ kind: 'npub', value: NPUB });
    const card = parseStampCustomer({ kind: 'card', value: '04a1b2c3d4e5f6' });
    const k = stampRewardKey('store1', c, 'invA');
    expect(k).toMatch(/^[0-9a-f]{32}$/);
    expect(stampRewardKey('store1', parseStampCustomer({ kind: 'npub', value: HEX }), 'invA')).toBe(k);
    expect(
      new Set([
        k,
        stampRewardKey('store2', c, 'invA'),
        stampRewardKey('store1', card, 'invA'),
        stampRewardKey('store1', c, 'invB'),
      ]).size,
    ).toBe(4);
  });
});

describe('stamp card count', () => {
  it('a settled sale at or over the minimum, in the store currency, earns a stamp', () => {
    expect(earnsStamp(inv({ amount: '5' }), RULE, 'usd')).toBe(true);
    expect(earnsStamp(inv({ amount: '4.99' }), RULE, 'USD')).toBe(false);
    expect(earnsStamp(inv({ status: 'Processing' }), RULE, 'USD')).toBe(false);
    expect(earnsStamp(inv({ status: 'Expired' }), RULE, 'USD')).toBe(false);
    expect(earnsStamp(inv({ currency: 'EUR' }), RULE, 'USD')).toBe(false);
  });

  it('counts to N, names the Nth sale as due, and starts a new card once it is rewarded', () => {
    const a = inv();
    const b = inv();
    expect(stampProgress([b, a], ALICE, RULE, 'USD')).toEqual({
      stamps: 2,
      due: null,
      lastFull: null,
      stamped: [a.id, b.id],
    });
    const c = inv();
    const due = stampProgress([a, b, c], ALICE, RULE, 'USD');
    expect(due).toEqual({ stamps: 3, due: c.id, lastFull: c.id, stamped: [a.id, b.id, c.id] });
    const d = inv();
    const after = stampProgress([a, b, { ...c, rewarded: true }, d], ALICE, RULE, 'USD');
    expect(after).toEqual({ stamps: 1, due: null, lastFull: c.id, stamped: [d.id] });
    expect(stampOfSale(after, 3, c.id)).toBe(3);
    expect(stampOfSale(after, 3, d.id)).toBe(1);
    expect(stampOfSale(after, 3, 'not-settled-yet')).toBe(1);
  });

  it('a sale under the minimum, another customer’s, or not settled adds nothing', () => {
    const list = [
      inv(),
      inv({ amount: '4.25' }),
      inv({ customerId: 'npub:' + 'a'.repeat(64) }),
      inv({ status: 'New' }),
      inv(),
    ];
    expect(stampProgress(list, ALICE, RULE, 'USD').stamps).toBe(2);
  });

  it('a reward spends exactly one card even when an older sale settled after the Nth', () => {
    // Two counters: y was made first but settled after x, which completed the card and was rewarded.
    const a = inv();
    const b = inv();
    const y = inv();
    const x = inv({ rewarded: true });
    const p = stampProgress([a, b, y, x], ALICE, RULE, 'USD');
    expect(p).toMatchObject({ stamps: 1, due: null, lastFull: x.id, stamped: [y.id] });
  });

  it('every counter seeing the same sales names the same Nth sale, in any order', () => {
    const list = [inv(), inv(), inv(), inv(), inv(), inv(), inv()];
    const shuffled = [...list].reverse();
    const one = stampProgress(list, ALICE, RULE, 'USD');
    expect(stampProgress(shuffled, ALICE, RULE, 'USD')).toEqual(one);
    expect(one.due).toBe(list[2]!.id);
    // Its reward made, the next full card's Nth sale is due.
    const next = stampProgress(
      list.map((i, n) => (n === 2 ? { ...i, rewarded: true } : i)),
      ALICE,
      RULE,
      'USD',
    );
    expect(next.due).toBe(list[5]!.id);
    const both = stampProgress(
      list.map((i, n) => (n === 2 || n === 5 ? { ...i, rewarded: true } : i)),
      ALICE,
      RULE,
      'USD',
    );
    expect(both).toMatchObject({ stamps: 1, due: null, lastFull: list[5]!.id });
  });

  it('same created second: the invoice id decides the order', () => {
    const t = clock + 1000;
    const list = ['c', 'a', 'b'].map((id) => inv({ id, createdTime: t }));
    expect(stampProgress(list, ALICE, RULE, 'USD')).toMatchObject({ due: 'c', stamped: ['a', 'b', 'c'] });
    // The selling counter's clock (ms) orders them first, where the invoices say it.
    const timed = [
      inv({ id: 'a', createdTime: t, soldAtMs: t * 1000 + 900 }),
      inv({ id: 'b', createdTime: t, soldAtMs: t * 1000 + 100 }),
      inv({ id: 'c', createdTime: t, soldAtMs: t * 1000 + 500 }),
    ];
    expect(stampProgress(timed, ALICE, RULE, 'USD')).toMatchObject({ due: 'a', stamped: ['b', 'c', 'a'] });
  });
});

describe('stamp card reward amount', () => {
  const rules = { ...DEFAULT_REWARD_RULES, enabled: true, kind: 'stamps' as const, sats: 700, percent: '10' };

  it('is the fixed sats, or the percentage of the Nth sale’s sats rounded down', () => {
    expect(stampRewardSats(rules, 12_345)).toBe(700);
    expect(stampRewardSats({ ...rules, stampPays: 'percent' }, 12_345)).toBe(1234);
    expect(stampRewardSats({ ...rules, stampPays: 'percent', percent: '0.5' }, 199)).toBe(0);
  });

  it('the per-sale rule gives nothing for a stamp card (the card decides)', () => {
    const sale = { state: 'paid' as const, amount: '20', currency: 'USD', paidSats: 20_000 };
    expect(rewardFor(rules, sale, 'USD')).toEqual({ sats: 0, why: 'stamp-card' });
  });
});
