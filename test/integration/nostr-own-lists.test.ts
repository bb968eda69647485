import { nsecEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';
import { eventually, publishElsewhere, readElsewhere } from './nostr-outside-client';

const suite = useNostrSuite('flash-nostr-lists-');
const relay = suite.relay;

/** A Flash user who never edits relays by hand: only the relays it was started with. */
const newcomer = (name: string, relayUrls: string[], nsec?: string) =>
  startNostrUser(suite.dir, name, relayUrls, {
    cleanup: suite.cleanup,
    nsec,
    setRelays: 'skip',
    service: { defaultRelays: relayUrls },
  });

const KINDS = [0, 10002, 10050];

/** What another NOSTR app finds for `pubkey`, newest per kind. */
async function seenElsewhere(urls: string[], pubkey: string) {
  const events = await readElsewhere(urls, { kinds: KINDS, authors: [pubkey] });
  const byKind = new Map<number, (typeof events)[number]>();
  for (const e of events) {
    const cur = byKind.get(e.kind);
    if (!cur || e.created_at > cur.created_at) byKind.set(e.kind, e);
  }
  return byKind;
}

describe('a new NOSTR identity can be reached by other apps', () => {
  it('creating one publishes its relay list, DM relay list and a minimal profile', async () => {
    const r1 = await relay();
    const r2 = await relay();
    const alice = await newcomer('alice', [r1.url, r2.url]);
    for (const r of [r1, r2]) {
      const found = await eventually(`nostr-tools finds all three on ${r.url}`, async () => {
        const seen = await seenElsewhere([r.url], alice.pubkey);
        return seen.size === 3 ? seen : null;
      });
      const sorted = (tags: string[][] | undefined) =>
        [...(tags ?? [])].sort((a, b) => (a[1] ?? '').localeCompare(b[1] ?? ''));
      const urls = [r1.url, r2.url].sort();
      expect(sorted(found.get(10002)?.tags)).toEqual(urls.map((u) => ['r', u]));
      // NIP-17 senders (0xchat, Amethyst) send DMs only here.
      expect(sorted(found.get(10050)?.tags)).toEqual(urls.map((u) => ['relay', u]));
      expect(found.get(0)?.content).toBe('{}');
    }

    // Editing the profile afterwards, even within the same second, replaces the minimal one.
    await alice.nostr.updateProfile({ name: 'Alice' });
    const after = await seenElsewhere([r1.url], alice.pubkey);
    expect(JSON.parse(after.get(0)?.content ?? '{}')).toEqual({ name: 'Alice' });
  });

  it('importing a key keeps the lists and profile it already has on the relays', async () => {
    const r1 = await relay();
    const sk = generateSecretKey();
    const pubkey = getPublicKey(sk);
    const then = Math.floor(Date.now() / 1000) - 3600;
    const existing = await publishElsewhere(r1.url, sk, [
      { kind: 0, created_at: then, content: '{"name":"Old me"}', tags: [] },
      { kind: 10050, created_at: then, content: '', tags: [['relay', r1.url]] },
    ]);

    const flash = await newcomer('imported', [r1.url], nsecEncode(sk));
    // The missing 10002 is added; what was there stays as it was.
    const seen = await eventually('the missing relay list appears', async () => {
      const s = await seenElsewhere([r1.url], pubkey);
      return s.has(10002) ? s : null;
    });
    expect(seen.get(0)?.id).toBe(existing[0]?.id);
    expect(seen.get(10050)?.id).toBe(existing[1]?.id);
    expect(flash.nostr.getIdentity()?.profile).toEqual({ name: 'Old me' });
  });

  it('an imported key waits for every relay, so a profile on a relay that is down is not buried', async () => {
    const r1 = await relay();
    const r2 = await relay();
    const sk = generateSecretKey();
    const pubkey = getPublicKey(sk);
    await publishElsewhere(r2.url, sk, [
      { kind: 0, created_at: Math.floor(Date.now() / 1000) - 60, content: '{"name":"Real me"}', tags: [] },
    ]);
    await r2.pause();
    const flash = await newcomer('imported', [r1.url, r2.url], nsecEncode(sk));
    await until('r2 was tried', () =>
      flash.nostr.relayStatuses().find((s) => s.url === r2.url && s.attempts > 0),
    );
    await r2.resume();
    const seen = await eventually('the lists once both relays answered', async () => {
      const s = await seenElsewhere([r1.url], pubkey);
      return s.has(10002) && s.has(10050) ? s : null;
    });
    // No empty profile was ever published over the real one.
    expect(seen.has(0)).toBe(false);
    expect(flash.nostr.getIdentity()?.profile).toEqual({ name: 'Real me' });
  });

  it('offline at creation: nothing is guessed; the lists go out once a relay answers', async () => {
    const r1 = await relay();
    await r1.pause();
    const bob = await newcomer('bob', [r1.url]);
    // Give the first look-up time to fail, then bring the relay back.
    await until('the relay was tried', () =>
      bob.nostr.relayStatuses().find((s) => s.url === r1.url && s.attempts > 0),
    );
    expect(await r1.eventCount()).toBe(0);
    await r1.resume();
    const seen = await eventually('all three published after reconnecting', async () => {
      const s = await seenElsewhere([r1.url], bob.pubkey);
      return s.size === 3 ? s : null;
    });
    expect(seen.get(10050)?.tags).toEqual([['relay', r1.url]]);
  });
});
