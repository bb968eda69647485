import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../main/nostr/identity';
import type { FetchLike } from '../../main/nostr/profile';
import { parseProfile, profileTemplate, verifyNip05 } from '../../main/nostr/profile';

function fakeFetch(
  routes: Record<string, { status?: number; body: unknown } | Error>,
): FetchLike & { urls: string[] } {
  const urls: string[] = [];
  const f = (async (url: string) => {
    urls.push(url);
    const r = routes[url];
    if (!r) return { ok: false, status: 404, json: async () => ({}) };
    if (r instanceof Error) throw r;
    return { ok: (r.status ?? 200) < 300, status: r.status ?? 200, json: async () => r.body };
  }) as FetchLike & { urls: string[] };
  f.urls = urls;
  return f;
}

describe('nostr profile', () => {
  it('keeps only known string fields of kind 0', () => {
    expect(
      parseProfile('{"name":"alice","about":" hi ","lud16":"a@b.c","evil":{"x":1},"picture":5}'),
    ).toEqual({
      name: 'alice',
      about: 'hi',
      lud16: 'a@b.c',
    });
    expect(parseProfile('not json')).toEqual({});
    expect(parseProfile('[1,2]')).toEqual({});
    const t = profileTemplate({ name: 'Bob', nip05: 'bob@example.com', about: '' }, 42);
    expect(t).toMatchObject({ kind: 0, created_at: 42 });
    expect(JSON.parse(t.content)).toEqual({ name: 'Bob', nip05: 'bob@example.com' });
  });

  it('verifies NIP-05 with an injected fetch, and types every failure', async () => {
    const { pubkey } = generateKeyPair();
    const other = generateKeyPair().pubkey;
    const url = 'https://example.com/.well-known/nostr.json?name=bob';
    const ok = fakeFetch({
      [url]: { body: { names: { bob: pubkey }, relays: { [pubkey]: ['wss://r.example'] } } },
    });
    await expect(verifyNip05('Bob@Example.com', pubkey, ok)).resolves.toEqual({
      relays: ['wss://r.example'],
    });
    expect(ok.urls).toEqual([url]);

    const cases: [FetchLike, string][] = [
      [fakeFetch({ [url]: { body: { names: { bob: other } } } }), 'mismatch'],
      [fakeFetch({ [url]: { body: { nope: 1 } } }), 'format'],
      [fakeFetch({ [url]: { status: 500, body: {} } }), 'http'],
      [fakeFetch({ [url]: new Error('ECONNREFUSED') }), 'unreachable'],
    ];
    for (const [f, reason] of cases) {
      await expect(verifyNip05('bob@example.com', pubkey, f)).rejects.toMatchObject({
        code: 'NOSTR_NIP05_FAILED',
        details: expect.objectContaining({ reason }),
      });
    }
    await expect(verifyNip05('not an address', pubkey, ok)).rejects.toMatchObject({
      code: 'NOSTR_NIP05_FAILED',
    });
  });
});
