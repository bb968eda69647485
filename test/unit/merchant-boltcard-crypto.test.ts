import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aesCbc,
  aesCmac,
  boltcardKeys,
  bytesToHex,
  cardId,
  cardKey,
  checkSunMac,
  decryptPicc,
  encodePicc,
  extractPc,
  hexToBytes,
  issuerEncryptionKey,
  sunMac,
} from '../../main/merchant/boltcard/ntag424-crypto';

const fixture = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../shared/btcpay/boltcard-fixture.json'), 'utf8'),
) as {
  input: { issuerKey: string; pullPaymentId: string; uid: string; version: number };
  derived: Record<'CardKey' | 'K0' | 'K1' | 'K2' | 'K3' | 'K4' | 'ID', string>;
  taps: { counter: number; p: string; c: string; lnurlw: string }[];
  negative: { tamperedC: string; wrongIssuerP: string };
};

describe('AES-CMAC (RFC 4493 test vectors)', () => {
  const key = hexToBytes('2b7e151628aed2a6abf7158809cf4f3c');
  const msg = hexToBytes(
    '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
  );
  it.each([
    [0, 'bb1d6929e95937287fa37d129b756746'],
    [16, '070a16b46b4d4144f79bdd9dd04a287c'],
    [40, 'dfa66747de9ae63030ca32611497c827'],
    [64, '51f0bebf7e3b9d92fc49741779363cfe'],
  ])('message of %i bytes', (length, mac) => {
    expect(bytesToHex(aesCmac(key, msg.subarray(0, length)))).toBe(mac);
  });
});

describe('Bolt card keys as BTCPay derives them (boltcard-fixture.json)', () => {
  const issuer = hexToBytes(fixture.input.issuerKey);
  const uid = hexToBytes(fixture.input.uid);
  const card = cardKey(issuer, uid, fixture.input.version, fixture.input.pullPaymentId);
  const keys = boltcardKeys(issuer, card);

  it('derives the card key, K0-K4 and the card id', () => {
    expect(bytesToHex(card)).toBe(fixture.derived.CardKey);
    expect(bytesToHex(keys.k0)).toBe(fixture.derived.K0);
    expect(bytesToHex(keys.k1)).toBe(fixture.derived.K1);
    expect(bytesToHex(issuerEncryptionKey(issuer))).toBe(fixture.derived.K1);
    expect(bytesToHex(keys.k2)).toBe(fixture.derived.K2);
    expect(bytesToHex(keys.k3)).toBe(fixture.derived.K3);
    expect(bytesToHex(keys.k4)).toBe(fixture.derived.K4);
    expect(bytesToHex(cardId(issuer, uid))).toBe(fixture.derived.ID);
  });

  it('a different version or pull payment gives a different card key', () => {
    expect(bytesToHex(cardKey(issuer, uid, 1, fixture.input.pullPaymentId))).not.toBe(
      fixture.derived.CardKey,
    );
    expect(bytesToHex(cardKey(issuer, uid, 0, 'other'))).not.toBe(fixture.derived.CardKey);
  });

  it.each(fixture.taps)('tap with counter $counter: p decrypts to the UID and counter, c checks', (tap) => {
    const picc = decryptPicc(keys.k1, tap.p);
    expect(picc).not.toBeNull();
    expect(bytesToHex(picc!.uid)).toBe(fixture.input.uid);
    expect(picc!.counter).toBe(tap.counter);
    expect(bytesToHex(sunMac(keys.k2, picc!), true)).toBe(tap.c);
    expect(checkSunMac(keys.k2, picc!, tap.c)).toBe(true);
    expect(extractPc(tap.lnurlw)).toEqual({ p: tap.p, c: tap.c });
  });

  it('encrypting the PICC data again gives the fixture p (zero padding)', () => {
    for (const tap of fixture.taps) {
      const plain = encodePicc({ uid, counter: tap.counter });
      expect(bytesToHex(aesCbc('encrypt', keys.k1, plain), true)).toBe(tap.p);
    }
  });

  it('refuses a tampered c and a p from another issuer', () => {
    const tampered = extractPc(fixture.negative.tamperedC)!;
    const picc = decryptPicc(keys.k1, tampered.p)!;
    expect(checkSunMac(keys.k2, picc, tampered.c)).toBe(false);
    const wrong = extractPc(fixture.negative.wrongIssuerP)!;
    expect(decryptPicc(keys.k1, wrong.p)).toBeNull();
  });

  it('rejects malformed input instead of throwing', () => {
    expect(decryptPicc(keys.k1, 'zz')).toBeNull();
    expect(checkSunMac(keys.k2, { uid, counter: 1 }, 'nothex!!nothex!!')).toBe(false);
    expect(extractPc('lnurlw://host/boltcard')).toBeNull();
  });
});
