import type { Network } from '../../shared/contract/common';
import { FlashError } from '../../shared/errors';
import {
  decodeBech32Lnurl,
  looksLikeLightningAddress,
  parseLightningAddress,
} from '../../shared/lightning/lnurl';
import type { LnurlGet } from '../lightning/lnurl/http';
import { fetchPayParams, withParams } from '../lightning/lnurl/pay';
import { PayCallback, read } from '../lightning/lnurl/responses';
import type { ZapLnurlPort } from './zap-service';

/**
 * The zap service's LNURL side on the Lightning area's LNURL client: the same dial policy, proxy,
 * deadline and size cap as any LNURL payment, and the same parsing of addresses and `lnurl1…`.
 */
export function createZapLnurlPort(deps: { get: LnurlGet; network(): Network }): ZapLnurlPort {
  return {
    async payRequest(target) {
      const network = deps.network();
      let params;
      if (looksLikeLightningAddress(target)) {
        const address = parseLightningAddress(target, network);
        params = await fetchPayParams(deps.get, address.url, address.address);
      } else {
        const lnurl = decodeBech32Lnurl(target, network);
        params = await fetchPayParams(deps.get, lnurl.url);
      }
      return {
        url: params.url,
        callback: params.callback,
        minSendableMsat: params.minSendableMsat,
        maxSendableMsat: params.maxSendableMsat,
        allowsNostr: params.allowsNostr,
        nostrPubkey: params.nostrPubkey,
      };
    },
    async fetchInvoice(callback, params) {
      let domain = '';
      try {
        domain = new URL(callback).hostname;
      } catch {
        throw new FlashError('LNURL_BAD_RESPONSE', 'The service gave a callback that is not a URL.');
      }
      return read(PayCallback, await deps.get(withParams(callback, params)), domain).pr;
    },
  };
}
