import { FlashError } from '../../shared/errors';
import type { PlainProof } from './proof-codec';

/**
 * NIP-60 wallet events: the eCash wallet kept on the user's relays, every content NIP-44
 * encrypted to the user's own NOSTR key (the caller seals and opens; this module only shapes).
 *
 * - kind 17375 (replaceable): `[["privkey", hex], ["mint", url], …]`: the P2PK key nutzaps are
 *   locked to, and the mints of the wallet.
 * - kind 7375: `{ mint, unit, proofs, del }`: unspent proofs; a new backup lists the events it
 *   replaces in `del`, and those are deleted with a kind 5 carrying `["k", "7375"]` (NIP-09).
 */
export const KIND_WALLET = 17375;
export const KIND_TOKEN = 7375;
export const KIND_DELETE = 5;

export function walletContent(privkeyHex: string, mints: readonly string[]): string {
  return JSON.stringify([['privkey', privkeyHex], ...mints.map((m) => ['mint', m])]);
}

export function readWalletContent(json: string): { privkey: string | null; mints: string[] } {
  const rows = parseJson(json);
  if (!Array.isArray(rows)) throw invalid('the wallet event is not a tag list');
  const tags = rows.filter((t): t is string[] => Array.isArray(t) && t.every((v) => typeof v === 'string'));
  const privkey = tags.find((t) => t[0] === 'privkey')?.[1] ?? null;
  return {
    privkey: privkey && /^[0-9a-f]{64}$/i.test(privkey) ? privkey.toLowerCase() : null,
    mints: tags.filter((t) => t[0] === 'mint' && t[1]).map((t) => t[1] as string),
  };
}

export interface TokenContent {
  mint: string;
  unit: string;
  proofs: PlainProof[];
  del: string[];
}

export function tokenContent(c: TokenContent): string {
  return JSON.stringify({ mint: c.mint, unit: c.unit, proofs: c.proofs, del: c.del });
}

export function readTokenContent(json: string): TokenContent {
  const v = parseJson(json) as Partial<Record<keyof TokenContent, unknown>> | null;
  if (!v || typeof v !== 'object' || typeof v.mint !== 'string' || !Array.isArray(v.proofs))
    throw invalid('the token event has no mint or proofs');
  const proofs: PlainProof[] = [];
  for (const raw of v.proofs as Record<string, unknown>[]) {
    const amount = typeof raw?.amount === 'string' ? Number(raw.amount) : raw?.amount;
    if (
      typeof raw?.id !== 'string' ||
      typeof raw.secret !== 'string' ||
      typeof raw.C !== 'string' ||
      typeof amount !== 'number' ||
      !Number.isSafeInteger(amount) ||
      amount <= 0
    )
      throw invalid('a proof is malformed');
    proofs.push({ id: raw.id, amount, secret: raw.secret, C: raw.C });
  }
  return {
    mint: v.mint,
    unit: typeof v.unit === 'string' && /^[a-z]{2,10}$/.test(v.unit) ? v.unit : 'sat',
    proofs,
    del: Array.isArray(v.del) ? v.del.filter((d): d is string => typeof d === 'string') : [],
  };
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw invalid('not JSON');
  }
}

function invalid(why: string): FlashError {
  return new FlashError('ECASH_TOKEN_INVALID', `A NIP-60 wallet event could not be read: ${why}.`);
}
