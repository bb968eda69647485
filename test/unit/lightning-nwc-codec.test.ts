import { bytesToHex } from '@noble/hashes/utils.js';
import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { isFlashError } from '../../shared/errors';
import {
  chooseEncryption,
  decryptFrom,
  encryptFor,
  offeredEncryptions,
  requestEncryption,
} from '../../main/lightning/nwc/encryption';
import { lightningToNwcCode, NWC_ERROR_CODES, nwcErrorToLightning } from '../../main/lightning/nwc/errors';
import {
  parseNotification,
  parseResponse,
  requestBody,
  responseBody,
  toLightningPayment,
} from '../../main/lightning/nwc/messages';
import { buildNwcUri, parseNwcUri } from '../../main/lightning/nwc/uri';
import { LightningError } from '../../main/lightning/provider';

const client = generateSecretKey();
const wallet = generateSecretKey();
const walletPub = getPublicKey(wallet);
const clientPub = getPublicKey(client);

describe('NWC connection URI', () => {
  it('reads the example of NIP-47', () => {
    const uri = parseNwcUri(
      'nostr+walletconnect://b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4?relay=wss%3A%2F%2Frelay.damus.io&secret=71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c',
    );
    expect(uri.walletPubkey).toBe('b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4');
    expect(uri.relays).toEqual(['wss://relay.damus.io']);
    expect(bytesToHex(uri.secret)).toBe('71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c');
    expect(uri.lud16).toBeNull();
  });

  it('takes several relays and a lud16, and round-trips', () => {
    const text = `nostr+walletconnect://${walletPub}?relay=wss://a.example&relay=ws://127.0.0.1:7000&secret=${bytesToHex(client)}&lud16=me@example.com`;
    const uri = parseNwcUri(text);
    expect(uri.relays).toEqual(['wss://a.example', 'ws://127.0.0.1:7000']);
    expect(uri.lud16).toBe('me@example.com');
    expect(parseNwcUri(buildNwcUri(uri))).toEqual(uri);
  });

  it.each([
    ['', 'empty'],
    ['https://example.com', 'scheme'],
    [`nostr+walletconnect://abc?relay=wss://r.example&secret=${'11'.repeat(32)}`, 'short key'],
    [`nostr+walletconnect://${walletPub}?secret=${'11'.repeat(32)}`, 'no relay'],
    [`nostr+walletconnect://${walletPub}?relay=https://r.example&secret=${'11'.repeat(32)}`, 'http relay'],
    [`nostr+walletconnect://${walletPub}?relay=wss://r.example&secret=zz`, 'bad secret'],
    [`nostr+walletconnect://${walletPub}?relay=wss://r.example&secret=${'00'.repeat(32)}`, 'zero secret'],
  ])('refuses %s (%s) with NWC_INVALID_URI, never quoting the secret', (text) => {
    try {
      parseNwcUri(text);
      expect.unreachable();
    } catch (err) {
      expect(isFlashError(err) && err.code).toBe('NWC_INVALID_URI');
      expect((err as Error).message).not.toContain('11'.repeat(32));
    }
  });
});

describe('encryption negotiation (NIP-47 "Encryption")', () => {
  it('reads the info event tag; its absence means NIP-04 only', () => {
    expect(offeredEncryptions([])).toEqual(['nip04']);
    expect(offeredEncryptions([['encryption', 'nip44_v2 nip04']])).toEqual(['nip44_v2', 'nip04']);
    expect(offeredEncryptions([['encryption', 'nip04']])).toEqual(['nip04']);
    expect(offeredEncryptions([['encryption', 'nip44_v3 rot13']])).toEqual([]);
  });

  it('prefers NIP-44 whenever offered', () => {
    expect(chooseEncryption(['nip04', 'nip44_v2'])).toBe('nip44_v2');
    expect(chooseEncryption(['nip04'])).toBe('nip04');
    expect(chooseEncryption([])).toBeNull();
  });

  it('a request without an encryption tag is NIP-04', () => {
    expect(requestEncryption([['p', walletPub]])).toBe('nip04');
    expect(requestEncryption([['encryption', 'nip44_v2']])).toBe('nip44_v2');
  });
});

describe('request and response encoding under each encryption', () => {
  const body = requestBody('pay_invoice', { invoice: 'lnbcrt10u1...' });

  it('NIP-44: what we encrypt, nostr-tools opens for the wallet, and back', () => {
    const sealed = encryptFor('nip44_v2', client, walletPub, body);
    const opened = nip44.decrypt(sealed, nip44.getConversationKey(wallet, clientPub));
    expect(JSON.parse(opened)).toEqual({ method: 'pay_invoice', params: { invoice: 'lnbcrt10u1...' } });
    const reply = nip44.encrypt(
      responseBody('pay_invoice', { result: { preimage: 'ab'.repeat(32), fees_paid: 1000 } }),
      nip44.getConversationKey(wallet, clientPub),
    );
    const parsed = parseResponse(decryptFrom('nip44_v2', client, walletPub, reply), 'pay_invoice');
    expect(parsed).toEqual({ ok: true, result: { preimage: 'ab'.repeat(32), fees_paid: 1000 } });
  });

  it('NIP-04: same, with the legacy scheme', () => {
    const sealed = encryptFor('nip04', client, walletPub, body);
    expect(sealed).toContain('?iv=');
    expect(JSON.parse(nip04.decrypt(wallet, clientPub, sealed)).method).toBe('pay_invoice');
    const reply = nip04.encrypt(
      wallet,
      clientPub,
      responseBody('get_balance', { result: { balance: 21000 } }),
    );
    expect(parseResponse(decryptFrom('nip04', client, walletPub, reply), 'get_balance')).toEqual({
      ok: true,
      result: { balance: 21000 },
    });
  });

  it('a payload under the other scheme does not open', () => {
    const nip44Payload = encryptFor('nip44_v2', client, walletPub, body);
    expect(() => decryptFrom('nip04', wallet, clientPub, nip44Payload)).toThrow();
    const nip04Payload = encryptFor('nip04', client, walletPub, body);
    expect(() => decryptFrom('nip44_v2', wallet, clientPub, nip04Payload)).toThrow();
  });

  it('an error object wins; a wrong result_type or shape is malformed', () => {
    expect(
      parseResponse(
        JSON.stringify({
          result_type: 'pay_invoice',
          error: { code: 'QUOTA_EXCEEDED', message: 'no' },
          result: null,
        }),
        'pay_invoice',
      ),
    ).toEqual({ ok: false, code: 'QUOTA_EXCEEDED', message: 'no' });
    expect(
      parseResponse(JSON.stringify({ result_type: 'get_balance', result: { balance: 1 } }), 'pay_invoice').ok,
    ).toBe('malformed');
    expect(
      parseResponse(JSON.stringify({ result_type: 'get_balance', result: { balance: -1 } }), 'get_balance')
        .ok,
    ).toBe('malformed');
    expect(
      parseResponse(JSON.stringify({ result_type: 'get_balance', result: { balance: 1.5 } }), 'get_balance')
        .ok,
    ).toBe('malformed');
    expect(parseResponse('not json', 'get_balance').ok).toBe('malformed');
  });

  it('reads notifications and passes unknown types on as other', () => {
    const tx = {
      type: 'incoming',
      state: 'settled',
      invoice: 'lnbcrt1...',
      payment_hash: 'cd'.repeat(32),
      preimage: 'ef'.repeat(32),
      amount: 5000,
      fees_paid: 0,
      created_at: 1700000000,
      settled_at: 1700000005,
    };
    expect(
      parseNotification(JSON.stringify({ notification_type: 'payment_received', notification: tx })),
    ).toMatchObject({
      type: 'payment_received',
      transaction: { amount: 5000 },
    });
    expect(
      parseNotification(JSON.stringify({ notification_type: 'hold_invoice_accepted', notification: {} })),
    ).toEqual({
      type: 'other',
      name: 'hold_invoice_accepted',
    });
    expect(
      parseNotification(JSON.stringify({ notification_type: 'payment_sent', notification: { amount: 1 } })),
    ).toBeNull();
  });
});

describe('transactions as payments', () => {
  const base = { type: 'outgoing' as const, payment_hash: 'AA'.repeat(32), amount: 21_000, created_at: 100 };

  it('state settled, pending, failed and expired', () => {
    expect(
      toLightningPayment({ ...base, state: 'settled', preimage: 'bb'.repeat(32), settled_at: 105 }, 200),
    ).toMatchObject({
      state: 'succeeded',
      paymentHash: 'aa'.repeat(32),
      amountMsat: 21_000n,
      settledAt: 105,
    });
    expect(toLightningPayment({ ...base, state: 'pending' }, 200).state).toBe('pending');
    expect(toLightningPayment({ ...base, state: 'failed' }, 200)).toMatchObject({
      state: 'failed',
      failure: 'provider-error',
    });
    expect(toLightningPayment({ ...base, type: 'incoming', state: 'expired' }, 200)).toMatchObject({
      state: 'failed',
      failure: 'expired',
    });
  });

  it('an older wallet without state: settled_at or preimage means settled; past expiry means expired', () => {
    expect(toLightningPayment({ ...base, settled_at: 150 }, 200).state).toBe('succeeded');
    expect(toLightningPayment({ ...base, type: 'incoming', expires_at: 150 }, 200).failure).toBe('expired');
    expect(toLightningPayment({ ...base, type: 'incoming', expires_at: 250 }, 200).state).toBe('pending');
  });
});

describe('NWC error codes onto Lightning failure kinds', () => {
  const expected: Record<(typeof NWC_ERROR_CODES)[number], string> = {
    RATE_LIMITED: 'provider-error',
    NOT_IMPLEMENTED: 'not-supported',
    INSUFFICIENT_BALANCE: 'insufficient-balance',
    QUOTA_EXCEEDED: 'quota-exceeded',
    RESTRICTED: 'unauthorized',
    UNAUTHORIZED: 'unauthorized',
    INTERNAL: 'provider-error',
    UNSUPPORTED_ENCRYPTION: 'not-supported',
    OTHER: 'provider-error',
    PAYMENT_FAILED: 'no-route',
    NOT_FOUND: 'provider-error',
  };
  it.each(NWC_ERROR_CODES.map((c) => [c]))('%s', (code) => {
    const err = nwcErrorToLightning(code, 'wallet says so', 'pay_invoice');
    expect(err).toBeInstanceOf(LightningError);
    expect(err.kind).toBe(expected[code]);
    expect(err.details?.nwcCode).toBe(code);
    expect(err.details?.retryable).toBe(code === 'RATE_LIMITED' || code === 'INTERNAL');
  });

  it('an unknown code counts as OTHER and keeps the raw code', () => {
    const err = nwcErrorToLightning('WEIRD', '', 'get_balance');
    expect(err.kind).toBe('provider-error');
    expect(err.details).toMatchObject({ nwcCode: 'OTHER', nwcRawCode: 'WEIRD' });
  });

  it('the service side answers the codes NIP-47 defines', () => {
    expect(lightningToNwcCode(new LightningError('quota-exceeded', 'x'))).toBe('QUOTA_EXCEEDED');
    expect(lightningToNwcCode(new LightningError('insufficient-balance', 'x'))).toBe('INSUFFICIENT_BALANCE');
    expect(lightningToNwcCode(new LightningError('no-route', 'x'))).toBe('PAYMENT_FAILED');
    expect(lightningToNwcCode(new LightningError('provider-error', 'x'))).toBe('INTERNAL');
  });
});
