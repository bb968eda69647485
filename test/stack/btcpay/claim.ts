import { bech32 } from '@scure/base';

/**
 * A customer's wallet claiming an LNURL-withdraw (LUD-03): decode the link, read the withdraw
 * request, make an invoice for what it offers, and hand it to the callback. The stack's Lightning
 * node is the wallet; `invoice` makes the BOLT11 it is paid on.
 */
export interface ClaimResult {
  sats: number;
  status: string;
  reason: string | null;
}

export function lnurlToUrl(lnurl: string): string {
  const text = lnurl.trim().replace(/^lightning:/i, '');
  if (/^lnurlw:\/\//i.test(text)) return text.replace(/^lnurlw:\/\//i, 'http://');
  const { words } = bech32.decode(text.toLowerCase() as `${string}1${string}`, 2000);
  return new TextDecoder().decode(bech32.fromWords(words));
}

export async function claimWithdraw(
  lnurl: string,
  invoice: (amountMsat: bigint, description: string) => string,
  sats?: number,
): Promise<ClaimResult> {
  const request = (await (await fetch(lnurlToUrl(lnurl))).json()) as {
    tag?: string;
    callback?: string;
    k1?: string;
    maxWithdrawable?: number;
    minWithdrawable?: number;
    defaultDescription?: string;
    status?: string;
    reason?: string;
  };
  if (request.tag !== 'withdrawRequest' || !request.callback || !request.k1)
    throw new Error(`not a withdraw request: ${request.reason ?? JSON.stringify(request).slice(0, 200)}`);
  const msat = BigInt(
    sats !== undefined ? sats * 1000 : Math.floor((request.maxWithdrawable ?? 0) / 1000) * 1000,
  );
  const pr = invoice(msat, request.defaultDescription ?? 'withdraw');
  const sep = request.callback.includes('?') ? '&' : '?';
  const answer = (await (
    await fetch(`${request.callback}${sep}k1=${encodeURIComponent(request.k1)}&pr=${encodeURIComponent(pr)}`)
  ).json()) as { status?: string; reason?: string };
  return { sats: Number(msat / 1000n), status: answer.status ?? '', reason: answer.reason ?? null };
}
