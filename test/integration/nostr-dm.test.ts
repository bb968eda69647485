import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { createDm } from '../../main/nostr/dm';
import { RelayPool } from '../../main/nostr/relay-pool';
import type { NostrConversation, NostrMessage } from '../../shared/contract/nostr';
import type { NostrUser as User } from '../support/stack-app';
import { PASSWORD, startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';

const suite = useNostrSuite('flash-nostr-it-');
const relay = suite.relay;

/** `offline`: its relays are unreachable, so publishing the relay list may fail. */
const user = (name: string, relayUrls: string[], opts: { nsec?: string; offline?: boolean } = {}) =>
  startNostrUser(suite.dir, name, relayUrls, {
    cleanup: suite.cleanup,
    nsec: opts.nsec,
    setRelays: opts.offline ? 'try' : 'expect-ok',
    service: { ncryptsecLogN: 8 },
  });

function conversationWith(u: User, members: string[]): NostrConversation | undefined {
  const want = [...members]
    .filter((m) => m !== u.pubkey)
    .sort()
    .join();
  return u.nostr.listConversations().find((c) => [...c.members].sort().join() === want);
}

function texts(u: User, conv: NostrConversation): string[] {
  return u.nostr.getMessages({ conversationId: conv.id }).map((m: NostrMessage) => m.text);
}

describe('NIP-17 DMs over real relays', () => {
  it('Alice and Bob talk both ways; self copies reach Alice’s other device', async () => {
    const r1 = await relay();
    const r2 = await relay();
    const alice = await user('alice', [r1.url, r2.url]);
    const bob = await user('bob', [r1.url, r2.url]);

    const sent = await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'Hi Bob, it is Alice' });
    expect(sent.results).toHaveLength(4); // 2 copies (Bob + self) x 2 relays
    expect(sent.results.every((r) => r.ok)).toBe(true);
    expect(sent.message.delivery).toMatchObject({ relays: 2, relaysOk: 2 });

    const bobConv = await until('Bob gets the DM', () => conversationWith(bob, [alice.pubkey]));
    expect(bobConv.unread).toBe(1);
    expect(texts(bob, bobConv)).toEqual(['Hi Bob, it is Alice']);
    expect(bob.events.some((e) => e.event === 'nostr.message')).toBe(true);

    await bob.nostr.sendMessage({ to: [alice.pubkey], text: 'Hello Alice!' });
    const aliceConv = await until('Alice gets the reply', () => {
      const c = conversationWith(alice, [bob.pubkey]);
      return c && texts(alice, c).length === 2 ? c : undefined;
    });
    expect(aliceConv.id).toBe(bobConv.id);
    expect(texts(alice, aliceConv)).toEqual(['Hi Bob, it is Alice', 'Hello Alice!']);
    expect(aliceConv.unread).toBe(1);
    alice.nostr.markRead({ conversationId: aliceConv.id });
    expect(conversationWith(alice, [bob.pubkey])?.unread).toBe(0);

    // Alice's second device, same key, fresh database: it recovers both sides from the relays.
    const nsec = alice.nsec();
    const alice2 = await user('alice2', [r1.url, r2.url], { nsec });
    const conv2 = await until('second device has both messages', () => {
      const c = conversationWith(alice2, [bob.pubkey]);
      return c && texts(alice2, c).length === 2 ? c : undefined;
    });
    const msgs = alice2.nostr.getMessages({ conversationId: conv2.id });
    expect(msgs.map((m) => [m.direction, m.text]).sort()).toEqual([
      ['in', 'Hello Alice!'],
      ['out', 'Hi Bob, it is Alice'],
    ]);
    expect(alice2.nostr.searchMessages({ query: 'hello' }).map((m) => m.text)).toEqual(['Hello Alice!']);
    // Alice's wrap was seen on both relays and stored once; Bob holds his reply and her message.
    const wrapToBob = sent.results.find((r) => r.recipient === bob.pubkey);
    expect(wrapToBob).toBeDefined();
    expect(bob.db.prepare('SELECT count(*) AS n FROM nostr_messages').get()).toEqual({ n: 2 });
    expect(
      bob.db
        .prepare(
          'SELECT count(*) AS n FROM nostr_event_relays r JOIN nostr_events e ON e.id = r.event_id WHERE e.message_id = ?',
        )
        .get(sent.message.id),
    ).toEqual({ n: 2 });
  });

  it('a 3-member group is one conversation for everyone', async () => {
    const r1 = await relay();
    const alice = await user('alice', [r1.url]);
    const bob = await user('bob', [r1.url]);
    const carol = await user('carol', [r1.url]);
    const all = [alice.pubkey, bob.pubkey, carol.pubkey];
    const sent = await alice.nostr.sendMessage({
      to: [bob.pubkey, carol.pubkey],
      text: 'Group: dinner Friday?',
    });
    expect(sent.results).toHaveLength(3);
    const cb = await until('Bob sees the group', () => conversationWith(bob, all));
    const cc = await until('Carol sees the group', () => conversationWith(carol, all));
    expect(cb.isGroup).toBe(true);
    expect(cb.id).toBe(cc.id);
    expect(cb.id).toBe(sent.message.conversationId);
    await carol.nostr.sendMessage({ to: [alice.pubkey, bob.pubkey], text: 'Yes from Carol' });
    for (const u of [alice, bob]) {
      await until(`${u.name} sees Carol's reply in the group`, () => {
        const c = conversationWith(u, all);
        return c && texts(u, c).includes('Yes from Carol');
      });
    }
    // Direct chats stay separate from the group.
    expect(conversationWith(bob, [alice.pubkey])).toBeUndefined();
  });

  it('one relay down: per-relay failure, "sent to 1 of 2", message still arrives', async () => {
    const r1 = await relay();
    const r2 = await relay();
    const alice = await user('alice', [r1.url, r2.url]);
    const bob = await user('bob', [r1.url, r2.url]);
    await r1.pause();
    await until('Alice notices r1 is down', () =>
      alice.nostr.relayStatuses().find((s) => s.url === r1.url && s.state === 'backoff'),
    );
    const sent = await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'while r1 is down' });
    const byRelay = new Map(sent.results.map((r) => [r.url, r.ok]));
    expect(byRelay.get(r1.url)).toBe(false);
    expect(byRelay.get(r2.url)).toBe(true);
    expect(sent.results.find((r) => r.url === r1.url)?.message).toMatch(/not connected|connection/);
    expect(sent.message.delivery).toMatchObject({ relays: 2, relaysOk: 1 });
    await until('Bob gets it via r2', () => conversationWith(bob, [alice.pubkey]));
    const info = alice.nostr.listRelays().find((r) => r.url === r1.url);
    expect(info?.status?.state).toMatch(/backoff|connecting/);
    expect(info?.status?.attempts).toBeGreaterThan(0);
  });

  it('relay restarted mid-conversation: reconnects, retries, loses and duplicates nothing', async () => {
    const r1 = await relay();
    const alice = await user('alice', [r1.url]);
    const bob = await user('bob', [r1.url]);
    await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'one' });
    await until('Bob gets one', () => conversationWith(bob, [alice.pubkey]));

    await r1.pause();
    await until('both in backoff', () =>
      [alice, bob].every((u) =>
        u.nostr.relayStatuses().some((s) => s.url === r1.url && s.state === 'backoff'),
      ),
    );
    const whileDown = await alice.nostr.sendMessage({
      to: [bob.pubkey],
      text: 'two (sent while the relay was down)',
    });
    expect(whileDown.results.every((r) => !r.ok)).toBe(true);
    expect(whileDown.message.delivery).toMatchObject({ relaysOk: 0 });
    await r1.resume();

    await until('both reconnected', () =>
      [alice, bob].every((u) => u.nostr.relayStatuses().some((s) => s.url === r1.url && s.state === 'open')),
    );
    await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'three' });
    const conv = await until('Bob has all three', () => {
      const c = conversationWith(bob, [alice.pubkey]);
      return c && texts(bob, c).length === 3 ? c : undefined;
    });
    expect(texts(bob, conv).sort()).toEqual(['one', 'three', 'two (sent while the relay was down)'].sort());
    // The retried message now counts as delivered.
    await until('delivery of "two" updated', () =>
      alice.nostr
        .getMessages({ conversationId: conv.id })
        .find((m) => m.id === whileDown.message.id && m.delivery?.relaysOk === 1),
    );
    await new Promise((r) => setTimeout(r, 300)); // replays after reconnect must not duplicate
    expect(texts(bob, conv)).toHaveLength(3);
    expect(conversationWith(bob, [alice.pubkey])?.unread).toBe(3);
  });

  it('a relay serving forged or garbled events: rejected, counted per relay, never stored', async () => {
    const good = await relay();
    const bad = await relay({ forge: 'forged-sig' });
    const alice = await user('alice', [good.url, bad.url]);
    const bob = await user('bob', [good.url, bad.url]);
    await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'real one' });
    await until('Bob gets the real one from the good relay', () => conversationWith(bob, [alice.pubkey]));
    const forged = await until('forged copies counted', () =>
      bob.nostr.relayStatuses().find((s) => s.url === bad.url && s.rejected.forged > 0),
    );
    expect(forged.received).toBe(0);
    expect(bob.nostr.relayStatuses().find((s) => s.url === good.url)?.rejected.forged).toBe(0);

    // A gift wrap only the bad relay has: Bob never stores it.
    const eve = createDm(new Uint8Array(32).fill(7), [bob.pubkey], 'only on the bad relay');
    const pool = new RelayPool({ log: silentLogger });
    const res = await pool.publish(eve.wraps[0]!.wrap, [bad.url]);
    pool.close();
    expect(res[0]?.ok).toBe(true);
    bad.forge = 'garbled';
    await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'second real one' });
    await until('garbled frames counted', () =>
      bob.nostr.relayStatuses().find((s) => s.url === bad.url && s.rejected.malformed > 0),
    );
    await until('Bob has the two real messages', () => {
      const c = conversationWith(bob, [alice.pubkey]);
      return c && texts(bob, c).length === 2;
    });
    const wrapId = eve.wraps[0]!.wrap.id;
    expect(bob.db.prepare('SELECT count(*) AS n FROM nostr_events WHERE id = ?').get(wrapId)).toEqual({
      n: 0,
    });
    expect(bob.nostr.listConversations()).toHaveLength(1);
  });

  it('an AUTH-required relay: NIP-42 answered, then events accepted and served', async () => {
    const authRelay = await relay({ requireAuth: true });
    const alice = await user('alice', [authRelay.url]);
    const bob = await user('bob', [authRelay.url]);
    const sent = await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'behind auth' });
    expect(sent.results.every((r) => r.ok)).toBe(true);
    await until('Bob reads it after authenticating', () => conversationWith(bob, [alice.pubkey]));
    for (const u of [alice, bob]) {
      expect(u.nostr.relayStatuses().find((s) => s.url === authRelay.url)?.auth).toBe('authenticated');
    }
    // Without a key to sign AUTH, the same relay refuses.
    const anon = new RelayPool({ log: silentLogger, publishTimeoutMs: 2000 });
    const stranger = createDm(new Uint8Array(32).fill(9), [bob.pubkey], 'x').wraps[0]!.wrap;
    const refused = await anon.publish(stranger, [authRelay.url]);
    anon.close();
    expect(refused[0]).toMatchObject({ ok: false });
    expect(refused[0]?.message).toMatch(/auth-required/);
  });

  it('messages arriving while the vault is locked wait (as ciphertext) and open on unlock', async () => {
    const r1 = await relay();
    const alice = await user('alice', [r1.url]);
    const bob = await user('bob', [r1.url]);
    bob.vault.lock();
    await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'sent while Bob was locked' });
    await until(
      'Bob stored the wrap',
      () =>
        (bob.db.prepare('SELECT count(*) AS n FROM nostr_events WHERE processed = 0').get() as { n: number })
          .n === 1,
    );
    expect(bob.nostr.listConversations()).toHaveLength(0); // nothing readable yet
    await bob.vault.unlock(PASSWORD);
    const c = await until('Bob opens it after unlock', () => conversationWith(bob, [alice.pubkey]));
    expect(texts(bob, c)).toEqual(['sent while Bob was locked']);
  });

  it('identity export, bad input and unreachable relays give typed errors, not crashes', async () => {
    const alice = await user('alice', ['ws://127.0.0.1:1'], { offline: true });
    const { ncryptsec } = await alice.nostr.exportNcryptsec({
      vaultPassword: PASSWORD,
      exportPassword: 'export-pw',
    });
    expect(ncryptsec).toMatch(/^ncryptsec1/);
    await expect(
      alice.nostr.exportNcryptsec({ vaultPassword: 'wrong password', exportPassword: 'x' }),
    ).rejects.toMatchObject({
      code: 'VAULT_WRONG_PASSWORD',
    });
    expect(() => alice.nostr.createIdentity()).toThrow(
      expect.objectContaining({ code: 'NOSTR_IDENTITY_EXISTS' }),
    );
    await expect(alice.nostr.sendMessage({ to: ['npub1nope'], text: 'x' })).rejects.toMatchObject({
      code: 'NOSTR_INVALID_KEY',
    });
    await expect(alice.nostr.sendMessage({ to: ['f'.repeat(64)], text: 'x' })).rejects.toMatchObject({
      code: 'NOSTR_INVALID_KEY',
    });
    const bobKey = (await user('bob', ['ws://127.0.0.1:1'], { offline: true })).pubkey;
    await expect(alice.nostr.sendMessage({ to: [bobKey], text: 'y'.repeat(40_000) })).rejects.toMatchObject({
      code: 'NOSTR_CONTENT_TOO_LARGE',
    });
    const sent = await alice.nostr.sendMessage({ to: [bobKey], text: 'into the void' });
    expect(sent.results.every((r) => !r.ok)).toBe(true);
    expect(sent.message.delivery).toMatchObject({ relaysOk: 0 });
    // Kept locally, still readable.
    expect(alice.nostr.searchMessages({ query: 'void' })).toHaveLength(1);
    expect(() => alice.nostr.getMessages({ conversationId: 'a'.repeat(64) })).toThrow(
      expect.objectContaining({ code: 'NOSTR_CONVERSATION_NOT_FOUND' }),
    );
  });
});
