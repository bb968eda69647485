import { nsecEncode } from 'nostr-tools/nip19';
import { silentLogger } from '../main/core/logger';
import { RelayPool } from '../main/nostr/relay-pool';
import type { NostrEvent } from '../main/nostr/verify';
import type { TestRelay } from '../test/stack/nostr-relays';
import { startNostrRelay } from '../test/stack/nostr-relays';
import { inbox } from './nostr';

export interface RelayInbox {
  relay: TestRelay;
  nsec: string;
  messages: number;
  publishMs: number;
}

/**
 * A real relay (the stack's) holding `n` NIP-17 gift wraps to one key, for the app process to
 * load as a user's inbox: the relay answers 100 a query by default, so the app pages its history.
 */
export async function relayWithInbox(n: number): Promise<RelayInbox> {
  const fixture = await inbox(n);
  const relay = await startNostrRelay();
  const pool = new RelayPool({ log: silentLogger, publishTimeoutMs: 60_000 });
  const t0 = performance.now();
  try {
    const events = fixture.raws.map((r) => JSON.parse(r) as NostrEvent);
    for (let i = 0; i < events.length; i += 200) {
      const results = await Promise.all(events.slice(i, i + 200).map((e) => pool.publish(e, [relay.url])));
      const refused = results.flat().find((r) => !r.ok);
      if (refused) throw new Error(`the relay refused a gift wrap: ${JSON.stringify(refused)}`);
    }
  } catch (err) {
    await relay.stop();
    throw err;
  } finally {
    pool.close();
  }
  return { relay, nsec: nsecEncode(fixture.secretKey), messages: n, publishMs: performance.now() - t0 };
}
