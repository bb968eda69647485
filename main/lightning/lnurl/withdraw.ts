import { FlashError } from '../../../shared/errors';
import type { LnurlGet } from './http';
import { withParams } from './pay';
import { read, StatusOk, WithdrawRequest } from './responses';

/**
 * LNURL-withdraw (LUD-03): the service pays an invoice the wallet makes. The wallet reads the
 * range, makes its own invoice for the chosen amount, and hands it over with the service's k1;
 * the service pays it asynchronously, so "OK" here means "accepted", not "paid".
 */

export interface LnurlWithdrawParams {
  url: string;
  domain: string;
  callback: string;
  k1: string;
  defaultDescription: string;
  minWithdrawableMsat: bigint;
  maxWithdrawableMsat: bigint;
}

export function withdrawParamsFrom(body: unknown, url: string): LnurlWithdrawParams {
  const domain = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const w = read(WithdrawRequest, body, domain);
  // `withdraw: 'nothing-left'` lets a screen say "already claimed": a spent link (a BTCPay pull
  // payment fully paid out) still answers, with nothing left to withdraw.
  if (w.minWithdrawable > w.maxWithdrawable || w.maxWithdrawable === 0)
    throw new FlashError('LNURL_BAD_RESPONSE', 'The service offers nothing to withdraw.', {
      domain,
      withdraw: 'nothing-left',
    });
  return {
    url,
    domain,
    callback: w.callback,
    k1: w.k1,
    defaultDescription: w.defaultDescription,
    minWithdrawableMsat: BigInt(w.minWithdrawable),
    maxWithdrawableMsat: BigInt(w.maxWithdrawable),
  };
}

export function checkWithdrawAmount(params: LnurlWithdrawParams, amountMsat: bigint): void {
  if (amountMsat < params.minWithdrawableMsat || amountMsat > params.maxWithdrawableMsat || amountMsat <= 0n)
    throw new FlashError('LIGHTNING_AMOUNT_OUT_OF_LIMITS', 'The amount is outside what the service offers.', {
      minMsat: params.minWithdrawableMsat.toString(),
      maxMsat: params.maxWithdrawableMsat.toString(),
    });
}

/** Hands the invoice to the service; resolves once it answers OK (payment follows). */
export async function submitWithdraw(
  get: LnurlGet,
  params: LnurlWithdrawParams,
  bolt11: string,
): Promise<void> {
  read(StatusOk, await get(withParams(params.callback, { k1: params.k1, pr: bolt11 })), params.domain);
}
