import { cbc } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import type { Bolt11Invoice } from '../../../shared/lightning/bolt11';
import { decodeBolt11 } from '../../../shared/lightning/bolt11';
import { LightningParseError } from '../../../shared/lightning/errors';
import { fromHex, toHex } from '../../../shared/lightning/words';
import type { LnurlGet } from './http';
import type { PayMetadata, SuccessAction } from './responses';
import {
  parseMetadata,
  PayCallback,
  PayRequest,
  read,
  SuccessAction as SuccessActionSchema,
} from './responses';

/**
 * LNURL-pay (LUD-06) with comments (LUD-12), success actions (LUD-09 message and url, LUD-10
 * aes) and Lightning addresses (LUD-16). The invoice a service returns is checked before anyone
 * may pay it: right network, its `h` is the SHA-256 of the metadata the user saw (or of the
 * zap request, NIP-57), and its amount is exactly the amount asked for.
 */

export interface LnurlPayParams {
  /** Where the parameters came from (the LNURL or the address's well-known URL). */
  url: string;
  domain: string;
  callback: string;
  minSendableMsat: bigint;
  maxSendableMsat: bigint;
  /** The metadata string exactly as sent: its hash is what the invoice must commit to. */
  metadataRaw: string;
  metadata: PayMetadata;
  /** LUD-12: characters accepted in `comment`; 0 means none. */
  commentAllowed: number;
  /** NIP-57 zap support. */
  allowsNostr: boolean;
  nostrPubkey: string | null;
  /** The Lightning address this came from, if any. */
  address: string | null;
}

export interface LnurlPayInvoice {
  invoice: Bolt11Invoice;
  successAction: SuccessAction | null;
}

/** Reads a payRequest answer (the first GET, or a LUD-16 well-known document). */
export function payParamsFrom(body: unknown, url: string, address: string | null): LnurlPayParams {
  const domain = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const p = read(PayRequest, body, domain);
  if (p.minSendable < 1 || p.minSendable > p.maxSendable)
    throw new FlashError('LNURL_BAD_RESPONSE', 'The service gives an impossible amount range.', { domain });
  return {
    url,
    domain,
    callback: p.callback,
    minSendableMsat: BigInt(p.minSendable),
    maxSendableMsat: BigInt(p.maxSendable),
    metadataRaw: p.metadata,
    metadata: parseMetadata(p.metadata, domain),
    commentAllowed: p.commentAllowed ?? 0,
    allowsNostr: p.allowsNostr === true,
    nostrPubkey: p.nostrPubkey ?? null,
    address,
  };
}

export async function fetchPayParams(
  get: LnurlGet,
  url: string,
  address: string | null = null,
): Promise<LnurlPayParams> {
  return payParamsFrom(await get(url), url, address);
}

/** Appends query parameters whether or not the callback already has a query string (LUD-06). */
export function withParams(callback: string, params: Record<string, string>): string {
  const u = new URL(callback);
  for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
  return u.toString();
}

export interface PayInvoiceRequest {
  amountMsat: bigint;
  comment?: string;
  network: Network;
  /** Further callback parameters (NIP-57 puts the signed zap request in `nostr`). */
  extraParams?: Record<string, string>;
  /** The hash `h` must equal, when it is not the metadata's (NIP-57: the zap request's). */
  expectedDescriptionHash?: string;
}

/** Calls the callback for an invoice and checks it against what was asked. */
export async function requestPayInvoice(
  get: LnurlGet,
  params: LnurlPayParams,
  req: PayInvoiceRequest,
): Promise<LnurlPayInvoice> {
  const { domain } = params;
  if (req.amountMsat < params.minSendableMsat || req.amountMsat > params.maxSendableMsat)
    throw new FlashError(
      'LIGHTNING_AMOUNT_OUT_OF_LIMITS',
      'The amount is outside what this service accepts.',
      {
        minMsat: params.minSendableMsat.toString(),
        maxMsat: params.maxSendableMsat.toString(),
      },
    );
  const comment = req.comment ?? '';
  if (comment !== '' && [...comment].length > params.commentAllowed)
    throw new FlashError('LNURL_COMMENT_TOO_LONG', 'The comment is longer than the service accepts.', {
      max: params.commentAllowed,
    });
  const query: Record<string, string> = { amount: req.amountMsat.toString() };
  if (comment !== '') query['comment'] = comment;
  Object.assign(query, req.extraParams ?? {});
  const body = read(PayCallback, await get(withParams(params.callback, query)), domain);

  let invoice: Bolt11Invoice;
  try {
    invoice = decodeBolt11(body.pr);
  } catch (err) {
    if (err instanceof LightningParseError)
      throw new FlashError('LNURL_BAD_RESPONSE', `The service sent a bad invoice: ${err.message}`, {
        domain,
      });
    throw err;
  }
  if (invoice.network !== req.network)
    throw new FlashError('LIGHTNING_WRONG_NETWORK', 'The service sent an invoice for another network.', {
      found: invoice.network,
      expected: req.network,
    });
  const expectedHash =
    req.expectedDescriptionHash ?? toHex(sha256(new TextEncoder().encode(params.metadataRaw)));
  if (invoice.descriptionHash !== expectedHash)
    throw new FlashError('LNURL_METADATA_MISMATCH', 'The invoice does not commit to the metadata.', {
      domain,
    });
  if (invoice.amountMsat !== req.amountMsat)
    throw new FlashError('LNURL_AMOUNT_MISMATCH', 'The invoice is for another amount.', {
      domain,
      askedMsat: req.amountMsat.toString(),
      invoiceMsat: invoice.amountMsat?.toString() ?? 'none',
    });

  let successAction: SuccessAction | null = null;
  if (body.successAction !== undefined && body.successAction !== null) {
    const parsed = SuccessActionSchema.safeParse(body.successAction);
    if (!parsed.success) {
      // LUD-09: a wallet must not pay when it cannot show the promised success action.
      const tag = (body.successAction as { tag?: unknown }).tag;
      throw new FlashError('LNURL_UNSUPPORTED', 'The service promises a success action Flash cannot show.', {
        domain,
        what: typeof tag === 'string' ? `successAction ${tag.slice(0, 40)}` : 'successAction',
      });
    }
    successAction = parsed.data;
    if (
      successAction.tag === 'url' &&
      new URL(successAction.url).hostname !== new URL(params.callback).hostname
    )
      throw new FlashError(
        'LNURL_BAD_RESPONSE',
        'The success link points to another domain than the service.',
        {
          domain,
        },
      );
  }
  return { invoice, successAction };
}

/**
 * LUD-10: AES-256-CBC with PKCS#7 padding, the payment preimage as key. Returns null when the
 * ciphertext does not decrypt to text (a service bug or a wrong preimage): the payment stands.
 */
export function decryptAesAction(
  action: { ciphertext: string; iv: string },
  preimageHex: string,
): string | null {
  try {
    const key = fromHex(preimageHex);
    const iv = Buffer.from(action.iv, 'base64');
    const data = Buffer.from(action.ciphertext.replace(/\s/g, ''), 'base64');
    if (key.length !== 32 || iv.length !== 16 || data.length === 0 || data.length % 16 !== 0) return null;
    const plain = cbc(key, iv).decrypt(data);
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return null;
  }
}
