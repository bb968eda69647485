import * as nip19 from 'nostr-tools/nip19';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import {
  channelCreateTemplate,
  channelIdOf,
  channelMetadataTemplate,
  channelPostTemplate,
  channelRefEncode,
  KIND_CHANNEL_CREATE,
  KIND_CHANNEL_MESSAGE,
  KIND_CHANNEL_METADATA,
  parseChannelMetadata,
  parseChannelRef,
  replyToOf,
} from '../../main/nostr/channels';
import { applyContactChange, KIND_CONTACTS, newestOf, parseContacts } from '../../main/nostr/contacts';
import {
  KIND_APP_DATA,
  merchantTemplate,
  MERCHANT_D_TAG,
  parseMerchantEvent,
} from '../../main/nostr/merchant';
import { buildReceipt, formatReceipt, parseReceipt, RECEIPT_MARKER } from '../../main/nostr/receipt';

const sk = generateSecretKey();
const me = getPublicKey(sk);
const hex = (c: string) => c.repeat(64);

describe('NIP-28 events', () => {
  it('kind 40 carries the metadata as JSON and needs a name', () => {
    const t = channelCreateTemplate({ name: ' Market ', about: 'Talk', relays: ['wss://r.example'] }, 100);
    expect(t).toMatchObject({ kind: KIND_CHANNEL_CREATE, created_at: 100, tags: [] });
    expect(JSON.parse(t.content)).toEqual({ name: 'Market', about: 'Talk', relays: ['wss://r.example'] });
    expect(() => channelCreateTemplate({ name: '  ' }, 1)).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
  });

  it('kind 41 and 42 point at the channel with a NIP-10 root tag; a reply adds reply + p', () => {
    const meta = channelMetadataTemplate(hex('a'), { name: 'New' }, 'wss://r', 5);
    expect(meta.kind).toBe(KIND_CHANNEL_METADATA);
    expect(meta.tags).toEqual([['e', hex('a'), 'wss://r', 'root']]);
    const post = finalizeEvent(
      channelPostTemplate(hex('a'), 'hi', 'wss://r', 6, { id: hex('b'), author: hex('c') }),
      sk,
    );
    expect(post.kind).toBe(KIND_CHANNEL_MESSAGE);
    expect(post.tags).toEqual([
      ['e', hex('a'), 'wss://r', 'root'],
      ['e', hex('b'), 'wss://r', 'reply'],
      ['p', hex('c'), 'wss://r'],
    ]);
    expect(channelIdOf(post)).toBe(hex('a'));
    expect(replyToOf(post)).toBe(hex('b'));
    expect(() => channelPostTemplate(hex('a'), '   ', '', 1)).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
    expect(() => channelPostTemplate(hex('a'), 'x'.repeat(16_001), '', 1)).toThrow(
      expect.objectContaining({ code: 'NOSTR_CONTENT_TOO_LARGE' }),
    );
  });

  it('reads the channel of old positional-tag posts, and none from malformed tags', () => {
    const base = {
      id: hex('1'),
      pubkey: me,
      sig: hex('2') + hex('2'),
      kind: 42,
      created_at: 1,
      content: 'x',
    };
    expect(channelIdOf({ ...base, tags: [['e', hex('d')]] })).toBe(hex('d'));
    expect(channelIdOf({ ...base, tags: [['e', 'nothex']] })).toBeNull();
    expect(channelIdOf({ ...base, tags: [['e', hex('d'), '', 'reply']] })).toBeNull();
    expect(channelIdOf({ ...base, tags: [] })).toBeNull();
  });

  it('parses metadata leniently but never throws', () => {
    expect(parseChannelMetadata('{"name":"A","about":3,"relays":["wss://x","http://no",1]}')).toEqual({
      name: 'A',
      about: '',
      picture: '',
      relays: ['wss://x'],
    });
    expect(parseChannelMetadata('not json')).toBeNull();
    expect(parseChannelMetadata('[1,2]')).toBeNull();
    expect(parseChannelMetadata('null')).toBeNull();
  });

  it('channel ids: hex, note, nevent (with hints); anything else is NOSTR_BAD_CHANNEL_ID', () => {
    const id = hex('e');
    expect(parseChannelRef(id.toUpperCase())).toEqual({ id, relays: [], author: null });
    expect(parseChannelRef(nip19.noteEncode(id))).toEqual({ id, relays: [], author: null });
    const nevent = channelRefEncode(id, ['ws://127.0.0.1:7000'], me);
    expect(parseChannelRef(`nostr:${nevent}`)).toEqual({ id, relays: ['ws://127.0.0.1:7000'], author: me });
    const wrongKind = nip19.neventEncode({ id, kind: 1 });
    for (const bad of ['', 'abc', nip19.npubEncode(me), wrongKind, 'nevent1qqqq'])
      expect(() => parseChannelRef(bad)).toThrow(expect.objectContaining({ code: 'NOSTR_BAD_CHANNEL_ID' }));
  });
});

describe('kind 3 contacts', () => {
  const base = finalizeEvent(
    {
      kind: KIND_CONTACTS,
      created_at: 1000,
      content: '{"wss://relay":{"read":true}}',
      tags: [
        ['p', hex('1'), 'wss://a', 'One'],
        ['t', 'bitcoin'],
        ['p', hex('2')],
        ['p', hex('1'), '', 'dup'],
        ['p', 'bad'],
      ],
    },
    sk,
  );

  it('parses p tags (first wins, malformed skipped)', () => {
    expect(parseContacts(base)).toEqual([
      { pubkey: hex('1'), relay: 'wss://a', petname: 'One' },
      { pubkey: hex('2'), relay: null, petname: null },
    ]);
    expect(parseContacts(null)).toEqual([]);
  });

  it('follow appends, keeps every other tag and the content', () => {
    const next = applyContactChange(base, { op: 'follow', pubkey: hex('3'), petname: 'Three' }, 2000);
    expect(next.content).toBe(base.content);
    expect(next.created_at).toBe(2000);
    expect(next.tags).toEqual([
      ['p', hex('1'), 'wss://a', 'One'],
      ['t', 'bitcoin'],
      ['p', hex('2')],
      ['p', hex('1'), '', 'dup'],
      ['p', 'bad'],
      ['p', hex('3'), '', 'Three'],
    ]);
  });

  it('renaming replaces in place (and drops duplicates); unfollow removes', () => {
    const renamed = applyContactChange(
      base,
      { op: 'follow', pubkey: hex('1'), petname: 'Uno', relay: null },
      2000,
    );
    expect(renamed.tags.filter((t) => t[1] === hex('1'))).toEqual([['p', hex('1'), '', 'Uno']]);
    expect(renamed.tags[0]).toEqual(['p', hex('1'), '', 'Uno']);
    const removed = applyContactChange(base, { op: 'unfollow', pubkey: hex('1') }, 2000);
    expect(parseContacts({ ...base, tags: removed.tags }).map((c) => c.pubkey)).toEqual([hex('2')]);
    expect(applyContactChange(null, { op: 'follow', pubkey: hex('4') }, 5)).toEqual({
      kind: 3,
      created_at: 5,
      tags: [['p', hex('4')]],
      content: '',
    });
  });

  it('never goes back in time, and picks the newest of two lists', () => {
    expect(applyContactChange(base, { op: 'unfollow', pubkey: hex('2') }, 900).created_at).toBe(1001);
    const later = { ...base, created_at: 1001, id: hex('f') };
    expect(newestOf(base, later)).toBe(later);
    expect(newestOf(null, base)).toBe(base);
    expect(newestOf({ ...base, id: hex('0') }, { ...base, id: hex('9') })?.id).toBe(hex('0'));
  });
});

describe('receipts', () => {
  const input = {
    items: [
      { description: 'Latte', quantity: 2, unitSats: 4000 },
      { description: 'Bun', quantity: 1, unitSats: 1500 },
    ],
    txid: 'AB'.repeat(32),
  };

  it('round-trips: readable text plus one machine-readable line', () => {
    const r = buildReceipt(input, 'Café', 1_700_000_000);
    expect(r).toMatchObject({ merchant: 'Café', totalSats: 9500, txid: 'ab'.repeat(32) });
    const text = formatReceipt(r);
    expect(text.split('\n')[0]).toBe('Receipt from Café');
    expect(text).toContain('- Latte × 2: 8,000 sats');
    expect(text).toContain('Total: 9,500 sats');
    expect(text.trimEnd().split('\n').pop()?.startsWith(RECEIPT_MARKER)).toBe(true);
    expect(parseReceipt(text)).toEqual(r);
  });

  it('rejects malformed receipts: plain text, bad JSON, wrong shape, wrong total, marker not last', () => {
    const good = buildReceipt(input, 'Café', 1);
    const line = (o: unknown) => `Receipt\n${RECEIPT_MARKER}${JSON.stringify(o)}`;
    expect(parseReceipt('hello')).toBeNull();
    expect(parseReceipt(`${RECEIPT_MARKER}{not json`)).toBeNull();
    expect(parseReceipt(line({ ...good, totalSats: 1 }))).toBeNull();
    expect(parseReceipt(line({ ...good, v: 2 }))).toBeNull();
    expect(parseReceipt(line({ ...good, items: [] }))).toBeNull();
    expect(
      parseReceipt(
        line({ ...good, items: [{ description: 'x', quantity: -1, unitSats: 1 }], totalSats: -1 }),
      ),
    ).toBeNull();
    expect(parseReceipt(line({ ...good, extra: 'field' }))).toBeNull();
    expect(parseReceipt(line({ ...good, txid: 'zz' }))).toBeNull();
    expect(parseReceipt(line({ ...good, merchant: '' }))).toBeNull();
    expect(parseReceipt(`${line(good)}\nP.S. trailing text`)).toBeNull();
    expect(parseReceipt(line(good))).toEqual(good);
  });

  it('building refuses what could not be parsed back', () => {
    expect(() => buildReceipt({ items: [{ description: 'x', quantity: 1, unitSats: 1 }] }, '  ', 1)).toThrow(
      expect.objectContaining({ code: 'NOSTR_BAD_RECEIPT' }),
    );
  });
});

describe('merchant profile (NIP-78)', () => {
  it('is a kind-30078 event with our d tag, parsed strictly', () => {
    const ev = finalizeEvent(merchantTemplate({ businessName: ' Shop ', website: '' }, 10), sk);
    expect(ev.kind).toBe(KIND_APP_DATA);
    expect(ev.tags).toEqual([['d', MERCHANT_D_TAG]]);
    expect(parseMerchantEvent(ev)).toEqual({ businessName: 'Shop' });
    const other = finalizeEvent(
      { ...merchantTemplate({ businessName: 'X' }, 10), tags: [['d', 'other']] },
      sk,
    );
    expect(parseMerchantEvent(other)).toBeNull();
    const junk = finalizeEvent(
      { ...merchantTemplate({ businessName: 'X' }, 10), content: '{"businessName":5}' },
      sk,
    );
    expect(parseMerchantEvent(junk)).toBeNull();
  });
});
