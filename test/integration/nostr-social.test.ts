import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { finalizeEvent } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { channelMetadataTemplate, channelPostTemplate } from '../../main/nostr/channels';
import { RelayPool } from '../../main/nostr/relay-pool';
import { startSocks5Server } from '../stack/socks5';
import { startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';

const suite = useNostrSuite('flash-nostr-social-');
const relay = suite.relay;

/** `publishRelays: false`: a new machine that only reads what the relays hold. */
const user = (
  name: string,
  relayUrls: string[],
  opts: { nsec?: string; publishRelays?: boolean; proxy?: { host: string; port: number } } = {},
) =>
  startNostrUser(suite.dir, name, relayUrls, {
    cleanup: suite.cleanup,
    nsec: opts.nsec,
    setRelays: opts.publishRelays === false ? 'skip' : 'expect-ok',
    service: { defaultRelays: relayUrls, nip05Scheme: 'http', ...(opts.proxy ? { proxy: opts.proxy } : {}) },
  });

describe('NIP-28 public channels over real relays', () => {
  it('Alice creates a channel, Bob joins by nevent and posts, Alice sees it live', async () => {
    const r1 = await relay();
    const r2 = await relay();
    const alice = await user('alice', [r1.url, r2.url]);
    const bob = await user('bob', [r1.url, r2.url]);

    const { channel, results } = await alice.nostr.createChannel({
      name: 'Flash market',
      about: 'Public chat',
    });
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(channel).toMatchObject({ name: 'Flash market', about: 'Public chat', mine: true, posts: 0 });
    expect(channel.nevent).toMatch(/^nevent1/);
    expect(alice.nostr.listChannels().map((c) => c.id)).toEqual([channel.id]);

    const joined = await bob.nostr.joinChannel({ ref: channel.nevent });
    expect(joined).toMatchObject({
      id: channel.id,
      name: 'Flash market',
      mine: false,
      creator: alice.pubkey,
    });
    const { post } = await bob.nostr.postToChannel({ channelId: channel.id, text: 'Hello market' });
    expect(post.mine).toBe(true);

    await until('Alice gets Bob’s post', () =>
      alice.nostr.getChannelPosts({ channelId: channel.id }).find((p) => p.text === 'Hello market'),
    );
    expect(alice.events.some((e) => e.event === 'nostr.channelPost')).toBe(true);
    const [seen] = alice.nostr.getChannelPosts({ channelId: channel.id });
    expect(seen).toMatchObject({ author: bob.pubkey, mine: false, replyTo: null });

    // A reply carries the NIP-10 reply marker; both stored once even though two relays serve it.
    const reply = await alice.nostr.postToChannel({
      channelId: channel.id,
      text: 'Welcome Bob',
      replyTo: post.id,
    });
    expect(reply.post.replyTo).toBe(post.id);
    await until('Bob sees the reply', () =>
      bob.nostr.getChannelPosts({ channelId: channel.id }).find((p) => p.text === 'Welcome Bob'),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(bob.nostr.getChannelPosts({ channelId: channel.id })).toHaveLength(2);

    // Metadata: the creator renames; Bob may not; a stranger's kind 41 is ignored.
    await alice.nostr.updateChannel({ channelId: channel.id, name: 'Flash bazaar' });
    await until('Bob sees the new name', () =>
      bob.nostr.listChannels().find((c) => c.name === 'Flash bazaar'),
    );
    await expect(bob.nostr.updateChannel({ channelId: channel.id, name: 'Hijacked' })).rejects.toMatchObject({
      code: 'NOSTR_NOT_CHANNEL_OWNER',
    });
    const mallory = new Uint8Array(32).fill(5);
    const fake = finalizeEvent(
      channelMetadataTemplate(channel.id, { name: 'Hijacked' }, r1.url, Math.floor(Date.now() / 1000) + 5),
      mallory,
    );
    const pool = new RelayPool({ log: silentLogger });
    expect((await pool.publish(fake, [r1.url]))[0]?.ok).toBe(true);
    pool.close();
    await alice.nostr.postToChannel({ channelId: channel.id, text: 'after the fake rename' });
    await until('Bob gets the later post', () =>
      bob.nostr.getChannelPosts({ channelId: channel.id }).find((p) => p.text === 'after the fake rename'),
    );
    expect(bob.nostr.listChannels()[0]?.name).toBe('Flash bazaar');

    // Joining by hex works too; leaving forgets the posts.
    const carol = await user('carol', [r1.url]);
    const byHex = await carol.nostr.joinChannel({ ref: channel.id });
    expect(byHex.name).toBe('Flash bazaar');
    await until(
      'Carol loads the history',
      () => carol.nostr.getChannelPosts({ channelId: channel.id }).length === 3,
    );
    carol.nostr.leaveChannel({ channelId: channel.id });
    expect(carol.nostr.listChannels()).toEqual([]);
    expect(() => carol.nostr.getChannelPosts({ channelId: channel.id })).toThrow(
      expect.objectContaining({ code: 'NOSTR_CHANNEL_NOT_FOUND' }),
    );
  });

  it('channel events from a relay that forges signatures are rejected and never stored', async () => {
    const good = await relay();
    const bad = await relay({ forge: 'forged-sig' });
    const alice = await user('alice', [good.url, bad.url]);
    const bob = await user('bob', [good.url, bad.url]);
    const { channel } = await alice.nostr.createChannel({ name: 'Honest room' });
    await bob.nostr.joinChannel({ ref: channel.id });
    // A post only the bad relay holds: it serves it with a broken signature.
    const only = finalizeEvent(
      channelPostTemplate(channel.id, 'only on the bad relay', bad.url, 1000),
      new Uint8Array(32).fill(3),
    );
    const pool = new RelayPool({ log: silentLogger });
    expect((await pool.publish(only, [bad.url]))[0]?.ok).toBe(true);
    pool.close();
    await alice.nostr.postToChannel({ channelId: channel.id, text: 'real post' });
    await until('Bob gets the real post', () =>
      bob.nostr.getChannelPosts({ channelId: channel.id }).find((p) => p.text === 'real post'),
    );
    await until('forged events counted', () =>
      bob.nostr.relayStatuses().find((s) => s.url === bad.url && s.rejected.forged > 0),
    );
    expect(bob.nostr.getChannelPosts({ channelId: channel.id }).map((p) => p.text)).toEqual(['real post']);
    expect(bob.db.prepare('SELECT count(*) AS n FROM nostr_channel_posts WHERE id = ?').get(only.id)).toEqual(
      { n: 0 },
    );
  });

  it('unknown or malformed channel ids give typed errors', async () => {
    const r1 = await relay();
    const alice = await user('alice', [r1.url]);
    await expect(alice.nostr.joinChannel({ ref: 'a'.repeat(64) })).rejects.toMatchObject({
      code: 'NOSTR_CHANNEL_NOT_FOUND',
    });
    await expect(alice.nostr.joinChannel({ ref: 'nevent1garbage' })).rejects.toMatchObject({
      code: 'NOSTR_BAD_CHANNEL_ID',
    });
    await expect(alice.nostr.postToChannel({ channelId: 'b'.repeat(64), text: 'x' })).rejects.toMatchObject({
      code: 'NOSTR_CHANNEL_NOT_FOUND',
    });
  });
});

describe('contacts, profiles and NIP-05 over real relays', () => {
  it('kind 3 is merged with the newest list on relays, so another client’s contacts survive', async () => {
    const r1 = await relay();
    const alice = await user('alice', [r1.url]);
    const bob = await user('bob', [r1.url]);
    const carol = await user('carol', [r1.url]);
    const dave = await user('dave', [r1.url]);

    const first = await alice.nostr.follow({ pubkey: bob.pubkey, petname: 'Bobby' });
    expect(first.results[0]?.ok).toBe(true);
    expect(first.contacts).toMatchObject([{ pubkey: bob.pubkey, petname: 'Bobby' }]);

    // Alice's other device (another client, same key) adds Carol.
    const alice2 = await user('alice2', [r1.url], { nsec: alice.nsec() });
    await until('second device reads the contact list back', () => alice2.nostr.listContacts().length === 1);
    await new Promise((r) => setTimeout(r, 1100)); // a later created_at
    await alice2.nostr.follow({ pubkey: carol.pubkey });

    // The first device has not seen that yet; adding Dave must not drop Carol.
    await new Promise((r) => setTimeout(r, 1100));
    const merged = await alice.nostr.follow({ pubkey: dave.pubkey, petname: 'Dave', relay: r1.url });
    expect(merged.contacts.map((c) => c.pubkey)).toEqual([bob.pubkey, carol.pubkey, dave.pubkey]);
    expect(merged.contacts[2]).toMatchObject({ petname: 'Dave', relay: r1.url });

    // Renaming keeps the position; unfollowing removes.
    const renamed = await alice.nostr.follow({ pubkey: bob.pubkey, petname: 'Bob B.' });
    expect(renamed.contacts.map((c) => c.petname)).toEqual(['Bob B.', null, 'Dave']);
    const after = await alice.nostr.unfollow({ pubkey: carol.pubkey });
    expect(after.contacts.map((c) => c.pubkey)).toEqual([bob.pubkey, dave.pubkey]);
    await expect(alice.nostr.follow({ pubkey: alice.pubkey })).rejects.toMatchObject({ code: 'BAD_INPUT' });

    const [person] = alice.nostr.getPeople({ pubkeys: [bob.pubkey] });
    expect(person).toMatchObject({ petname: 'Bob B.', isContact: true });
  });

  it('others’ kind 0 is fetched and cached; NIP-05 shows verified or unverified', async () => {
    const r1 = await relay();
    const names: Record<string, string> = {};
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      asked.push(url.searchParams.get('name') ?? '');
      if (url.pathname !== '/.well-known/nostr.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ names }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    suite.cleanup.add(() => new Promise<void>((r) => server.close(() => r())));
    const local = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A stranger's NIP-05 domain may not be this machine, so the names server is reached the way
    // a real one would be: by name, through the proxy, which resolves it (as Tor does).
    const host = 'names.example';
    const proxy = await startSocks5Server({ names: { [`${host}:80`]: local } });
    suite.cleanup.add(() => proxy.close());

    const alice = await user('alice', [r1.url], { proxy });
    const bob = await user('bob', [r1.url]);
    const carol = await user('carol', [r1.url]);
    const dave = await user('dave', [r1.url]);
    const eve = await user('eve', [r1.url]);
    await dave.nostr.updateProfile({ name: 'Dave' });
    names.bob = bob.pubkey;
    names.carol = alice.pubkey; // Carol claims a name that points to someone else
    names.eve = eve.pubkey;
    await bob.nostr.updateProfile({ name: 'Bob', nip05: `bob@${host}` });
    await carol.nostr.updateProfile({ display_name: 'Carol C', nip05: `carol@${host}` });
    // Right name, but on a local port: never fetched, so never verified.
    await eve.nostr.updateProfile({ name: 'Eve', nip05: `eve@${local}` });

    const before = alice.nostr.getPeople({ pubkeys: [bob.pubkey, carol.pubkey] });
    expect(before.map((p) => p.name)).toEqual([null, null]);
    await until('profiles fetched and NIP-05 checked', () => {
      const [b, c] = alice.nostr.getPeople({ pubkeys: [bob.pubkey, carol.pubkey] });
      return b?.nip05Status === 'verified' && c?.nip05Status === 'unverified';
    });
    const [b, c] = alice.nostr.getPeople({ pubkeys: [bob.pubkey, carol.pubkey] });
    expect(b).toMatchObject({ name: 'Bob', nip05: `bob@${host}`, petname: null, isContact: false });
    expect(c).toMatchObject({ name: 'Carol C', nip05Status: 'unverified' });
    expect(proxy.targets).toContain(`${host}:80`);
    await until('Eve’s local NIP-05 refused', () =>
      alice.nostr.getPeople({ pubkeys: [eve.pubkey] }).find((p) => p.nip05Status === 'unverified'),
    );
    expect(asked).not.toContain('eve');
    // Someone without NIP-05: the fetched name alone is announced, so the UI redraws.
    expect(alice.nostr.getPeople({ pubkeys: [dave.pubkey] })[0]).toMatchObject({
      name: null,
      nip05Status: 'none',
    });
    await until('a nostr.people event names Dave', () =>
      alice.events.some(
        (e) =>
          e.event === 'nostr.people' && (e.payload as { pubkeys: string[] }).pubkeys.includes(dave.pubkey),
      ),
    );
    expect(alice.nostr.getPeople({ pubkeys: [dave.pubkey] })[0]?.name).toBe('Dave');
    // Cached in SQLite: no new check while fresh.
    names.carol = carol.pubkey;
    await new Promise((r) => setTimeout(r, 300));
    expect(alice.nostr.getPeople({ pubkeys: [carol.pubkey] })[0]?.nip05Status).toBe('unverified');
  });

  it('a key imported on a new machine reads its profile, relays, contacts and merchant data back', async () => {
    const r1 = await relay();
    const r2 = await relay();
    const alice = await user('alice', [r1.url, r2.url]);
    const bob = await user('bob', [r1.url]);
    await alice.nostr.updateProfile({ name: 'Alice' });
    await alice.nostr.follow({ pubkey: bob.pubkey, petname: 'Bob' });
    await alice.nostr.setMerchantProfile({ businessName: 'Alice’s Coffee', website: 'https://example.com' });

    // New machine: only r1 known at first (the default), nothing published from here.
    const fresh = await user('alice-new', [r1.url], { nsec: alice.nsec(), publishRelays: false });
    await until('profile read back', () => fresh.nostr.getIdentity()?.profile.name === 'Alice');
    await until('relay list read back', () => fresh.nostr.listRelays().length === 2);
    expect(
      fresh.nostr
        .listRelays()
        .map((r) => r.url)
        .sort(),
    ).toEqual([r1.url, r2.url].sort());
    expect(fresh.nostr.listContacts()).toMatchObject([{ pubkey: bob.pubkey, petname: 'Bob' }]);
    expect(fresh.nostr.getMerchantProfile()).toEqual({
      businessName: 'Alice’s Coffee',
      website: 'https://example.com',
    });
  });
});

describe('receipts by DM', () => {
  it('Alice sends a receipt; Bob gets a message that is readable text and a parsed receipt', async () => {
    const r1 = await relay();
    const alice = await user('alice', [r1.url]);
    const bob = await user('bob', [r1.url]);
    await expect(
      alice.nostr.sendReceipt({
        to: [bob.pubkey],
        receipt: { items: [{ description: 'Tea', quantity: 1, unitSats: 10 }] },
      }),
    ).rejects.toMatchObject({ code: 'NOSTR_BAD_RECEIPT' });
    await alice.nostr.setMerchantProfile({ businessName: 'Corner Café' });
    const txid = 'ab'.repeat(32);
    const sent = await alice.nostr.sendReceipt({
      to: [bob.pubkey],
      receipt: {
        items: [
          { description: 'Latte', quantity: 2, unitSats: 4000 },
          { description: 'Croissant', quantity: 1, unitSats: 2500 },
        ],
        txid,
      },
    });
    expect(sent.message.receipt).toMatchObject({ merchant: 'Corner Café', totalSats: 10_500, txid });
    expect(sent.message.text).toContain('Total: 10,500 sats');
    const conv = await until('Bob gets the receipt', () => bob.nostr.listConversations()[0]);
    const [msg] = bob.nostr.getMessages({ conversationId: conv.id });
    expect(msg?.receipt).toMatchObject({
      merchant: 'Corner Café',
      totalSats: 10_500,
      items: [{ description: 'Latte' }, { description: 'Croissant' }],
    });
    expect(msg?.text.startsWith('Receipt from Corner Café')).toBe(true);
  });
});
