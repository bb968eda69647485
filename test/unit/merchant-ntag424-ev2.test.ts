import { describe, expect, it } from 'vitest';
import { bytesToHex, decryptPicc, hexToBytes, sunMac } from '../../main/merchant/boltcard/ntag424-crypto';
import type { Ev2Session } from '../../main/merchant/boltcard/ntag424-ev2';
import {
  authFirstCommand,
  authSecondCommand,
  changeKeyCommand,
  checkResponse,
  finishAuth,
  fullCommand,
  macCommand,
  sessionVectors,
} from '../../main/merchant/boltcard/ntag424-ev2';

/** Worked examples from NXP's application note AN12196 (NTAG 424 DNA features and hints). */
const h = (s: string) => hexToBytes(s.replace(/\s+/g, ''));
const hex = (b: Uint8Array) => bytesToHex(b, true);
const ZERO = new Uint8Array(16);

function session(ti: string, enc: string, mac: string, cmdCtr: number, keyNo = 0): Ev2Session {
  return { keyNo, ti: h(ti), encKey: h(enc), macKey: h(mac), cmdCtr };
}

describe('AuthenticateEV2First (AN12196 §6.6)', () => {
  it('builds both frames and derives the session keys byte for byte', () => {
    expect(hex(authFirstCommand(0))).toBe('9071000002000000');
    const rndA = h('13C5DB8A5930439FC3DEF9A4C675360F');
    const { apdu, rndB } = authSecondCommand(ZERO, h('A04C124213C186F22399D33AC2A30215'), rndA);
    expect(hex(rndB)).toBe('B9E2FC789B64BF237CCCAA20EC7E6E48');
    expect(hex(apdu)).toBe('90AF00002035C3E05A752E0144BAC0DE51C1F22C56B34408A23D8AEA266CAB947EA8E0118D00');
    const { sv1, sv2 } = sessionVectors(rndA, rndB);
    expect(hex(sv1)).toBe('A55A0001008013C56268A548D8FBBF237CCCAA20EC7E6E48C3DEF9A4C675360F');
    expect(hex(sv2)).toBe('5AA50001008013C56268A548D8FBBF237CCCAA20EC7E6E48C3DEF9A4C675360F');
    const s = finishAuth(
      ZERO,
      0,
      rndA,
      rndB,
      h('3FA64DB5446D1F34CD6EA311167F5E4985B89690C04A05F17FA7AB2F08120663'),
    );
    expect(hex(s.ti)).toBe('9D00C4DF');
    expect(hex(s.encKey)).toBe('1309C877509E5A215007FF0ED19CA564');
    expect(hex(s.macKey)).toBe('4C6626F5E72EA694202139295C7A7FC7');
    expect(s.cmdCtr).toBe(0);
  });

  it('refuses a card that does not return our RndA', () => {
    const rndA = h('13C5DB8A5930439FC3DEF9A4C675360F');
    const { rndB } = authSecondCommand(ZERO, h('A04C124213C186F22399D33AC2A30215'), rndA);
    expect(() =>
      finishAuth(
        ZERO,
        0,
        new Uint8Array(16),
        rndB,
        h('3FA64DB5446D1F34CD6EA311167F5E4985B89690C04A05F17FA7AB2F08120663'),
      ),
    ).toThrow(/RndA/);
  });

  it('derives the §6.10 session keys from the second handshake', () => {
    const rndA = h('B98F4C50CF1C2E084FD150E33992B048');
    const { apdu, rndB } = authSecondCommand(ZERO, h('B875CEB0E66A6C5CD00898DC371F92D1'), rndA);
    expect(hex(apdu)).toBe('90AF000020FF0306E47DFBC50087C4D8A78E88E62DE1E8BE457AA477C707E2F0874916A8B100');
    const s = finishAuth(
      ZERO,
      0,
      rndA,
      rndB,
      h('0CC9A8094A8EEA683ECAAC5C7BF20584206D0608D477110FC6B3D5D3F65C3A6A'),
    );
    expect(hex(s.ti)).toBe('7614281A');
    expect(hex(s.encKey)).toBe('7A93D6571E4B180FCA6AC90C9A7488D4');
    expect(hex(s.macKey)).toBe('FC4AF159B62E549B5812394CAB1918CC');
  });
});

describe('secure messaging (AN12196 §5.3, §5.4, tables 19, 26, 27)', () => {
  it('GetFileSettings in CommMode.MAC and its MACed answer', () => {
    const s = session('7A21085E', '00000000000000000000000000000000', '8248134A386E86EB7FAF54A52E536CB6', 0);
    expect(hex(macCommand(s, 0xf5, Uint8Array.of(0x02)))).toBe('90F5000009026597A457C8CD442C00');
    const data = checkResponse(
      s,
      h('0040EEEE000100D1FE001F00004400004400002000006A0000 2A474282E7A47986 9100'),
      false,
    );
    expect(hex(data)).toBe('0040EEEE000100D1FE001F00004400004400002000006A0000');
    expect(s.cmdCtr).toBe(1);
  });

  it('WriteData of the example NDEF file in CommMode.Full', () => {
    const s = session('9D00C4DF', '1309C877509E5A215007FF0ED19CA564', '4C6626F5E72EA694202139295C7A7FC7', 0);
    const ndef = h(
      '0051D1014D550463686F6F73652E75726C2E636F6D2F6E7461673432343F653D3030303030303030303030303030303030303030303030303030303030303030' +
        '26633D30303030303030303030303030303030' +
        '00'.repeat(45),
    );
    expect(ndef.length).toBe(128);
    const header = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00);
    expect(hex(fullCommand(s, 0x8d, header, ndef))).toBe(
      '908D00009F02000000800000421C73A27D827658AF481FDFF20A5025B559D0E3AA21E58D347F343CFFC768BFE596C706BC00F2176781D4B0242642A0FF5A42C461AAF894D9A1284B8C76BCFA658ACD40555D362E08DB15CF421B51283F9064BCBE20E96CAE545B407C9D651A3315B27373772E5DA2367D2064AE054AF996C6F1F669170FA88CE8C4E3A4A7BBBEF0FD971FF532C3A802AF745660F2B4D1D9A8499661EBF300',
    );
    expect(checkResponse(s, h('FC222E5F7A542452 9100'), false).length).toBe(0);
  });

  it('ChangeFileSettings turning SUN messages on (table 19)', () => {
    const s = session('9D00C4DF', '1309C877509E5A215007FF0ED19CA564', '4C6626F5E72EA694202139295C7A7FC7', 1);
    expect(hex(fullCommand(s, 0x5f, Uint8Array.of(0x02), h('4000E0C1F121200000430000430000')))).toBe(
      '905F0000190261B6D97903566E84C3AE5274467E89EAD799B7C1A0EF7A0400',
    );
    checkResponse(s, h('57BFF87B1241E93D 9100'), false);
    expect(s.cmdCtr).toBe(2);
  });

  it('ChangeKey of another key (table 26) and of the session’s own key (table 27)', () => {
    const s = session('7614281A', '4CF3CB41A22583A61E89B158D252FC53', '5529860B2FC5FB6154B7F28361D30BF9', 2);
    expect(hex(changeKeyCommand(s, 2, h('F3847D627727ED3BC9C4CC050489B966'), 1, ZERO))).toBe(
      '90C4000029022CF362B7BF4311FF3BE1DAA295E8C68DE09050560D19B9E16C2393AE9CD1FAC75D0CE20BCD1D06E600',
    );
    s.cmdCtr = 3;
    expect(hex(changeKeyCommand(s, 0, h('5004BF991F408672B1EF00F08F9E8647'), 1))).toBe(
      '90C400002900C0EB4DEEFEDDF0B513A03A95A75491818580503190D4D05053FF75668A01D6FDA6610234BDED643200',
    );
    expect(() => changeKeyCommand(s, 2, ZERO, 1)).toThrow(/old value/);
  });

  it('refuses an answer with a wrong MAC or an error status, and keeps the counter', () => {
    const s = session('9D00C4DF', '1309C877509E5A215007FF0ED19CA564', '4C6626F5E72EA694202139295C7A7FC7', 1);
    expect(() => checkResponse(s, h('57BFF87B1241E93E 9100'), false)).toThrow(/MAC/);
    expect(() => checkResponse(s, h('91AE'), false)).toThrow(/authentication error/);
    expect(s.cmdCtr).toBe(1);
  });
});

describe('SUN message of the example tag (AN12196 §3.4, all-zero keys)', () => {
  it('decrypts the PICC data and checks its MAC', () => {
    const picc = decryptPicc(ZERO, 'EF963FF7828658A599F3041510671E88');
    expect(picc && hex(picc.uid)).toBe('04DE5F1EACC040');
    expect(picc?.counter).toBe(61);
    expect(hex(sunMac(ZERO, picc!))).toBe('94EED9EE65337086');
  });
});
