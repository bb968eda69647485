import { describe, expect, it } from 'vitest';
import { BridgeCallError } from '../../renderer/app/result';
import {
  addressDomain,
  addressProblemOf,
  chatRequestKind,
  claimAmountMsat,
  claimProblemOf,
  isFinalProblem,
  isLightningAddress,
  isLnurlLink,
} from '../../renderer/features/messages/lnurl-claim';
import { findLightningRequest } from '../../renderer/features/messages/keys';

const LNURL =
  'LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS';

describe('LNURLs in chat messages wait for Open', () => {
  it('knows an LNURL (bech32 or LUD-17) from requests that need no server', () => {
    // The reward message the merchant's counter sends: the link on a line of its own.
    const reward = `The shop gives you 500 sats back for your purchase.\nClaim them with any Lightning wallet:\nlightning:${LNURL}\nValid until 2026-12-31.`;
    const found = findLightningRequest(reward);
    expect(found).toBe(LNURL);
    expect(isLnurlLink(found ?? '')).toBe(true);
    expect(isLnurlLink(LNURL.toLowerCase())).toBe(true);
    expect(isLnurlLink('lnurlw://shop.example/withdraw/pp/abc')).toBe(true);
    expect(isLnurlLink('keyauth://site.example/login?k1=00')).toBe(true);
    expect(isLnurlLink('lnbcrt10u1p5ptd3rpp5yq0yg0c3nhs3cx4j4u6qh2ycznyzv5s7vwy4dp')).toBe(false);
    expect(isLnurlLink('lno1qgsqvgnwgcg35z6ee2h3yczraddm72xrfua9uve2rlrm9deu7xyfzrc')).toBe(false);
    expect(isLnurlLink('coffee@shop.example')).toBe(false);
  });
});

describe('only an invoice is read when a message shows', () => {
  const INVOICE = 'lnbcrt10u1p5ptd3rpp5yq0yg0c3nhs3cx4j4u6qh2ycznyzv5s7vwy4dp';

  it('reads invoices and offers at once: they need no server', () => {
    expect(chatRequestKind(INVOICE)).toBe('invoice');
    expect(chatRequestKind('LNBC1PVJLUEZPP5QQQSYQCYQ5RQWZQFQQQSYQCYQ5RQWZQFQQQSYQCYQ5RQWZQFQYPQ')).toBe(
      'invoice',
    );
    expect(chatRequestKind('lntb2500u1pwxx94fpp5')).toBe('invoice');
    expect(chatRequestKind('lno1qgsqvgnwgcg35z6ee2h3yczraddm72xrfua9uve2rlrm9deu7xyfzrc')).toBe('invoice');
  });

  it('keeps a Lightning address closed, as found in a message (⚡, whole message, lightning: link)', () => {
    for (const text of [
      '⚡bob@127.0.0.1:46583',
      '  alice@getalby.com ',
      'pay me: lightning:carol@pay.example.',
    ]) {
      const found = findLightningRequest(text) ?? '';
      expect(isLightningAddress(found)).toBe(true);
      expect(chatRequestKind(found)).toBe('address');
    }
    expect(addressDomain('bob@127.0.0.1:46583')).toBe('127.0.0.1:46583');
    expect(addressDomain('alice@getalby.com')).toBe('getalby.com');
  });

  it('keeps LNURLs and anything it cannot read closed too: only a server could say what they are', () => {
    expect(chatRequestKind(LNURL)).toBe('link');
    expect(chatRequestKind('lnurlp://shop.example/pay')).toBe('link');
    expect(chatRequestKind('https://shop.example/?lightning=' + LNURL)).toBe('link');
    expect(chatRequestKind('whatever')).toBe('link');
    // Not an address: no domain, two @, or a path after the domain.
    expect(isLightningAddress('bob@')).toBe(false);
    expect(isLightningAddress('bob@a@b.example')).toBe(false);
    expect(isLightningAddress('bob@shop.example/pay')).toBe(false);
    expect(chatRequestKind('bob@shop.example/pay')).toBe('link');
  });
});

describe('the amount a claim asks for', () => {
  it('is everything offered, in whole sats', () => {
    expect(claimAmountMsat('1000', '500000')).toBe('500000');
    expect(claimAmountMsat('1000', '500999')).toBe('500000');
    expect(claimAmountMsat('500000', '500000')).toBe('500000');
  });
  it('is the exact maximum when the range holds no whole sat, and nothing for an empty range', () => {
    expect(claimAmountMsat('1200', '1700')).toBe('1700');
    expect(claimAmountMsat('1', '999')).toBe('999');
    expect(claimAmountMsat('0', '0')).toBeNull();
    expect(claimAmountMsat('5000', '4000')).toBeNull();
  });
});

describe('a failed claim in the customer’s terms', () => {
  const err = (code: string, details: Record<string, string | number> = {}) =>
    new BridgeCallError({ code: code as never, message: 'x', details });
  it('sorts the service’s own words', () => {
    expect(claimProblemOf(err('LNURL_SERVICE_ERROR', { domain: 'shop', reason: 'Link expired' }))).toEqual({
      problem: 'expired',
      domain: 'shop',
      reason: 'Link expired',
    });
    expect(claimProblemOf(err('LNURL_SERVICE_ERROR', { reason: 'unknown or used k1' })).problem).toBe(
      'already-claimed',
    );
    expect(claimProblemOf(err('LNURL_SERVICE_ERROR', { reason: 'Maintenance' })).problem).toBe(
      'service-refused',
    );
  });
  it('stops offering a retry only for a spent or expired link', () => {
    expect(isFinalProblem('expired')).toBe(true);
    expect(isFinalProblem('already-claimed')).toBe(true);
    expect(isFinalProblem('unreachable')).toBe(false);
    expect(isFinalProblem('no-provider')).toBe(false);
    expect(isFinalProblem('service-refused')).toBe(false);
  });
  it('leaves what it cannot name to the error’s own text', () => {
    expect(claimProblemOf(err('LNURL_BAD_RESPONSE', { domain: 'shop' })).problem).toBe('other');
    expect(claimProblemOf(err('LNURL_BAD_RESPONSE', { status: 500 })).problem).toBe('other');
    expect(claimProblemOf(err('LIGHTNING_AMOUNT_OUT_OF_LIMITS')).problem).toBe('other');
    expect(claimProblemOf(new Error('boom')).problem).toBe('other');
  });
});

describe('a Lightning address that did not open, in the user’s terms', () => {
  const err = (code: string, details: Record<string, string | number> = {}) =>
    new BridgeCallError({ code: code as never, message: 'x', details });
  it('names an unknown name, a server that is down and one that refuses', () => {
    expect(addressProblemOf(err('LNURL_BAD_RESPONSE', { domain: 'pay.example', status: 404 }))).toEqual({
      problem: 'unknown',
      domain: 'pay.example',
      reason: '',
    });
    expect(addressProblemOf(err('LNURL_BAD_RESPONSE', { status: 410 })).problem).toBe('unknown');
    expect(addressProblemOf(err('LNURL_UNREACHABLE', { domain: 'pay.example' })).problem).toBe('unreachable');
    // A withdraw link's words mean nothing here: "expired" from an address server is its refusal.
    expect(addressProblemOf(err('LNURL_SERVICE_ERROR', { reason: 'Link expired' }))).toEqual({
      problem: 'refused',
      domain: '',
      reason: 'Link expired',
    });
  });
  it('leaves what it cannot name to the error’s own text', () => {
    expect(addressProblemOf(err('LNURL_BAD_RESPONSE', { status: 500 })).problem).toBe('other');
    expect(addressProblemOf(err('LIGHTNING_UNRECOGNIZED')).problem).toBe('other');
    expect(addressProblemOf(new Error('boom')).problem).toBe('other');
  });
});
