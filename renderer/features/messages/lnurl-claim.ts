import { BridgeCallError } from '../../app/result';

/**
 * What a chat card needs to know about an LNURL or a Lightning address before and after the user
 * opens it: which requests found in a message can be shown without asking any server, how much a
 * withdraw link is claimed for, and why an open or a claim failed, in the user's terms.
 */

/** LUD-01 bech32 (`lnurl1…`) or a LUD-17 scheme: things that are only known by asking a server. */
export function isLnurlLink(request: string): boolean {
  return /^lnurl1[0-9a-z]+$/i.test(request) || /^(?:lnurlw|lnurlp|keyauth):\/\/\S+$/i.test(request);
}

/** A LUD-16 Lightning address, `name@domain` (a port is allowed: a local service has one). */
export function isLightningAddress(request: string): boolean {
  return /^[a-z0-9._-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?$/i.test(request);
}

/**
 * How a chat shows a Lightning request. Only an invoice or an offer says everything by itself
 * (main decodes it offline), so only those are read on display; a Lightning address is a web
 * address of the sender's chosen server and waits for Open like an LNURL, and so does anything
 * else, since only a server could say what it is.
 */
export type ChatRequestKind = 'invoice' | 'address' | 'link';

export function chatRequestKind(request: string): ChatRequestKind {
  if (/^(?:ln(?:bcrt|bc|tbs|tb|sb)[0-9]*[munp]?1[0-9a-z]+|lno1[0-9a-z]+)$/i.test(request)) return 'invoice';
  if (isLightningAddress(request)) return 'address';
  return 'link';
}

/** The server a Lightning address names (what its card says will be asked on Open). */
export function addressDomain(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/**
 * The amount a one-press claim asks for: everything the service offers, in whole sats (wallets
 * make whole-sat invoices), or the exact maximum when the range holds no whole sat. Null when the
 * range is empty.
 */
export function claimAmountMsat(minMsat: string, maxMsat: string): string | null {
  const min = BigInt(minMsat);
  const max = BigInt(maxMsat);
  if (max <= 0n || min > max) return null;
  const whole = (max / 1000n) * 1000n;
  return (whole >= min && whole > 0n ? whole : max).toString();
}

export type ClaimProblem =
  'no-provider' | 'expired' | 'already-claimed' | 'unreachable' | 'service-refused' | 'other';

/** Problems no retry can fix: the card stops offering its button. */
export function isFinalProblem(problem: ClaimProblem): boolean {
  return problem === 'expired' || problem === 'already-claimed';
}

export interface ClaimProblemView {
  problem: ClaimProblem;
  domain: string;
  /** The service's own words, for `service-refused`. */
  reason: string;
}

const EXPIRED_WORDS = /expir|caduc|venc/i;
const USED_WORDS = /already|used|claimed|redeemed|paid|spent/i;

/** Sorts a failed open or claim into the few cases a customer can act on. */
export function claimProblemOf(error: unknown): ClaimProblemView {
  if (!(error instanceof BridgeCallError)) return { problem: 'other', domain: '', reason: '' };
  const domain = typeof error.details['domain'] === 'string' ? error.details['domain'] : '';
  const reason = typeof error.details['reason'] === 'string' ? error.details['reason'] : '';
  const view = (problem: ClaimProblem): ClaimProblemView => ({ problem, domain, reason });
  switch (error.code) {
    case 'LIGHTNING_NO_PROVIDER':
    case 'LIGHTNING_PROVIDER_NOT_FOUND':
      return view('no-provider');
    case 'LNURL_UNREACHABLE':
    case 'LNURL_REFUSED':
      return view('unreachable');
    case 'LNURL_BAD_RESPONSE': {
      if (error.details['withdraw'] === 'nothing-left') return view('already-claimed');
      // A link the service answers "not found" or "gone" for: BTCPay does so once a pull payment
      // has expired or was archived, and nothing in LNURL tells expired from removed apart.
      const status = error.numberDetail('status');
      if (status === 404 || status === 410) return view('expired');
      return view('other');
    }
    case 'LNURL_SERVICE_ERROR':
      if (EXPIRED_WORDS.test(reason)) return view('expired');
      if (USED_WORDS.test(reason)) return view('already-claimed');
      return view('service-refused');
    default:
      return view('other');
  }
}

export type AddressProblem = 'unknown' | 'unreachable' | 'refused' | 'other';

/**
 * Why a Lightning address did not open. Read from the error's code alone: the withdraw-link
 * words above (expired, claimed) mean nothing for an address.
 */
export function addressProblemOf(error: unknown): {
  problem: AddressProblem;
  domain: string;
  reason: string;
} {
  if (!(error instanceof BridgeCallError)) return { problem: 'other', domain: '', reason: '' };
  const domain = typeof error.details['domain'] === 'string' ? error.details['domain'] : '';
  const reason = typeof error.details['reason'] === 'string' ? error.details['reason'] : '';
  const view = (problem: AddressProblem) => ({ problem, domain, reason });
  switch (error.code) {
    case 'LNURL_UNREACHABLE':
    case 'LNURL_REFUSED':
      return view('unreachable');
    case 'LNURL_BAD_RESPONSE': {
      // LUD-16 servers answer "not found" for a name they do not have.
      const status = error.numberDetail('status');
      return view(status === 404 || status === 410 ? 'unknown' : 'other');
    }
    case 'LNURL_SERVICE_ERROR':
      return view('refused');
    default:
      return view('other');
  }
}
