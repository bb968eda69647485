import { FlashError } from '../../../shared/errors';
import type { LightningAddress, LnurlTarget } from '../../../shared/lightning/lnurl';
import type { LnurlGet } from './http';
import type { LnurlPayParams } from './pay';
import { payParamsFrom } from './pay';
import { throwIfServiceError } from './responses';
import type { LnurlWithdrawParams } from './withdraw';
import { withdrawParamsFrom } from './withdraw';

export type ResolvedLnurl =
  | { kind: 'pay'; params: LnurlPayParams }
  | { kind: 'withdraw'; params: LnurlWithdrawParams }
  | { kind: 'login'; target: LnurlTarget };

/**
 * Turns a parsed LNURL or Lightning address into what the service offers. A login link is not
 * fetched (LUD-04: the GET happens only once the user agrees); anything else is fetched once and
 * its `tag` decides. A LUD-17 scheme that promised one thing while the service answers another is
 * refused: the user scanned a "withdraw" code, they must not end up on a payment screen.
 */
export async function resolveLnurl(
  get: LnurlGet,
  target: { lnurl: LnurlTarget } | { address: LightningAddress },
): Promise<ResolvedLnurl> {
  if ('address' in target)
    return {
      kind: 'pay',
      params: payParamsFrom(await get(target.address.url), target.address.url, target.address.address),
    };
  const t = target.lnurl;
  if (t.tag === 'login') return { kind: 'login', target: t };
  if (t.tag === 'channelRequest')
    throw new FlashError('LNURL_UNSUPPORTED', 'Channel requests are not supported.', {
      what: 'channelRequest',
    });
  const body = await get(t.url);
  throwIfServiceError(body, t.domain);
  const tag = typeof body === 'object' && body !== null ? (body as { tag?: unknown }).tag : undefined;
  if (t.tag !== null && tag !== t.tag)
    throw new FlashError(
      'LNURL_BAD_RESPONSE',
      `The link promised ${t.tag} but the service answered ${String(tag)}.`,
      {
        domain: t.domain,
      },
    );
  if (tag === 'payRequest') return { kind: 'pay', params: payParamsFrom(body, t.url, null) };
  if (tag === 'withdrawRequest') return { kind: 'withdraw', params: withdrawParamsFrom(body, t.url) };
  throw new FlashError('LNURL_UNSUPPORTED', 'Flash does not support this kind of LNURL.', {
    domain: t.domain,
    what: typeof tag === 'string' ? tag.slice(0, 40) : 'unknown',
  });
}
