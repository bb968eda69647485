import { networks, payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { SendError } from '../../main/bitcoin/send/errors';
import type { AccountRef } from '../../main/bitcoin/send/psbt';
import { buildPsbt, importPsbt } from '../../main/bitcoin/send/psbt';
import { decodePsbtUr, encodePsbtUr } from '../../main/bitcoin/send/ur';
import { createAddressDeriver, deriveAccount } from '../../main/bitcoin/wallet/derivation';

const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

/** A real unsigned PSBT of the BIP84 test account: three inputs with prev txs, two outputs. */
function realPsbt(inputs = 3): Uint8Array {
  const keys = deriveAccount(ABANDON, '', 'regtest');
  const acct: AccountRef = {
    network: 'regtest',
    xpub: keys.xpub,
    fingerprint: keys.fingerprint,
    accountPath: keys.accountPath,
  };
  const deriver = createAddressDeriver(acct.xpub, 'regtest');
  const outside = payments.p2wpkh({ hash: new Uint8Array(20).fill(7), network: networks.regtest }).output!;
  const change = deriver.derive(1, 0);
  const ins = Array.from({ length: inputs }, (_, i) => ({
    txid: (i + 1).toString(16).padStart(2, '0').repeat(32),
    vout: i,
    value: 50_000 + i,
    scriptPubKey: deriver.derive(0, i).scriptPubKey,
    chain: 0 as const,
    index: i,
  }));
  const total = ins.reduce((s, i) => s + i.value, 0);
  const psbt = buildPsbt(acct, ins, [
    { script: outside, value: 20_000 },
    { script: change.scriptPubKey, value: total - 20_000 - 2_000, change: { chain: 1, index: 0 } },
  ]);
  return psbt.toBuffer();
}

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SendError);
    return (err as SendError).reason;
  }
  throw new Error('expected a SendError');
}

describe('UR crypto-psbt', () => {
  it('keeps a small PSBT in one part', () => {
    const bytes = realPsbt(1);
    const parts = encodePsbtUr(bytes, 2000);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatch(/^ur:crypto-psbt\/[a-z]+$/);
    expect(decodePsbtUr(parts[0]!)).toEqual(bytes);
  });

  it('splits a larger PSBT into fountain parts that cycle twice over the fragments', () => {
    const bytes = realPsbt(3);
    const parts = encodePsbtUr(bytes, 100);
    const fragments = Math.ceil(bytes.length / 100);
    expect(parts.length).toBeGreaterThanOrEqual(2 * (fragments - 1));
    expect(parts[0]).toMatch(/^ur:crypto-psbt\/1-\d+\//);
    expect(decodePsbtUr(parts.join('\n'))).toEqual(bytes);
  });

  it('rebuilds the PSBT from shuffled parts with some pure fragments missing', () => {
    const bytes = realPsbt(3);
    const parts = encodePsbtUr(bytes, 80);
    const n = Number(/\/1-(\d+)\//.exec(parts[0]!)?.[1]);
    expect(n).toBeGreaterThan(3);
    // Drop a pure fragment and repeat another; the mixed fountain parts (seq > n) carry what it held.
    const kept = [...parts.filter((_, i) => i !== 2), parts[4]!];
    // A fixed, repeatable permutation.
    const shuffled = kept
      .map((part, i) => ({ part, key: (i * 5) % kept.length }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.part);
    expect(shuffled).not.toEqual(kept);
    const decoded = decodePsbtUr(`  ${shuffled.join('  \n\t')}  `);
    expect(decoded).toEqual(bytes);
    // And the importer takes the same text as base64 or a file would give.
    const psbt = importPsbt(shuffled.join(' '), 'regtest');
    expect(psbt.toHex()).toBe(Buffer.from(bytes).toString('hex'));
  });

  it('says how many parts are missing when the animation was not read to the end', () => {
    const parts = encodePsbtUr(realPsbt(3), 80);
    const n = Number(/\/1-(\d+)\//.exec(parts[0]!)?.[1]);
    let caught: SendError | null = null;
    try {
      decodePsbtUr(parts.slice(0, 2).join(' '));
    } catch (err) {
      caught = err as SendError;
    }
    expect(caught?.reason).toBe('UR_INCOMPLETE');
    expect(caught?.details).toMatchObject({ expected: n, received: 2 });
    expect(caught?.message).toContain(`all ${n} parts`);
  });

  it('refuses other UR types, mixed types, damaged parts and non-bytes payloads', () => {
    const good = encodePsbtUr(realPsbt(1), 2000)[0]!;
    const body = good.slice('ur:crypto-psbt/'.length);
    expect(reason(() => decodePsbtUr(`ur:crypto-account/${body}`))).toBe('UR_UNKNOWN_TYPE');
    expect(reason(() => decodePsbtUr(`ur:bytes/${body}`))).toBe('UR_UNKNOWN_TYPE');
    expect(reason(() => decodePsbtUr(`${good} ur:psbt/${body}`))).toBe('BAD_UR');
    // A flipped word breaks the bytewords CRC.
    const damaged = `ur:crypto-psbt/${body.slice(0, 10)}${body[10] === 'a' ? 'e' : 'a'}${body.slice(11)}`;
    expect(reason(() => decodePsbtUr(damaged))).toBe('BAD_UR');
    expect(reason(() => decodePsbtUr('ur:crypto-psbt'))).toBe('BAD_UR');
    expect(reason(() => decodePsbtUr('   '))).toBe('BAD_UR');
    // A well-formed UR whose CBOR is an integer, not a byte string.
    const notBytes = 'ur:crypto-psbt/' + bytewordsOfCbor([0x18, 0x2a]);
    expect(reason(() => decodePsbtUr(notBytes))).toBe('BAD_UR');
    // A byte string that is not a PSBT reaches the PSBT parser and is named as such.
    const notPsbt = 'ur:crypto-psbt/' + bytewordsOfCbor([0x43, 1, 2, 3]);
    expect(decodePsbtUr(notPsbt)).toEqual(Uint8Array.from([1, 2, 3]));
    expect(reason(() => importPsbt(notPsbt, 'regtest'))).toBe('BAD_PSBT');
  });
});

/** Minimal bytewords encoding (BCR-2020-012) with its CRC32 suffix, to hand-craft payloads. */
function bytewordsOfCbor(cbor: number[]): string {
  const WORDS =
    'ableacidalsoapexaquaarchatomauntawayaxisbackbaldbarnbeltbetabiasbluebodybragbrewbulbbuzzcalmcashcatschefcityclawcodecolacookcostcruxcurlcuspcyandarkdatadaysdelidicedietdoordowndrawdropdrumdulldutyeacheasyechoedgeepicevenexamexiteyesfactfairfernfigsfilmfishfizzflapflewfluxfoxyfreefrogfuelfundgalagamegeargemsgiftgirlglowgoodgraygrimgurugushgyrohalfhanghardhawkheathelphighhillholyhopehornhutsicedideaidleinchinkyintoirisironitemjadejazzjoinjoltjowljudojugsjumpjunkjurykeepkenokeptkeyskickkilnkingkitekiwiknoblamblavalazyleaflegsliarlimplionlistlogoloudloveluaulucklungmainmanymathmazememomenumeowmildmintmissmonknailnavyneednewsnextnoonnotenumbobeyoboeomitonyxopenovalowlspaidpartpeckplaypluspoempoolposepuffpumapurrquadquizraceramprealredorichroadrockroofrubyruinrunsrustsafesagascarsetssilkskewslotsoapsolosongstubsurfswantacotasktaxitenttiedtimetinytoiltombtoystriptunatwinuglyundouniturgeuservastveryvetovialvibeviewvisavoidvowswallwandwarmwaspwavewaxywebswhatwhenwhizwolfworkyankyawnyellyogayurtzapszerozestzinczonezoom';
  const table = new Int32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let crc = -1;
  for (const b of cbor) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  crc = (crc ^ -1) >>> 0;
  const bytes = [...cbor, (crc >>> 24) & 0xff, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff];
  return bytes.map((b) => WORDS[b * 4]! + WORDS[b * 4 + 3]!).join('');
}
