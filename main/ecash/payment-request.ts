import type { PaymentRequestPayload, Proof } from '@cashu/cashu-ts';
import { decodePaymentRequest, PaymentRequest } from '@cashu/cashu-ts';
import { nip19 } from 'nostr-tools';
import { FlashError } from '../../shared/errors';

/**
 * NUT-18 payment requests, on cashu-ts's codec (creqA: CBOR in base64url; creqB: bech32m).
 * Transports: `nostr` (target an nprofile; the payer sends the payload as a NIP-17 DM, tag
 * ["n", "17"]) and `post` (target a URL the payer POSTs the payload to).
 */
export interface RequestView {
  id: string | null;
  amount: number | null;
  unit: string | null;
  mints: string[];
  /** Whether only the listed mints are accepted (NUT-18 `mp` absent or false). */
  strictMints: boolean;
  description: string | null;
  singleUse: boolean;
  transports: { type: 'nostr' | 'post'; target: string }[];
  /** NUT-10 lock the payee asks for: the P2PK key, or null. */
  lockTo: string | null;
}

export function createRequest(input: {
  id: string;
  amount?: number;
  unit: string;
  mints: string[];
  description?: string;
  transport: { type: 'nostr'; pubkey: string; relays: string[] } | { type: 'post'; url: string };
  lockTo?: string;
}): string {
  const transport =
    input.transport.type === 'nostr'
      ? {
          type: 'nostr' as never,
          target: nip19.nprofileEncode({ pubkey: input.transport.pubkey, relays: input.transport.relays }),
          tags: [['n', '17']],
        }
      : { type: 'post' as never, target: input.transport.url };
  const req = new PaymentRequest(
    [transport],
    input.id,
    input.amount,
    input.unit,
    input.mints.length > 0 ? input.mints : undefined,
    input.description,
    true,
    input.lockTo ? { kind: 'P2PK', data: input.lockTo, tags: [] } : undefined,
  );
  return req.toEncodedCreqA();
}

export function parseRequest(text: string): PaymentRequest {
  const clean = text.trim().replace(/^cashu:/i, '');
  if (!/^creq[aA]/.test(clean) && !/^creqb1/i.test(clean))
    throw new FlashError('ECASH_REQUEST_INVALID', 'This is not a Cashu payment request (creqA…).');
  try {
    return decodePaymentRequest(clean);
  } catch (err) {
    throw new FlashError('ECASH_REQUEST_INVALID', 'This payment request is damaged or incomplete.', {
      reason: err instanceof Error ? err.message.slice(0, 120) : 'undecodable',
    });
  }
}

export function requestView(req: PaymentRequest): RequestView {
  const transports = (req.transport ?? [])
    .filter((t) => t.type === 'nostr' || t.type === 'post')
    .map((t) => ({ type: t.type as 'nostr' | 'post', target: t.target }));
  let lockTo: string | null = null;
  if (req.nut10) {
    if (req.nut10.kind !== 'P2PK' || !/^0[23][0-9a-fA-F]{64}$/.test(req.nut10.data))
      throw new FlashError('ECASH_REQUEST_INVALID', 'This request asks for a lock Flash cannot make.', {
        kind: req.nut10.kind,
      });
    lockTo = req.nut10.data.toLowerCase();
  }
  return {
    id: req.id ?? null,
    amount: req.amount !== undefined ? Number(req.amount.toString()) : null,
    unit: req.unit ?? null,
    mints: req.mints ?? [],
    strictMints: req.isMintListStrict ?? false,
    description: req.description ?? null,
    singleUse: req.singleUse,
    transports,
    lockTo,
  };
}

/** The nostr transport's target: the payee's key and relay hints. */
export function nostrTarget(target: string): { pubkey: string; relays: string[] } {
  try {
    const d = nip19.decode(target);
    if (d.type === 'nprofile') return { pubkey: d.data.pubkey, relays: d.data.relays ?? [] };
    if (d.type === 'npub') return { pubkey: d.data, relays: [] };
  } catch {
    // below
  }
  throw new FlashError('ECASH_REQUEST_INVALID', 'The request’s NOSTR target is not an nprofile or npub.');
}

export function encodePayload(req: PaymentRequest, mint: string, proofs: Proof[], memo?: string): string {
  try {
    return req.encodePayload(mint, proofs, memo ? { memo } : {});
  } catch (err) {
    throw new FlashError('ECASH_REQUEST_INVALID', 'This request does not take eCash from that mint.', {
      reason: err instanceof Error ? err.message.slice(0, 120) : 'refused',
    });
  }
}

export function decodePayload(json: string): PaymentRequestPayload {
  try {
    return PaymentRequest.decodePayload(json);
  } catch {
    throw new FlashError('ECASH_TOKEN_INVALID', 'This payment payload is not valid.');
  }
}
