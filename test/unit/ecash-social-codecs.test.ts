import { describe, expect, it } from 'vitest';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { decodePaymentRequest } from '@cashu/cashu-ts';
import { findChatPayments } from '../../shared/ecash/chat-payments';
import { FlashError } from '../../shared/errors';
import { readTokenContent, readWalletContent, tokenContent, walletContent } from '../../main/ecash/nip60';
import { nutzapInfoTemplate, nutzapTemplate, parseNutzapInfo, readNutzap } from '../../main/ecash/nutzap';
import { createRequest, nostrTarget, parseRequest, requestView } from '../../main/ecash/payment-request';

const TOKEN_A =
  'cashuAeyJ0b2tlbiI6W3sibWludCI6Imh0dHBzOi8vODMzMy5zcGFjZTozMzM4IiwicHJvb2ZzIjpbeyJhbW91bnQiOjIsImlkIjoiMDA5YTFmMjkzMjUzZTQxZSIsInNlY3JldCI6IjQwNzkxNWJjMjEyYmU2MWE3N2UzZTZkMmFlYjRjNzI3OTgwYmRhNTFjZDA2YTZhZmMyOWUyODYxNzY4YTc4MzciLCJDIjoiMDJiYzkwOTc5OTdkODFhZmIyY2M3MzQ2YjVlNDM0NWE5MzQ2YmQyYTUwNmViNzk1ODU5OGE3MmYwY2Y4NTE2M2VhIn1dfV0sInVuaXQiOiJzYXQifQ';

const expectCode = (fn: () => unknown, code: string) => {
  try {
    fn();
  } catch (err) {
    expect(err instanceof FlashError ? err.code : String(err)).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
};

describe('pay cards found in chat messages', () => {
  it('finds tokens (with or without cashu:), creqA/creqB requests and a NUT-18 payload', () => {
    expect(findChatPayments(`Here you go: cashu:${TOKEN_A} thanks`)).toEqual([
      { kind: 'token', text: TOKEN_A },
    ]);
    expect(findChatPayments(`${TOKEN_A}\n${TOKEN_A}`)).toHaveLength(1);
    expect(findChatPayments('pay me creqAp2F0gaNhdGVub3N0cmFhbG5wcm9maWxl please')).toEqual([
      { kind: 'request', text: 'creqAp2F0gaNhdGVub3N0cmFhbG5wcm9maWxl' },
    ]);
    expect(findChatPayments('CREQB1QYQQWAR9WD6RZV3NQ5RXZ')[0]?.kind).toBe('request');
    const payload = JSON.stringify({ id: 'ab', mint: 'https://m', unit: 'sat', proofs: [{ amount: 1 }] });
    expect(findChatPayments(` ${payload} `)).toEqual([{ kind: 'payload', text: payload }]);
    expect(findChatPayments('{"mint":"https://m","proofs":[]}')).toEqual([]);
    expect(findChatPayments('cashu is nice, cashuB is short')).toEqual([]);
  });
});

describe('NUT-18 requests on cashu-ts', () => {
  it('round-trips a NOSTR request with amount, mints, lock and the NIP-17 tag', () => {
    const pubkey = 'ab'.repeat(32);
    const text = createRequest({
      id: 'r1',
      amount: 21,
      unit: 'sat',
      mints: ['https://mint.example'],
      description: 'Coffee',
      transport: { type: 'nostr', pubkey, relays: ['wss://relay.example'] },
      lockTo: `02${'cd'.repeat(32)}`,
    });
    expect(text).toMatch(/^creqA/);
    const raw = decodePaymentRequest(text);
    expect(raw.transport?.[0]?.tags).toEqual([['n', '17']]);
    const view = requestView(parseRequest(text));
    expect(view).toMatchObject({
      id: 'r1',
      amount: 21,
      unit: 'sat',
      mints: ['https://mint.example'],
      strictMints: true,
      description: 'Coffee',
      singleUse: true,
      lockTo: `02${'cd'.repeat(32)}`,
    });
    expect(nostrTarget(view.transports[0]!.target)).toEqual({ pubkey, relays: ['wss://relay.example'] });
  });

  it('refuses what is not a request, a damaged one, and a lock Flash cannot make', () => {
    expectCode(() => parseRequest('lnbc1...'), 'ECASH_REQUEST_INVALID');
    expectCode(() => parseRequest('creqAnotcbor'), 'ECASH_REQUEST_INVALID');
    const p2pkRequest = createRequest({
      id: 'h',
      unit: 'sat',
      mints: [],
      transport: { type: 'post', url: 'https://pay.example/x' },
      lockTo: `02${'cd'.repeat(32)}`,
    }); // then its lock kind changed to one Flash cannot make
    const req = parseRequest(p2pkRequest);
    req.nut10 = { kind: 'HTLC', data: 'ff'.repeat(32), tags: [] };
    expectCode(() => requestView(req), 'ECASH_REQUEST_INVALID');
    expectCode(() => nostrTarget('https://not-a-profile'), 'ECASH_REQUEST_INVALID');
  });
});

describe('NIP-61 events', () => {
  const alice = generateSecretKey();
  const bob = generateSecretKey();
  const bobPub = getPublicKey(bob);
  const p2pk = `02${'ef'.repeat(32)}`;

  it('reads a kind 10019 (x-only keys take the 02 prefix; bad mints are skipped)', () => {
    const ev = finalizeEvent(
      nutzapInfoTemplate(
        {
          relays: ['wss://r.example'],
          mints: [{ url: 'https://mint.example', units: ['sat', 'usd'] }],
          p2pk,
        },
        1,
      ),
      bob,
    );
    expect(parseNutzapInfo(ev)).toMatchObject({
      pubkey: bobPub,
      relays: ['wss://r.example'],
      mints: [{ url: 'https://mint.example', units: ['sat', 'usd'] }],
      p2pk,
    });
    const xonly = finalizeEvent(
      {
        kind: 10019,
        created_at: 1,
        content: '',
        tags: [
          ['mint', 'not a url'],
          ['mint', 'https://m.example'],
          ['pubkey', 'ef'.repeat(32)],
        ],
      },
      bob,
    );
    expect(parseNutzapInfo(xonly)).toMatchObject({
      mints: [{ url: 'https://m.example', units: ['sat'] }],
      p2pk,
    });
    expect(
      parseNutzapInfo(finalizeEvent({ kind: 10019, created_at: 1, content: '', tags: [] }, bob)),
    ).toBeNull();
  });

  it('accepts a nutzap to us from a listed mint locked to our key, and nothing else', () => {
    const locked = (key: string) =>
      JSON.stringify(['P2PK', { nonce: '00'.repeat(32), data: key, tags: [['sigflag', 'SIG_INPUTS']] }]);
    const proof = (key: string) => ({
      id: '009a1f293253e41e',
      amount: 8,
      secret: locked(key),
      C: `02${'11'.repeat(32)}`,
    });
    const zap = (proofs: ReturnType<typeof proof>[], mint = 'https://mint.example', to = bobPub) =>
      finalizeEvent(
        nutzapTemplate({ recipient: to, mintUrl: mint, unit: 'sat', proofs, comment: 'gm' }, 1),
        alice,
      );
    const us = { pubkey: bobPub, p2pk, mints: ['https://mint.example'] };
    expect(readNutzap(zap([proof(p2pk), proof(p2pk)]), us)).toMatchObject({
      amount: 16,
      comment: 'gm',
      unit: 'sat',
    });
    expectCode(() => readNutzap(zap([proof(p2pk)], 'https://other.example'), us), 'ECASH_TOKEN_INVALID');
    expectCode(() => readNutzap(zap([proof(`02${'99'.repeat(32)}`)]), us), 'ECASH_TOKEN_INVALID');
    expectCode(
      () => readNutzap(zap([proof(p2pk)], 'https://mint.example', 'aa'.repeat(32)), us),
      'ECASH_TOKEN_INVALID',
    );
    expectCode(
      () => readNutzap(zap([{ id: 'x', amount: 1, secret: 'plain', C: `02${'11'.repeat(32)}` }]), us),
      'ECASH_TOKEN_INVALID',
    );
  });
});

describe('NIP-60 contents', () => {
  it('round-trips the wallet and token contents and refuses malformed ones', () => {
    const w = readWalletContent(walletContent('AB'.repeat(32), ['https://a', 'https://b']));
    expect(w).toEqual({ privkey: 'ab'.repeat(32), mints: ['https://a', 'https://b'] });
    const proofs = [{ id: '00ab', amount: 4, secret: 's', C: `02${'11'.repeat(32)}` }];
    expect(readTokenContent(tokenContent({ mint: 'https://a', unit: 'sat', proofs, del: ['e1'] }))).toEqual({
      mint: 'https://a',
      unit: 'sat',
      proofs,
      del: ['e1'],
    });
    expectCode(
      () => readTokenContent('{"mint":"https://a","proofs":[{"amount":-1}]}'),
      'ECASH_TOKEN_INVALID',
    );
    expectCode(() => readWalletContent('nope'), 'ECASH_TOKEN_INVALID');
  });
});
