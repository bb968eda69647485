import { FlashError } from '../../shared/errors';
import type { Nip05Fetcher } from './nip05-fetch';
import type { NostrEvent } from './verify';

export const PROFILE_FIELDS = [
  'name',
  'display_name',
  'picture',
  'about',
  'nip05',
  'lud16',
  'website',
  'banner',
] as const;
export type Profile = Partial<Record<(typeof PROFILE_FIELDS)[number], string>>;

const MAX_FIELD = 2000;

/** Keeps only known string fields (trimmed, bounded) from a kind-0 content. Never throws. */
export function parseProfile(content: string): Profile {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Profile = {};
  for (const f of PROFILE_FIELDS) {
    const v = (raw as Record<string, unknown>)[f];
    if (typeof v === 'string' && v.trim() !== '') out[f] = v.trim().slice(0, MAX_FIELD);
  }
  return out;
}

export function profileFromEvent(event: NostrEvent): Profile {
  return event.kind === 0 ? parseProfile(event.content) : {};
}

/** The kind-0 template for our profile (content is the JSON of the fields set). */
export function profileTemplate(profile: Profile, createdAt: number) {
  const clean: Profile = {};
  for (const f of PROFILE_FIELDS) {
    const v = profile[f];
    if (typeof v === 'string' && v.trim() !== '') clean[f] = v.trim().slice(0, MAX_FIELD);
  }
  return { kind: 0, created_at: createdAt, tags: [] as string[][], content: JSON.stringify(clean) };
}

const NIP05 = /^([a-z0-9._-]+)@([a-z0-9.-]+\.[a-z]{2,}|localhost|127\.0\.0\.1(?::\d+)?|[a-z0-9.-]+:\d+)$/i;

/**
 * NIP-05: fetches <scheme>://<domain>/.well-known/nostr.json?name=<local> with `fetchJson`
 * (which refuses redirects, caps the size and times out: see nip05-fetch.ts) and checks that
 * names[local] equals `pubkey`. Returns the relays it lists for the key. Throws
 * NOSTR_NIP05_FAILED for a bad identifier, an unreachable or refused host, bad JSON or a mismatch.
 */
export async function verifyNip05(
  identifier: string,
  pubkey: string,
  fetchJson: Nip05Fetcher,
  opts: { scheme?: 'https' | 'http' } = {},
): Promise<{ relays: string[] }> {
  const m = NIP05.exec(identifier.trim());
  if (!m) throw new FlashError('NOSTR_NIP05_FAILED', 'Not a NIP-05 identifier.', { reason: 'format' });
  const local = (m[1] ?? '').toLowerCase();
  const domain = (m[2] ?? '').toLowerCase();
  const url = `${opts.scheme ?? 'https'}://${domain}/.well-known/nostr.json?name=${encodeURIComponent(local)}`;
  let body: unknown;
  try {
    body = await fetchJson(url);
  } catch (err) {
    if (err instanceof FlashError) throw err;
    throw new FlashError('NOSTR_NIP05_FAILED', 'Could not reach the NIP-05 host.', { reason: 'unreachable' });
  }
  const names = (body as { names?: unknown } | null)?.names;
  if (typeof names !== 'object' || names === null) {
    throw new FlashError('NOSTR_NIP05_FAILED', 'The NIP-05 document has no names.', { reason: 'format' });
  }
  const found = (names as Record<string, unknown>)[local];
  if (typeof found !== 'string' || found.toLowerCase() !== pubkey) {
    throw new FlashError('NOSTR_NIP05_FAILED', 'The NIP-05 name points to another key.', {
      reason: 'mismatch',
    });
  }
  const relaysMap = (body as { relays?: Record<string, unknown> }).relays;
  const relays =
    relaysMap && Array.isArray(relaysMap[pubkey])
      ? (relaysMap[pubkey] as unknown[]).filter((r): r is string => typeof r === 'string')
      : [];
  return { relays };
}
