import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  decodeNsec,
  decryptNcryptsec,
  encryptNcryptsec,
  generateKeyPair,
  importSecret,
  npubEncode,
  nsecEncode,
  parsePubkey,
  secretFromWords,
} from '../../main/nostr/identity';
import { FlashError } from '../../shared/errors';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof FlashError ? err.code : `not a FlashError: ${String(err)}`;
  }
  return undefined;
}

describe('nostr identity', () => {
  it('decodes the NIP-19 nsec vector', () => {
    const sk = decodeNsec('nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5');
    expect(bytesToHex(sk)).toBe('67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa');
  });

  it('round-trips nsec and npub', () => {
    const kp = generateKeyPair();
    expect(bytesToHex(decodeNsec(nsecEncode(kp.secretKey)))).toBe(bytesToHex(kp.secretKey));
    expect(parsePubkey(npubEncode(kp.pubkey))).toBe(kp.pubkey);
    expect(parsePubkey(kp.pubkey.toUpperCase())).toBe(kp.pubkey);
  });

  it('derives the NIP-06 vector from words', () => {
    const sk = secretFromWords(
      'leader monkey parrot ring guide accident before fence cannon height naive bean',
    );
    expect(bytesToHex(sk)).toBe('7f7ff03d123792d6ac594bfa67bf6d0c0ab55b6b1fdb6249303fe861f1ccba9a');
  });

  it('decrypts the NIP-49 vector (password "nostr", log_n 16)', () => {
    const sk = decryptNcryptsec(
      'ncryptsec1qgg9947rlpvqu76pj5ecreduf9jxhselq2nae2kghhvd5g7dgjtcxfqtd67p9m0w57lspw8gsq6yphnm8623nsl8xn9j4jdzz84zm3frztj3z7s35vpzmqf6ksu8r89qk5z2zxfmu5gv8th8wclt0h4p',
      'nostr',
    );
    expect(bytesToHex(sk)).toBe('3501454135014541350145413501453fefb02227e449e57cf4d3a3ce05378683');
  });

  it('exports and re-imports ncryptsec; a wrong password is a typed error', () => {
    const kp = generateKeyPair();
    const enc = encryptNcryptsec(kp.secretKey, 'hunter22', 8);
    expect(enc.startsWith('ncryptsec1')).toBe(true);
    expect(importSecret({ kind: 'ncryptsec', ncryptsec: enc, password: 'hunter22' }).pubkey).toBe(kp.pubkey);
    expect(code(() => decryptNcryptsec(enc, 'wrong'))).toBe('NOSTR_WRONG_PASSWORD');
  });

  it('rejects invalid npub / nsec / ncryptsec / words with NOSTR_INVALID_KEY', () => {
    const kp = generateKeyPair();
    const npub = npubEncode(kp.pubkey);
    expect(code(() => parsePubkey('npub1garbage'))).toBe('NOSTR_INVALID_KEY');
    expect(code(() => parsePubkey(npub.slice(0, -1) + (npub.endsWith('q') ? 'p' : 'q')))).toBe(
      'NOSTR_INVALID_KEY',
    );
    expect(code(() => parsePubkey(nsecEncode(kp.secretKey)))).toBe('NOSTR_INVALID_KEY');
    // 64 hex chars that are not an x coordinate on secp256k1
    expect(code(() => parsePubkey('f'.repeat(64)))).toBe('NOSTR_INVALID_KEY');
    expect(code(() => decodeNsec(npub))).toBe('NOSTR_INVALID_KEY');
    expect(code(() => decodeNsec('nsec1qqqq'))).toBe('NOSTR_INVALID_KEY');
    expect(code(() => decodeNsec(nsecEncode(new Uint8Array(32))))).toBe('NOSTR_INVALID_KEY');
    expect(code(() => decryptNcryptsec('ncryptsec1abc', 'x'))).toBe('NOSTR_INVALID_KEY');
    expect(code(() => secretFromWords('leader monkey parrot'))).toBe('NOSTR_INVALID_KEY');
    expect(code(() => importSecret({ kind: 'words', words: 'not real words at all here ok' }))).toBe(
      'NOSTR_INVALID_KEY',
    );
  });
});
