import { getP2PKExpectedWitnessPubkeys, getSecretKind } from '@cashu/cashu-ts';
import { FlashError } from '../../shared/errors';
import type { NostrEvent } from '../nostr/verify';
import type { PlainProof } from './proof-codec';
import { cleanMintUrl } from './mints';

/**
 * NIP-61 nutzaps: eCash locked (NUT-11 P2PK) to a key the recipient announced, published as an
 * event anyone can see, so the payment is its own receipt.
 *
 * - kind 10019 (replaceable): how to nutzap someone: `relay` tags (where they read nutzaps),
 *   `mint` tags (url, then the units taken) and one `pubkey` (the P2PK key, not their NOSTR key).
 * - kind 9321: the nutzap: a `proof` tag per proof (JSON), `u` the mint, `unit`, `p` the
 *   recipient, optionally `e`/`k` the event zapped; content is the comment.
 * - kind 7376 with `["e", <9321 id>, <relay>, "redeemed"]` in the clear: the recipient's record
 *   that it claimed the nutzap (its amount and direction encrypted to itself, NIP-60).
 */
export const KIND_NUTZAP_INFO = 10019;
export const KIND_NUTZAP = 9321;
export const KIND_HISTORY = 7376;

export interface NutzapInfo {
  pubkey: string;
  relays: string[];
  mints: { url: string; units: string[] }[];
  /** The P2PK key (compressed hex, 02/03…) tokens must be locked to. */
  p2pk: string;
  createdAt: number;
}

type Template = { kind: number; created_at: number; tags: string[][]; content: string };

export function nutzapInfoTemplate(
  info: { relays: string[]; mints: { url: string; units: string[] }[]; p2pk: string },
  createdAt: number,
): Template {
  return {
    kind: KIND_NUTZAP_INFO,
    created_at: createdAt,
    content: '',
    tags: [
      ...info.relays.map((r) => ['relay', r]),
      ...info.mints.map((m) => ['mint', m.url, ...m.units]),
      ['pubkey', info.p2pk],
    ],
  };
}

/** Reads someone's kind 10019; null when it says nothing usable (no key or no mint). */
export function parseNutzapInfo(event: NostrEvent): NutzapInfo | null {
  if (event.kind !== KIND_NUTZAP_INFO) return null;
  const relays = event.tags
    .filter((t) => t[0] === 'relay' && /^wss?:\/\//i.test(t[1] ?? ''))
    .map((t) => t[1] as string);
  const mints: NutzapInfo['mints'] = [];
  for (const t of event.tags) {
    if (t[0] !== 'mint' || !t[1]) continue;
    try {
      const units = t.slice(2).filter((u) => /^[a-z]{2,10}$/.test(u));
      mints.push({ url: cleanMintUrl(t[1]), units: units.length > 0 ? units : ['sat'] });
    } catch {
      // not a mint URL we could ever pay at
    }
  }
  const raw = event.tags.find((t) => t[0] === 'pubkey')?.[1]?.toLowerCase() ?? '';
  // NIP-61: a bare x-only key is taken with the 02 prefix (the NOSTR-to-Cashu convention).
  const p2pk = /^[0-9a-f]{64}$/.test(raw) ? `02${raw}` : /^0[23][0-9a-f]{64}$/.test(raw) ? raw : null;
  if (!p2pk || mints.length === 0) return null;
  return { pubkey: event.pubkey, relays, mints, p2pk, createdAt: event.created_at };
}

export function nutzapTemplate(
  input: {
    recipient: string;
    mintUrl: string;
    unit: string;
    proofs: readonly PlainProof[];
    comment: string;
    zapped?: { id: string; kind: number; relay?: string };
  },
  createdAt: number,
): Template {
  const tags: string[][] = input.proofs.map((p) => ['proof', JSON.stringify(p)]);
  tags.push(['u', input.mintUrl], ['unit', input.unit], ['p', input.recipient]);
  if (input.zapped) {
    tags.push(['e', input.zapped.id, input.zapped.relay ?? '']);
    tags.push(['k', String(input.zapped.kind)]);
  }
  return { kind: KIND_NUTZAP, created_at: createdAt, content: input.comment, tags };
}

export interface IncomingNutzap {
  id: string;
  sender: string;
  mintUrl: string;
  unit: string;
  proofs: PlainProof[];
  amount: number;
  comment: string;
}

/**
 * Checks a nutzap addressed to us against what we announced: to us (p tag), from a mint we
 * listed, every proof locked to our announced key. Anything else is refused: claiming a nutzap
 * from a mint we did not list would let a stranger make us trust it.
 */
export function readNutzap(
  event: NostrEvent,
  us: { pubkey: string; p2pk: string; mints: readonly string[] },
): IncomingNutzap {
  const bad = (why: string) => new FlashError('ECASH_TOKEN_INVALID', `Not a nutzap Flash can claim: ${why}.`);
  if (event.kind !== KIND_NUTZAP) throw bad('wrong kind');
  if (!event.tags.some((t) => t[0] === 'p' && t[1] === us.pubkey)) throw bad('not addressed to us');
  const rawMint = event.tags.find((t) => t[0] === 'u')?.[1];
  if (!rawMint) throw bad('no mint');
  let mintUrl: string;
  try {
    mintUrl = cleanMintUrl(rawMint);
  } catch {
    throw bad('bad mint URL');
  }
  if (!us.mints.includes(mintUrl)) throw bad('from a mint we did not list');
  const unit = event.tags.find((t) => t[0] === 'unit')?.[1] ?? 'sat';
  const proofs: PlainProof[] = [];
  for (const t of event.tags) {
    if (t[0] !== 'proof' || !t[1]) continue;
    proofs.push(proofFromJson(t[1]));
  }
  if (proofs.length === 0) throw bad('no proofs');
  const ours = us.p2pk.toLowerCase().slice(2);
  for (const p of proofs) {
    let kind: string | null = null;
    try {
      kind = getSecretKind(p.secret);
    } catch {
      kind = null;
    }
    if (kind !== 'P2PK') throw bad('a proof is not locked');
    const keys = getP2PKExpectedWitnessPubkeys(p.secret).map((k) => k.toLowerCase().slice(2));
    if (!keys.includes(ours)) throw bad('locked to another key');
  }
  return {
    id: event.id,
    sender: event.pubkey,
    mintUrl,
    unit,
    proofs,
    amount: proofs.reduce((s, p) => s + p.amount, 0),
    comment: event.content.slice(0, 500),
  };
}

function proofFromJson(json: string): PlainProof {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new FlashError('ECASH_TOKEN_INVALID', 'A nutzap proof is not JSON.');
  }
  const amount = typeof v.amount === 'string' ? Number(v.amount) : v.amount;
  if (
    typeof v.id !== 'string' ||
    typeof v.secret !== 'string' ||
    typeof v.C !== 'string' ||
    typeof amount !== 'number' ||
    !Number.isSafeInteger(amount) ||
    amount <= 0
  )
    throw new FlashError('ECASH_TOKEN_INVALID', 'A nutzap proof is malformed.');
  const out: PlainProof = { id: v.id, amount, secret: v.secret, C: v.C };
  const d = v.dleq as Record<string, unknown> | undefined;
  if (d && typeof d.e === 'string' && typeof d.s === 'string')
    out.dleq = { e: d.e, s: d.s, ...(typeof d.r === 'string' ? { r: d.r } : {}) };
  return out;
}

/** NIP-60 history row for a redeemed nutzap; the content is sealed to ourselves by the caller. */
export function redemptionTemplate(
  input: { nutzapId: string; relay: string; sender: string; encryptedContent: string },
  createdAt: number,
): Template {
  return {
    kind: KIND_HISTORY,
    created_at: createdAt,
    content: input.encryptedContent,
    tags: [
      ['e', input.nutzapId, input.relay, 'redeemed'],
      ['p', input.sender],
    ],
  };
}

export function historyContent(direction: 'in' | 'out', amount: number, unit: string): string {
  return JSON.stringify([
    ['direction', direction],
    ['amount', String(amount)],
    ['unit', unit],
  ]);
}
