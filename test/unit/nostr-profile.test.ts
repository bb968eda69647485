import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../main/nostr/identity';
import type { Nip05Fetcher } from '../../main/nostr/nip05-fetch';
import { parseProfile, profileTemplate, verifyNip05 } from '../../main/nostr/profile';
import { FlashError } from '../../shared/errors';

/** Answers like fetchNip05Json: parsed JSON, or its typed failures. */
function fakeFetch(
  routes: Record<string, { status?: number; body: unknown } | Error>,
): Nip05Fetcher & { urls: string[] } {
  const urls: string[] = [];
  const f = (async (url: string) => {
    urls.push(url);
    const r = routes[url];
    if (!r) throw new FlashError('NOSTR_NIP05_FAILED', 'HTTP 404', { reason: 'http', status: 404 });
    if (r instanceof Error) throw r;
    if ((r.status ?? 200) >= 300)
      throw new FlashError('NOSTR_NIP05_FAILED', `HTTP ${r.status}`, {
        reason: 'http',
        status: r.status ?? 0,
      });
    return r.body;
  }) as Nip05Fetcher & { urls: string[] };
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

    const cases: [Nip05Fetcher, string][] = [
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
