import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it, vi } from 'vitest';
import { setNativeCurve } from '../../main/core/native-secp256k1';
import type { NostrEvent } from '../../main/nostr/verify';
import { setSchnorrBackend } from '../../main/nostr/signature';
import { checkEvent, verifierKind, verifierReady } from '../../main/nostr/verify';

// No libsecp256k1 build (native or WASM) and no nostr-wasm: pure JS, with the same verdicts.
vi.mock('nostr-wasm', () => ({
  initNostrWasm: () => Promise.reject(new Error('WebAssembly unavailable')),
}));
setSchnorrBackend(null);
setNativeCurve(null);

const sk = generateSecretKey();
const plain = (e: NostrEvent): NostrEvent => JSON.parse(JSON.stringify(e)) as NostrEvent;
const good = plain(finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags: [], content: 'hello' }, sk));
const other = plain(finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags: [], content: 'other' }, sk));

describe('nostr verification without WASM', () => {
  it('falls back to the pure-JS verifier', async () => {
    await expect(verifierReady).resolves.toBe('js');
    expect(verifierKind()).toBe('js');
  });

  it('still accepts valid events and rejects forged signatures and wrong ids', async () => {
    await verifierReady;
    expect(checkEvent(plain(good))).toMatchObject({ ok: true });
    expect(checkEvent({ ...plain(good), sig: other.sig })).toMatchObject({ ok: false, reason: 'forged' });
    expect(checkEvent({ ...plain(good), id: other.id, sig: other.sig })).toMatchObject({
      ok: false,
      reason: 'forged',
    });
    expect(checkEvent({ ...plain(good), content: 'hellO' })).toMatchObject({ ok: false, reason: 'forged' });
  });
});
