import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import type { Event } from 'nostr-tools/pure';
import { finalizeEvent, getPublicKey } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import WebSocket from 'ws';
import { parseNwcUri } from '../../main/lightning/nwc/uri';

useWebSocketImplementation(WebSocket);

/** Another app speaking NIP-47 with nostr-tools, knowing only the URI Flash showed. */
export async function outsideApp(uri: string, scheme: 'nip44_v2' | 'nip04') {
  const u = parseNwcUri(uri);
  const relay = await Relay.connect(u.relays[0] ?? '');
  const clientPub = getPublicKey(u.secret);
  const answers = new Map<string, (content: string) => void>();
  const notifications: unknown[] = [];
  const seal = (text: string) =>
    scheme === 'nip04'
      ? nip04.encrypt(u.secret, u.walletPubkey, text)
      : nip44.encrypt(text, nip44.getConversationKey(u.secret, u.walletPubkey));
  const open = (payload: string) =>
    payload.includes('?iv=')
      ? nip04.decrypt(u.secret, u.walletPubkey, payload)
      : nip44.decrypt(payload, nip44.getConversationKey(u.secret, u.walletPubkey));
  const sub = relay.subscribe(
    [{ kinds: [23195, scheme === 'nip04' ? 23196 : 23197], authors: [u.walletPubkey], '#p': [clientPub] }],
    {
      onevent(e: Event) {
        if (e.kind === 23195) answers.get(e.tags.find((t) => t[0] === 'e')?.[1] ?? '')?.(e.content);
        else notifications.push(JSON.parse(open(e.content)));
      },
    },
  );
  const info = async () => {
    const found: Event[] = [];
    await new Promise<void>((resolve) => {
      const s = relay.subscribe([{ kinds: [13194], authors: [u.walletPubkey] }], {
        onevent: (e: Event) => void found.push(e),
        oneose: () => {
          s.close();
          resolve();
        },
      });
    });
    return found.sort((a, b) => b.created_at - a.created_at)[0];
  };
  return {
    uri: u,
    notifications,
    info,
    /** Sends one request and resolves with the decrypted answer, or null after `ms`. */
    async request(method: string, params: Record<string, unknown>, ms = 8000, reuse?: Event) {
      const event =
        reuse ??
        finalizeEvent(
          {
            kind: 23194,
            created_at: Math.floor(Date.now() / 1000),
            tags: [['p', u.walletPubkey], ...(scheme === 'nip04' ? [] : [['encryption', scheme]])],
            content: seal(JSON.stringify({ method, params })),
          },
          u.secret,
        );
      const answer = new Promise<Record<string, unknown> | null>((resolve) => {
        const t = setTimeout(() => resolve(null), ms);
        answers.set(event.id, (content) => {
          clearTimeout(t);
          resolve(JSON.parse(open(content)) as Record<string, unknown>);
        });
      });
      await relay.publish(event);
      return { event, answer: await answer };
    },
    close() {
      sub.close();
      relay.close();
    },
  };
}
