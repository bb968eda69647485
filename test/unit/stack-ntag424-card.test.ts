import { describe, expect, it } from 'vitest';
import {
  authenticate,
  isBlank,
  programBoltcard,
  readNdefUri,
  readUid,
  wipeBoltcard,
} from '../../main/merchant/boltcard/card-ops';
import {
  boltcardKeys,
  bytesToHex,
  cardKey,
  checkSunMac,
  decryptPicc,
  extractPc,
  hexToBytes,
} from '../../main/merchant/boltcard/ntag424-crypto';
import { checkResponse, fullCommand } from '../../main/merchant/boltcard/ntag424-ev2';
import { createReplayTag, createSimulatedNtag424 } from '../stack/nfc/ntag424-card';
import { createSimulatedReader } from '../stack/nfc/reader';

const h = (s: string) => hexToBytes(s);

/** The card's randomness in the order it draws it, so AN12196's examples come out exactly. */
function scripted(...values: string[]) {
  const queue = values.map(h);
  return (n: number) => {
    const next = queue.shift();
    if (!next || next.length !== n) throw new Error(`unexpected draw of ${n} bytes`);
    return next;
  };
}

describe('the simulated NTAG 424 DNA against AN12196', () => {
  it('answers the §6.6 handshake and mirrors the §3.4 SUN message into the example NDEF file', async () => {
    const card = createSimulatedNtag424({
      uid: h('04DE5F1EACC040'),
      readCounter: 60,
      random: scripted('B9E2FC789B64BF237CCCAA20EC7E6E48', '9D00C4DF', 'DA5CF60941'),
    });
    const reader = createSimulatedReader();
    reader.place(card);
    // Table 17's file: https://choose.url.com/ntag424?e=<32 zeros>&c=<16 zeros>, written freely.
    const file = h(
      '0051D1014D550463686F6F73652E75726C2E636F6D2F6E7461673432343F653D' +
        '30'.repeat(32) +
        '26633D' +
        '30'.repeat(16),
    );
    expect(bytesToHex(await reader.transmit(h('00A4040C07D276000085010100')), true)).toBe('9000');
    expect(bytesToHex(await reader.transmit(h('00A4000C02E104')), true)).toBe('9000');
    expect(
      bytesToHex(await reader.transmit(Uint8Array.from([0x00, 0xd6, 0, 0, file.length, ...file])), true),
    ).toBe('9000');
    const s = await authenticate(reader, 0, new Uint8Array(16), h('13C5DB8A5930439FC3DEF9A4C675360F'));
    expect(bytesToHex(s.ti, true)).toBe('9D00C4DF');
    expect(bytesToHex(s.encKey, true)).toBe('1309C877509E5A215007FF0ED19CA564');
    checkResponse(
      s,
      await reader.transmit(fullCommand(s, 0x5f, Uint8Array.of(2), h('4000E0C1F121200000430000430000'))),
      false,
    );
    reader.place(card);
    const uri = await readNdefUri(reader);
    expect(uri).toBe('https://choose.url.com/ntag424?e=EF963FF7828658A599F3041510671E88&c=94EED9EE65337086');
    expect(card.readCounter).toBe(61);
  });

  it('refuses a handshake with the wrong key', async () => {
    const reader = createSimulatedReader();
    reader.place(createSimulatedNtag424());
    await expect(authenticate(reader, 0, new Uint8Array(16).fill(1))).rejects.toThrow(
      /wrong key: authentication error/,
    );
  });
});

describe('programming, tapping and wiping a Bolt card (host code against the simulated card)', () => {
  const issuer = h('01000000000000000000000000000000');
  const card = createSimulatedNtag424({ uid: h('04a39493cc8680') });
  const keys = boltcardKeys(issuer, cardKey(issuer, card.uid, 0, '3sT8pQ9Tq4c6r7fLkVbXyZ1AbCd'));

  it('programs a blank card whose taps verify with K1/K2 and count up', async () => {
    const reader = createSimulatedReader();
    reader.place(card);
    expect(bytesToHex(await readUid(reader))).toBe('04a39493cc8680');
    expect(await isBlank(reader)).toBe(true);
    await programBoltcard(reader, 'lnurlw://btcpay.example.test/boltcard', keys, 0);
    expect(bytesToHex(card.key(0), true)).toBe('03C63FFD18D07E7AC01B36721DA9E076');
    expect(bytesToHex(card.key(2), true)).toBe('E897799EC4A55DDA8CBE518B2B6AA3DB');
    const counters: number[] = [];
    for (let i = 0; i < 3; i++) {
      reader.place(card);
      const uri = (await readNdefUri(reader)) ?? '';
      expect(uri).toMatch(/^lnurlw:\/\/btcpay\.example\.test\/boltcard\?p=[0-9A-F]{32}&c=[0-9A-F]{16}$/);
      const pc = extractPc(uri)!;
      const picc = decryptPicc(keys.k1, pc.p)!;
      expect(bytesToHex(picc.uid)).toBe('04a39493cc8680');
      expect(checkSunMac(keys.k2, picc, pc.c)).toBe(true);
      counters.push(picc.counter);
      // Reading again in the same field gives the same tap.
      expect(await readNdefUri(reader)).toBe(uri);
    }
    expect(counters).toEqual([1, 2, 3]);
    reader.place(card);
    expect(await isBlank(reader)).toBe(false);
  });

  it('a replayed copy of a tap reads the same every time; wiping returns the card to blank', async () => {
    const reader = createSimulatedReader();
    reader.place(card);
    const uri = (await readNdefUri(reader)) ?? '';
    const clone = createReplayTag(uri);
    reader.place(clone);
    expect(await readNdefUri(reader)).toBe(uri);
    reader.place(clone);
    expect(await readNdefUri(reader)).toBe(uri);
    reader.place(card);
    await wipeBoltcard(reader, keys);
    reader.place(card);
    expect(await isBlank(reader)).toBe(true);
    expect(await readNdefUri(reader)).toBeNull();
    expect(bytesToHex(card.key(2))).toBe('0'.repeat(32));
  });
});
