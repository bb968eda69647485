import { wrapEvent } from 'nostr-tools/nip17';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import * as nip19 from 'nostr-tools/nip19';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { RelayPool } from '../../main/nostr/relay-pool';
import type { NostrEvent } from '../../main/nostr/verify';
import { startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';

const suite = useNostrSuite('flash-nostr-backfill-');

/** More than the stack relay's default answer to a filter without a limit (100, as many relays). */
const MESSAGES = 260;

describe('a first load of a big DM inbox over a real relay', () => {
  it('pages back past the relay’s first answer until every message is in', async () => {
    const r = await suite.relay();
    const bobKey = generateSecretKey();
    const bob = getPublicKey(bobKey);
    const senders = [generateSecretKey(), generateSecretKey(), generateSecretKey()];

    // Strangers' clients wrote to Bob while Flash was closed.
    const outside = new RelayPool({ log: silentLogger });
    try {
      const wraps: NostrEvent[] = [];
      for (let i = 0; i < MESSAGES; i++) {
        const from = senders[i % senders.length]!;
        wraps.push(wrapEvent(from, { publicKey: bob }, `message ${i}`) as NostrEvent);
      }
      for (let i = 0; i < wraps.length; i += 40) {
        const results = await Promise.all(wraps.slice(i, i + 40).map((w) => outside.publish(w, [r.url])));
        expect(results.flat().every((res) => res.ok)).toBe(true);
      }
    } finally {
      outside.close();
    }
    expect(await r.eventCount()).toBeGreaterThanOrEqual(MESSAGES);

    const user = await startNostrUser(suite.dir, 'bob', [r.url], {
      cleanup: suite.cleanup,
      nsec: nip19.nsecEncode(bobKey),
      setRelays: 'expect-ok',
    });
    const count = () =>
      (user.db.prepare('SELECT count(*) AS n FROM nostr_messages').get() as { n: number }).n;
    await until(`all ${MESSAGES} messages stored`, () => (count() === MESSAGES ? true : undefined));
    const conversations = user.nostr.listConversations();
    expect(conversations).toHaveLength(senders.length);
    const texts = conversations.flatMap((c) =>
      user.nostr.getMessages({ conversationId: c.id, limit: 1_000 }).map((m) => m.text),
    );
    expect(new Set(texts).size).toBe(MESSAGES);
    expect(texts).toContain('message 0');
    expect(texts).toContain(`message ${MESSAGES - 1}`);
  });
});
