import type { ParsedAddress } from '../bitcoin/address';
import { parseAddress } from '../bitcoin/address';
import type { PaymentUri } from '../bitcoin/uri';
import { isBitcoinUri, parseBitcoinUri } from '../bitcoin/uri';
import type { Network } from '../contract/common';
import type { Bolt11Invoice } from './bolt11';
import { decodeBolt11 } from './bolt11';
import type { Bolt12Offer } from './bolt12';
import { decodeOffer, isOffer } from './bolt12';
import { LightningParseError, malformed } from './errors';
import type { LightningAddress, LnurlTarget } from './lnurl';
import {
  decodeBech32Lnurl,
  decodeLud17,
  isLud17,
  lnurlFromFallbackLink,
  looksLikeLightningAddress,
  parseLightningAddress,
} from './lnurl';

/**
 * The one parser for everything a user can paste or scan into the pay box: BOLT11 invoices,
 * BOLT12 offers, LNURL (bech32 and LUD-17 schemes), Lightning addresses, `lightning:` URIs and
 * BIP21 `bitcoin:` URIs (with `lightning=` or `lno=`, or plain on-chain). Pure and offline (it
 * runs in the renderer too); LNURL and addresses come out as targets still to be fetched.
 *
 * Everything is checked against the wallet's network here, so a mainnet invoice on a regtest
 * wallet is refused before anything else happens. Failures are LightningParseError (or the
 * on-chain parser's typed errors for a bad bitcoin: URI), never a crash.
 */

/** The on-chain half of a BIP21 URI that also carries a Lightning request (a unified QR). */
export interface OnchainFallback {
  address: string;
  amountSats: number | null;
  label: string | null;
  message: string | null;
}

export type ParsedPayment =
  | {
      kind: 'bolt11';
      invoice: Bolt11Invoice;
      /** True when the invoice's expiry has passed on `now`. */
      expired: boolean;
      onchain: OnchainFallback | null;
    }
  | { kind: 'bolt12'; offer: Bolt12Offer; onchain: OnchainFallback | null }
  | { kind: 'lnurl'; lnurl: LnurlTarget }
  | { kind: 'lightning-address'; address: LightningAddress }
  | { kind: 'onchain'; uri: PaymentUri | null; address: ParsedAddress | null; amountSats: number | null };

export interface ParseOptions {
  network: Network;
  /** Seconds since the epoch; default now. */
  now?: number;
}

const NETWORK_NAME: Readonly<Record<Network, string>> = {
  mainnet: 'mainnet',
  testnet: 'testnet',
  signet: 'signet',
  regtest: 'regtest',
};

/** Longest text worth parsing (a BOLT11 with many route hints stays well under this). */
export const MAX_INPUT_LENGTH = 8192;

function wrongNetwork(found: string, expected: Network): LightningParseError {
  return new LightningParseError('LIGHTNING_WRONG_NETWORK', `This is for ${found}, not ${expected}.`, {
    found,
    expected: NETWORK_NAME[expected],
  });
}

function bolt11For(
  text: string,
  opts: Required<ParseOptions>,
  onchain: OnchainFallback | null,
): ParsedPayment {
  const invoice = decodeBolt11(text);
  if (invoice.network !== opts.network) throw wrongNetwork(invoice.network, opts.network);
  if (
    onchain?.amountSats != null &&
    invoice.amountMsat !== null &&
    BigInt(onchain.amountSats) * 1000n !== invoice.amountMsat
  )
    throw malformed(
      'bip21-amount-mismatch',
      'The link asks for one amount on-chain and another over Lightning.',
    );
  return { kind: 'bolt11', invoice, expired: invoice.expiresAt <= opts.now, onchain };
}

function offerFor(
  text: string,
  opts: Required<ParseOptions>,
  onchain: OnchainFallback | null,
): ParsedPayment {
  const offer = decodeOffer(text, opts.now);
  if (!offer.networks.includes(opts.network))
    throw wrongNetwork(offer.networks.length > 0 ? offer.networks.join(', ') : 'another chain', opts.network);
  return { kind: 'bolt12', offer, onchain };
}

/** Text after `lightning:` (or a bare string): invoice, offer, LNURL or address. */
function lightningPayload(
  text: string,
  opts: Required<ParseOptions>,
  onchain: OnchainFallback | null,
): ParsedPayment {
  if (isOffer(text)) return offerFor(text, opts, onchain);
  if (/^lnurl1/i.test(text)) return { kind: 'lnurl', lnurl: decodeBech32Lnurl(text, opts.network) };
  if (isLud17(text)) return { kind: 'lnurl', lnurl: decodeLud17(text, opts.network) };
  if (/^ln[a-z0-9]*1/i.test(text)) return bolt11For(text, opts, onchain);
  if (looksLikeLightningAddress(text))
    return { kind: 'lightning-address', address: parseLightningAddress(text, opts.network) };
  throw new LightningParseError(
    'LIGHTNING_UNRECOGNIZED',
    'Not a Lightning invoice, offer, LNURL or address.',
  );
}

function fromBitcoinUri(text: string, opts: Required<ParseOptions>): ParsedPayment {
  const uri = parseBitcoinUri(text, opts.network);
  const onchain: OnchainFallback | null = uri.address
    ? {
        address: uri.address.address,
        amountSats: uri.amountSats,
        label: uri.label,
        message: uri.message,
      }
    : null;
  if (uri.lightning) {
    const payload = uri.lightning.trim();
    if (/^lnurl1/i.test(payload)) return { kind: 'lnurl', lnurl: decodeBech32Lnurl(payload, opts.network) };
    return bolt11For(payload, opts, onchain);
  }
  const offer = uri.otherInstructions.find((i) => i.key === 'lno');
  if (offer) return offerFor(offer.value, opts, onchain);
  return { kind: 'onchain', uri, address: uri.address, amountSats: uri.amountSats };
}

/** Parses what the user pasted or scanned. Throws typed errors (see the module comment). */
export function parsePaymentInput(input: string, options: ParseOptions): ParsedPayment {
  const opts: Required<ParseOptions> = {
    network: options.network,
    now: options.now ?? Math.floor(Date.now() / 1000),
  };
  const text = input.trim();
  if (text === '') throw new LightningParseError('LIGHTNING_UNRECOGNIZED', 'Nothing to pay.');
  if (text.length > MAX_INPUT_LENGTH)
    throw malformed('too-long', 'This is far too long to be a payment request.');
  const scheme = /^lightning:(?:\/\/)?/i.exec(text);
  if (scheme) return lightningPayload(text.slice(scheme[0].length).trim(), opts, null);
  if (isBitcoinUri(text)) return fromBitcoinUri(text, opts);
  const fallback = lnurlFromFallbackLink(text);
  if (fallback) return { kind: 'lnurl', lnurl: decodeBech32Lnurl(fallback, opts.network) };
  if (/^(lno1|lnurl1|ln[a-z0-9]*1)/i.test(text) || isLud17(text) || looksLikeLightningAddress(text))
    return lightningPayload(text, opts, null);
  // A bare on-chain address: the pay box hands it to the on-chain send flow.
  if (/^[a-z0-9]{25,90}$/i.test(text)) {
    try {
      const address = parseAddress(text, opts.network);
      return { kind: 'onchain', uri: null, address, amountSats: null };
    } catch (err) {
      if (err instanceof Error && 'reason' in err && (err as { reason: string }).reason === 'WRONG_NETWORK')
        throw err;
    }
  }
  throw new LightningParseError(
    'LIGHTNING_UNRECOGNIZED',
    'Not a Lightning invoice, offer, LNURL, Lightning address or bitcoin: link.',
  );
}
