import { describe, expect, it } from 'vitest';
import { findLightningRequest } from '../../renderer/features/messages/keys';

const INVOICE =
  'lnbcrt10u1p5ptd3rpp5yq0yg0c3nhs3cx4j4u6qh2ycznyzv5s7vwy4dpc6h9lzxaqj3ys9qdqqcqzzsxqyz5vqsp5x8fl0q3s0r6u5hjtg5gp8n4jgn5v9w9f9pj6k5jzvx3w9g7a5rq9qyyssq8yj0xw4v6n7n7h0ee0m0';

describe('Lightning requests in chat messages', () => {
  it('finds a BOLT11 invoice inside a sentence, and a lightning: link', () => {
    expect(findLightningRequest(`Please pay ${INVOICE} thanks!`)).toBe(INVOICE);
    expect(findLightningRequest(`lightning:${INVOICE}.`)).toBe(INVOICE);
    expect(
      findLightningRequest(
        'LIGHTNING:LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS',
      ),
    ).toMatch(/^LNURL1/);
  });

  it('takes a Lightning address only when it is the whole message or marked with ⚡', () => {
    expect(findLightningRequest('bob@127.0.0.1:46583')).toBe('bob@127.0.0.1:46583');
    expect(findLightningRequest('  alice@getalby.com ')).toBe('alice@getalby.com');
    expect(findLightningRequest('Zap me at ⚡carol@example.com please')).toBe('carol@example.com');
    // An e-mail address in a sentence is not a payment request.
    expect(findLightningRequest('write to me at carol@example.com tomorrow')).toBeNull();
  });

  it('finds nothing in ordinary text or a bitcoin: link', () => {
    expect(findLightningRequest('see you at lunch')).toBeNull();
    expect(
      findLightningRequest('bitcoin:bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080?amount=0.001'),
    ).toBeNull();
  });
});
