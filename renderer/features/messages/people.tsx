import { useCallback, useMemo } from 'react';
import type { NostrPerson } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useFlashEvent, useQuery } from '../../app/hooks';
import { useT } from '../../i18n';
import { shortNpub } from './keys';

export type People = ReadonlyMap<string, NostrPerson>;

/**
 * Names and NIP-05 state for `pubkeys` (cached in main; missing ones are fetched there and
 * announced with `nostr.people`, which reloads this).
 */
export function usePeople(pubkeys: readonly string[]): People {
  const flash = useFlash();
  const key = [...new Set(pubkeys)].sort().join(',');
  const load = useCallback(
    () => flash.nostr.getPeople({ pubkeys: key === '' ? [] : key.split(',') }),
    [flash, key],
  );
  const query = useQuery(load);
  const { reload } = query;
  useFlashEvent('nostr.people', ({ pubkeys: changed }) => {
    if (changed.some((p) => key.includes(p))) reload();
  });
  return useMemo(() => new Map((query.value ?? []).map((p) => [p.pubkey, p])), [query.value]);
}

/** Petname, else profile name, else a short npub. */
export function displayName(pubkey: string, people: People): string {
  const p = people.get(pubkey);
  return p?.petname ?? p?.name ?? shortNpub(pubkey);
}

export function namesOf(pubkeys: readonly string[], people: People): string {
  return pubkeys.map((p) => displayName(p, people)).join(', ');
}

/** Two letters from the name (or the npub's first data characters): no picture is ever loaded. */
export function initials(pubkey: string, people: People): string {
  const p = people.get(pubkey);
  const name = p?.petname ?? p?.name;
  if (!name) return shortNpub(pubkey).slice(5, 7).toUpperCase();
  const words = name.trim().split(/\s+/);
  const first = [...(words[0] ?? '')][0] ?? '';
  const second =
    words.length > 1 ? ([...(words[words.length - 1] ?? '')][0] ?? '') : ([...(words[0] ?? '')][1] ?? '');
  return (first + second).toUpperCase();
}

export function Avatar({ pubkey, people }: { pubkey: string; people: People }) {
  // A stable hue per key so the same person keeps the same colour.
  const hue = Number.parseInt(pubkey.slice(0, 4), 16) % 360;
  return (
    <span className="social-avatar" aria-hidden="true" style={{ backgroundColor: `hsl(${hue} 45% 42%)` }}>
      {initials(pubkey, people)}
    </span>
  );
}

/** "verified" only when the NIP-05 check passed; failures say "unverified", never an error. */
export function Nip05Badge({ person }: { person: NostrPerson | undefined }) {
  const t = useT();
  if (!person?.nip05 || person.nip05Status === 'none') return null;
  if (person.nip05Status === 'verified')
    return (
      <span className="badge badge-verified social-nip05" title={person.nip05}>
        {t('social.nip05.verified', { nip05: person.nip05 })}
      </span>
    );
  if (person.nip05Status === 'unverified')
    return (
      <span className="badge badge-failed social-nip05" title={t('social.nip05.unverifiedHint')}>
        {t('social.nip05.unverified', { nip05: person.nip05 })}
      </span>
    );
  return <span className="badge badge-pending social-nip05">{t('social.nip05.checking')}</span>;
}

/** Avatar, name and badge in one line. */
export function PersonName({ pubkey, people }: { pubkey: string; people: People }) {
  return (
    <span className="social-person">
      <Avatar pubkey={pubkey} people={people} />
      <span className="social-person-name">{displayName(pubkey, people)}</span>
      <Nip05Badge person={people.get(pubkey)} />
    </span>
  );
}
