import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from 'node:crypto';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { createBolt11 } from '../../shared/lightning/bolt11';
import { validateZapReceipt } from '../../main/nostr/zap-receipt';
import {
  checkZapRequest,
  encodeLnurl,
  KIND_ZAP_RECEIPT,
  zapRequestTemplate,
} from '../../main/nostr/zap-request';
import type { NostrEvent } from '../../main/nostr/verify';

const sender = generateSecretKey();
const recipient = getPublicKey(generateSecretKey());
const server = generateSecretKey();
const serverPub = getPublicKey(server);
const nodeKey = generateSecretKey();
const lnurl = encodeLnurl('https://pay.example/.well-known/lnurlp/bob');
const postId = 'ab'.repeat(32);

function request(overrides: { amountMsat?: bigint; tags?: string[][]; event?: boolean } = {}): NostrEvent {
  const t = zapRequestTemplate({
    recipient,
    amountMsat: overrides.amountMsat ?? 21_000n,
    lnurl,
    relays: ['wss://relay.example'],
    ...(overrides.event ? { event: { id: postId, kind: 42 } } : {}),
    comment: 'Great post!',
    createdAt: 1_700_000_000,
  });
  return finalizeEvent(overrides.tags ? { ...t, tags: overrides.tags } : t, sender);
}

function invoiceFor(description: string, amountMsat: bigint | null, hashOf = description): string {
  return createBolt11(
    {
      network: 'regtest',
      amountMsat,
      timestamp: 1_700_000_001,
      paymentHash: sha256(randomBytes(32)),
      paymentSecret: randomBytes(32),
      descriptionHash: sha256(new TextEncoder().encode(hashOf)),
    },
    nodeKey,
  );
}

function receipt(
  req: NostrEvent,
  opts: { amountMsat?: bigint | null; by?: Uint8Array; tags?: string[][] } = {},
) {
  const description = JSON.stringify(req);
  const e = req.tags.find((t) => t[0] === 'e');
  return finalizeEvent(
    {
      kind: KIND_ZAP_RECEIPT,
      created_at: 1_700_000_100,
      content: '',
      tags: opts.tags ?? [
        ['p', recipient],
        ['P', req.pubkey],
        ...(e ? [e] : []),
        ['bolt11', invoiceFor(description, opts.amountMsat === undefined ? 21_000n : opts.amountMsat)],
        ['description', description],
      ],
    },
    opts.by ?? server,
  );
}

describe('zap request (NIP-57 Appendix A and D)', () => {
  it('builds the tags of Appendix A and passes the server checks', () => {
    const r = request({ event: true });
    expect(r.kind).toBe(9734);
    expect(r.tags).toEqual([
      ['relays', 'wss://relay.example'],
      ['amount', '21000'],
      ['lnurl', lnurl],
      ['p', recipient],
      ['e', postId],
      ['k', '42'],
    ]);
    expect(lnurl.startsWith('lnurl1')).toBe(true);
    expect(checkZapRequest(r, 21_000n)).toBeNull();
  });

  it('refuses what Appendix D refuses', () => {
    expect(checkZapRequest(request(), 22_000n)).toBe('amount-mismatch');
    expect(checkZapRequest({ ...request(), content: 'tampered' }, null)).toBe('bad-signature');
    expect(
      checkZapRequest(
        request({
          tags: [
            ['relays', 'wss://r'],
            ['p', recipient],
            ['p', recipient],
          ],
        }),
        null,
      ),
    ).toBe('p-tags');
    expect(
      checkZapRequest(
        request({
          tags: [
            ['relays', 'wss://r'],
            ['p', recipient],
            ['e', postId],
            ['e', postId],
          ],
        }),
        null,
      ),
    ).toBe('e-tags');
    expect(checkZapRequest(request({ tags: [['p', recipient]] }), null)).toBe('no-relays');
    expect(checkZapRequest(request({ tags: [] }), null)).toBe('no-tags');
    expect(
      checkZapRequest(
        request({
          tags: [
            ['relays', 'wss://r'],
            ['p', recipient],
            ['a', 'not-a-coordinate'],
          ],
        }),
        null,
      ),
    ).toBe('bad-a-tag');
  });
});

describe('zap receipt validation (NIP-57 Appendix F)', () => {
  it('accepts a receipt by the LNURL server for the requested amount', () => {
    const req = request({ event: true });
    const check = validateZapReceipt(receipt(req), { nostrPubkey: serverPub, lnurl });
    expect(check).toMatchObject({
      ok: true,
      zap: {
        sender: getPublicKey(sender),
        recipient,
        eventId: postId,
        amountMsat: 21_000n,
        comment: 'Great post!',
      },
    });
  });

  it('refuses a receipt signed by anyone but the recipient’s LNURL server', () => {
    const check = validateZapReceipt(receipt(request(), { by: generateSecretKey() }), {
      nostrPubkey: serverPub,
    });
    expect(check).toEqual({ ok: false, problem: 'wrong-zapper' });
  });

  it('refuses a bolt11 whose amount differs from the request’s amount', () => {
    expect(
      validateZapReceipt(receipt(request(), { amountMsat: 1_000n }), { nostrPubkey: serverPub }),
    ).toEqual({
      ok: false,
      problem: 'amount-mismatch',
    });
    expect(validateZapReceipt(receipt(request(), { amountMsat: null }), { nostrPubkey: serverPub })).toEqual({
      ok: false,
      problem: 'amount-mismatch',
    });
  });

  it('refuses a description that is not what the invoice commits to', () => {
    const req = request();
    const other = request({ amountMsat: 21_000n });
    const r = receipt(req, {
      tags: [
        ['p', recipient],
        ['bolt11', invoiceFor(JSON.stringify(req), 21_000n, JSON.stringify(other) + ' ')],
        ['description', JSON.stringify(req)],
      ],
    });
    expect(validateZapReceipt(r, { nostrPubkey: serverPub })).toEqual({
      ok: false,
      problem: 'description-hash-mismatch',
    });
  });

  it('refuses a receipt without a description or bolt11, or for another recipient, event or lnurl', () => {
    const req = request({ event: true });
    const description = JSON.stringify(req);
    const bolt11 = invoiceFor(description, 21_000n);
    const check = (tags: string[][], lnurlExpected: string | null = null) =>
      validateZapReceipt(receipt(req, { tags }), { nostrPubkey: serverPub, lnurl: lnurlExpected });
    expect(
      check([
        ['p', recipient],
        ['e', postId],
        ['bolt11', bolt11],
      ]),
    ).toMatchObject({ problem: 'no-description' });
    expect(
      check([
        ['p', recipient],
        ['e', postId],
        ['description', description],
      ]),
    ).toMatchObject({ problem: 'no-bolt11' });
    expect(
      check([
        ['p', serverPub],
        ['e', postId],
        ['bolt11', bolt11],
        ['description', description],
      ]),
    ).toMatchObject({
      problem: 'recipient-mismatch',
    });
    expect(
      check([
        ['p', recipient],
        ['bolt11', bolt11],
        ['description', description],
      ]),
    ).toMatchObject({
      problem: 'event-mismatch',
    });
    expect(
      check(
        [
          ['p', recipient],
          ['e', postId],
          ['bolt11', bolt11],
          ['description', description],
        ],
        encodeLnurl('https://other.example/.well-known/lnurlp/bob'),
      ),
    ).toMatchObject({ problem: 'lnurl-mismatch' });
  });

  it('refuses a receipt carrying a forged zap request', () => {
    const req = { ...request(), content: 'I changed the comment' };
    expect(validateZapReceipt(receipt(req), { nostrPubkey: serverPub })).toMatchObject({ ok: false });
  });
});
