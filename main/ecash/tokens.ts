import type { Token } from '@cashu/cashu-ts';
import {
  getDecodedToken,
  getEncodedToken,
  getP2PKExpectedWitnessPubkeys,
  getSecretKind,
  getTokenMetadata,
} from '@cashu/cashu-ts';
import type * as BcUr from '@ngraveio/bc-ur';
import { nip19 } from 'nostr-tools';
import { FlashError } from '../../shared/errors';
import { lazyRequire } from '../core/lazy-require';
import type { PlainProof } from './proof-codec';
import { toProofs } from './proof-codec';

/** A serialized token up to this long fits one QR code a phone reads easily. */
export const STATIC_QR_MAX = 600;
/** Fragment size of the animated QR (NUT-16: Blockchain Commons UR). */
const UR_FRAGMENT = 200;
/** Loaded when an animated QR is first made: start-up does not pay for it. */
const bcUr = lazyRequire<typeof BcUr>('@ngraveio/bc-ur');

/** NUT-00 v4 (`cashuB…`): CBOR, keyset ids as bytes, DLEQ kept so the receiver can check offline. */
export function encodeToken(
  mintUrl: string,
  unit: string,
  proofs: readonly PlainProof[],
  memo?: string | null,
): string {
  const token: Token = { mint: mintUrl, unit, proofs: toProofs(proofs), ...(memo ? { memo } : {}) };
  return getEncodedToken(token);
}

/**
 * What to show as a QR: the token itself when small, else NUT-16's animated QR: the UTF-8 token
 * as a UR of type `bytes`, cut into fountain-coded parts the receiver scans until it has enough.
 */
export function tokenQr(token: string): { animated: boolean; parts: string[] } {
  if (token.length <= STATIC_QR_MAX) return { animated: false, parts: [token] };
  const { UR, UREncoder } = bcUr();
  const ur = UR.fromBuffer(Buffer.from(token, 'utf8'));
  const encoder = new UREncoder(ur, UR_FRAGMENT);
  const parts: string[] = [];
  // Each pure fragment once, then as many mixed ones again: enough for a receiver that misses some.
  for (let i = 0; i < encoder.fragmentsLength * 2; i++) parts.push(encoder.nextPart());
  return { animated: true, parts };
}

/** Strips `cashu:` and whitespace; refuses anything that is not a token. */
export function decodeTokenText(text: string, knownKeysetIds: readonly string[]): Token {
  const clean = text
    .trim()
    .replace(/^cashu:(\/\/)?/i, '')
    .replace(/\s+/g, '');
  if (!/^cashu[AB]/.test(clean) || clean.length > 100_000)
    throw new FlashError('ECASH_TOKEN_INVALID', 'This is not a Cashu token (cashuA… or cashuB…).');
  try {
    return getDecodedToken(clean, knownKeysetIds);
  } catch (err) {
    throw new FlashError('ECASH_TOKEN_INVALID', 'This Cashu token is damaged or incomplete.', {
      reason: err instanceof Error ? err.message.slice(0, 120) : 'undecodable',
    });
  }
}

/** A P2PK lock target: a compressed hex key, or an npub (its x-only key with the 02 prefix, as NIP-61 does). */
export function lockKeyFrom(text: string): string {
  const t = text.trim();
  if (/^0[23][0-9a-fA-F]{64}$/.test(t)) return t.toLowerCase();
  if (t.startsWith('npub1')) {
    try {
      const d = nip19.decode(t);
      if (d.type === 'npub') return `02${d.data}`;
    } catch {
      // fall through
    }
  }
  throw new FlashError('ECASH_BAD_LOCK', 'Lock to a public key (02…/03…, 66 hex characters) or an npub.');
}

/**
 * What a token says about itself without its mint's keysets: a v4 token names keysets by a short
 * id that only the mint's keyset list can expand, so a token from a mint not added yet cannot be
 * fully decoded. This is enough to show the user what it is and which mint to trust first.
 */
export function tokenOutline(text: string): {
  mint: string;
  unit: string;
  amount: number;
  memo: string | null;
  proofs: number;
  lockedTo: string[];
} {
  const clean = text
    .trim()
    .replace(/^cashu:(\/\/)?/i, '')
    .replace(/\s+/g, '');
  let meta: ReturnType<typeof getTokenMetadata>;
  try {
    meta = getTokenMetadata(clean);
  } catch {
    throw new FlashError('ECASH_TOKEN_INVALID', 'This Cashu token is damaged or incomplete.');
  }
  const lockedTo = new Set<string>();
  for (const p of meta.incompleteProofs) {
    try {
      if (getSecretKind(p.secret) === 'P2PK')
        for (const k of getP2PKExpectedWitnessPubkeys(p.secret)) lockedTo.add(k.toLowerCase());
    } catch {
      // Not a structured secret: a plain bearer proof.
    }
  }
  return {
    mint: meta.mint,
    unit: meta.unit || 'sat',
    amount: meta.amount.toNumber(),
    memo: meta.memo ?? null,
    proofs: meta.proofAmounts.length,
    lockedTo: [...lockedTo],
  };
}
