import crypto from 'node:crypto';
import {
  aesCbc,
  aesCmac,
  bytesToHex,
  encodePicc,
  sunMac,
} from '../../../main/merchant/boltcard/ntag424-crypto';

/**
 * A simulated NTAG 424 DNA, written from NXP's data sheet and application note AN12196 (not from
 * our host code): the NDEF application and its files, ISO SELECT / READ BINARY / UPDATE BINARY
 * with the file's access rights, AuthenticateEV2First, ChangeFileSettings and ChangeKey in
 * CommMode.Full with their MACs checked, and Secure Unique NFC messages: on the first read of
 * the NDEF file after the card enters the field, the read counter goes up and the encrypted PICC
 * data and the SUN MAC are written into the file at the configured offsets.
 */

export interface SimulatedCard {
  uid: Uint8Array;
  /** The card entered the field (power on): selection, session and mirror start again. */
  activate(): void;
  process(apdu: Uint8Array): Uint8Array;
  readonly readCounter: number;
  key(n: number): Uint8Array;
}

const NDEF_AID = 'd2760000850101';
const SW_OK = Uint8Array.of(0x90, 0x00);
const sw = (a: number, b: number) => Uint8Array.of(a, b);
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const u16 = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff);
const u24 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16);

function truncated(key: Uint8Array, message: Uint8Array): Uint8Array {
  const full = aesCmac(key, message);
  return Uint8Array.from({ length: 8 }, (_, i) => full[2 * i + 1] ?? 0);
}

interface FileState {
  id: number;
  fileNo: number;
  data: Uint8Array;
  /** Nibbles: read, write, read-write, change (0..4 a key, 0xE free, 0xF never). */
  read: number;
  write: number;
  readWrite: number;
  change: number;
  sdm: null | {
    options: number;
    metaRead: number;
    fileRead: number;
    ctrRet: number;
    piccOffset: number;
    macInputOffset: number;
    macOffset: number;
  };
}

interface Session {
  keyNo: number;
  ti: Uint8Array;
  enc: Uint8Array;
  mac: Uint8Array;
  ctr: number;
}

export interface CardOptions {
  uid?: Uint8Array;
  /** Randomness of the card (RndB, TI, PICC padding): fixed in tests that replay AN12196. */
  random?: (n: number) => Uint8Array;
  readCounter?: number;
}

export function createSimulatedNtag424(opts: CardOptions = {}): SimulatedCard {
  const random = opts.random ?? ((n: number) => new Uint8Array(crypto.randomBytes(n)));
  const uid = opts.uid ?? Uint8Array.of(0x04, ...random(6));
  const keys = Array.from({ length: 5 }, () => new Uint8Array(16));
  const versions = [0, 0, 0, 0, 0];
  let readCounter = opts.readCounter ?? 0;
  const cc = new Uint8Array(32);
  cc.set([0x00, 0x17, 0x20, 0x01, 0x00, 0x00, 0xff, 0x04, 0x06, 0xe1, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00]);
  const files: FileState[] = [
    { id: 0xe103, fileNo: 1, data: cc, read: 0xe, write: 0x0, readWrite: 0x0, change: 0x0, sdm: null },
    {
      id: 0xe104,
      fileNo: 2,
      data: new Uint8Array(256),
      read: 0xe,
      write: 0xe,
      readWrite: 0xe,
      change: 0x0,
      sdm: null,
    },
    {
      id: 0xe105,
      fileNo: 3,
      data: new Uint8Array(128),
      read: 0x3,
      write: 0x3,
      readWrite: 0x3,
      change: 0x0,
      sdm: null,
    },
  ];
  let appSelected = false;
  let selected: FileState | null = null;
  let session: Session | null = null;
  let pending: { keyNo: number; rndB: Uint8Array } | null = null;
  let mirrored: Uint8Array | null = null;

  const free = (nibble: number) => nibble === 0xe;

  function mirror(f: FileState): Uint8Array {
    if (!f.sdm || f.fileNo !== 2) return f.data;
    if (mirrored) return mirrored;
    const sdm = f.sdm;
    if (readCounter < 0xffffff) readCounter += 1;
    const out = f.data.slice();
    const picc = { uid, counter: readCounter };
    if (sdm.metaRead <= 4) {
      const p = aesCbc('encrypt', keys[sdm.metaRead] as Uint8Array, encodePicc(picc, random(5)));
      out.set(new TextEncoder().encode(bytesToHex(p, true)), sdm.piccOffset);
    }
    if (sdm.fileRead <= 4) {
      const input = out.subarray(sdm.macInputOffset, sdm.macOffset);
      const c = sunMac(keys[sdm.fileRead] as Uint8Array, picc, input);
      out.set(new TextEncoder().encode(bytesToHex(c, true)), sdm.macOffset);
    }
    mirrored = out;
    return out;
  }

  function iv(s: Session, label: number[], ctr: number): Uint8Array {
    const block = new Uint8Array(16);
    block.set(label, 0);
    block.set(s.ti, 2);
    block.set(u16(ctr), 6);
    return aesCbc('encrypt', s.enc, block);
  }

  /** Checks MAC and decrypts a Full-mode command body; null (and the session is dropped) if bad. */
  function openFull(
    cmd: number,
    headerLength: number,
    body: Uint8Array,
  ): { header: Uint8Array; plain: Uint8Array } | null {
    const s = session;
    if (!s || body.length < headerLength + 8) return null;
    const header = body.subarray(0, headerLength);
    const enc = body.subarray(headerLength, body.length - 8);
    const mac = body.subarray(body.length - 8);
    const expected = truncated(s.mac, cat(Uint8Array.of(cmd), u16(s.ctr), s.ti, header, enc));
    if (Buffer.compare(Buffer.from(expected), Buffer.from(mac)) !== 0 || enc.length % 16 !== 0) {
      session = null;
      return null;
    }
    const padded = aesCbc('decrypt', s.enc, enc, iv(s, [0xa5, 0x5a], s.ctr));
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    if (padded[end] !== 0x80) {
      session = null;
      return null;
    }
    return { header, plain: padded.subarray(0, end) };
  }

  /** 91 00 with the response MAC over RC‖CmdCtr+1‖TI; the counter moves on. */
  function okMac(): Uint8Array {
    const s = session as Session;
    s.ctr += 1;
    return cat(truncated(s.mac, cat(Uint8Array.of(0x00), u16(s.ctr), s.ti)), sw(0x91, 0x00));
  }

  function isoSelect(p1: number, data: Uint8Array): Uint8Array {
    if (p1 === 0x04) {
      if (bytesToHex(data) !== NDEF_AID) return sw(0x6a, 0x82);
      appSelected = true;
      selected = null;
      session = null;
      return SW_OK;
    }
    if (p1 === 0x00 && data.length === 2 && appSelected) {
      const id = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
      const f = files.find((x) => x.id === id);
      if (!f) return sw(0x6a, 0x82);
      selected = f;
      return SW_OK;
    }
    return sw(0x6a, 0x82);
  }

  function readBinary(p1: number, p2: number, le: number): Uint8Array {
    const f = selected;
    if (!f) return sw(0x69, 0x86);
    if (!free(f.read) && !free(f.readWrite)) return sw(0x69, 0x82);
    const offset = ((p1 & 0x7f) << 8) | p2;
    const content = mirror(f);
    if (offset > content.length) return sw(0x6b, 0x00);
    const n = Math.min(le === 0 ? 256 : le, content.length - offset);
    return cat(content.subarray(offset, offset + n), SW_OK);
  }

  function updateBinary(p1: number, p2: number, data: Uint8Array): Uint8Array {
    const f = selected;
    if (!f) return sw(0x69, 0x86);
    if (!free(f.write) && !free(f.readWrite)) return sw(0x69, 0x82);
    const offset = ((p1 & 0x7f) << 8) | p2;
    if (offset + data.length > f.data.length) return sw(0x67, 0x00);
    f.data.set(data, offset);
    mirrored = null;
    return SW_OK;
  }

  function authFirst(data: Uint8Array): Uint8Array {
    const keyNo = data[0] ?? 0xff;
    session = null;
    if (!appSelected) return sw(0x91, 0xca);
    if (keyNo > 4) return sw(0x91, 0x40);
    const rndB = random(16);
    pending = { keyNo, rndB };
    return cat(aesCbc('encrypt', keys[keyNo] as Uint8Array, rndB), sw(0x91, 0xaf));
  }

  function authSecond(data: Uint8Array): Uint8Array {
    const p = pending;
    pending = null;
    if (!p || data.length !== 32) return sw(0x91, 0xae);
    const key = keys[p.keyNo] as Uint8Array;
    const plain = aesCbc('decrypt', key, data);
    const rndA = plain.slice(0, 16);
    const rndBRot = plain.subarray(16, 32);
    const expected = cat(p.rndB.subarray(1), p.rndB.subarray(0, 1));
    if (Buffer.compare(Buffer.from(expected), Buffer.from(rndBRot)) !== 0) return sw(0x91, 0xae);
    const ti = random(4);
    const mixed = Uint8Array.from({ length: 6 }, (_, i) => (rndA[2 + i] ?? 0) ^ (p.rndB[i] ?? 0));
    const context = cat(rndA.subarray(0, 2), mixed, p.rndB.subarray(6, 16), rndA.subarray(8, 16));
    session = {
      keyNo: p.keyNo,
      ti,
      enc: aesCmac(key, cat(Uint8Array.of(0xa5, 0x5a, 0x00, 0x01, 0x00, 0x80), context)),
      mac: aesCmac(key, cat(Uint8Array.of(0x5a, 0xa5, 0x00, 0x01, 0x00, 0x80), context)),
      ctr: 0,
    };
    const answer = cat(ti, rndA.subarray(1), rndA.subarray(0, 1), new Uint8Array(12));
    return cat(aesCbc('encrypt', key, answer), sw(0x91, 0x00));
  }

  function changeFileSettings(body: Uint8Array): Uint8Array {
    const f = files.find((x) => x.fileNo === body[0]);
    if (!f) return sw(0x91, 0xf0);
    if (!session || (f.change !== 0xe && session.keyNo !== f.change)) return sw(0x91, 0x9d);
    const opened = openFull(0x5f, 1, body);
    if (!opened) return sw(0x91, 0x1e);
    const d = opened.plain;
    if (d.length < 3) return sw(0x91, 0x7e);
    const option = d[0] ?? 0;
    const ar1 = d[1] ?? 0;
    const ar2 = d[2] ?? 0;
    let sdm: FileState['sdm'] = null;
    if (option & 0x40) {
      if (f.fileNo !== 2 || d.length < 6) return sw(0x91, 0x9e);
      const options = d[3] ?? 0;
      const ctrRet = (d[4] ?? 0) & 0x0f;
      const metaRead = (d[5] ?? 0) >> 4;
      const fileRead = (d[5] ?? 0) & 0x0f;
      let at = 6;
      const take = () => {
        const v = u24(d, at);
        at += 3;
        return v;
      };
      // Only what a Bolt card and AN12196's example use: PICC data encrypted with a key, MAC on.
      if (metaRead > 4 || fileRead > 4 || (options & 0xc1) !== 0xc1) return sw(0x91, 0x9e);
      const piccOffset = take();
      const macInputOffset = take();
      const macOffset = take();
      if (
        at !== d.length ||
        macInputOffset > macOffset ||
        macOffset + 16 > f.data.length ||
        piccOffset + 32 > f.data.length
      )
        return sw(0x91, 0x9e);
      sdm = { options, metaRead, fileRead, ctrRet, piccOffset, macInputOffset, macOffset };
    } else if (d.length !== 3) return sw(0x91, 0x7e);
    f.readWrite = ar1 >> 4;
    f.change = ar1 & 0x0f;
    f.read = ar2 >> 4;
    f.write = ar2 & 0x0f;
    f.sdm = sdm;
    mirrored = null;
    return okMac();
  }

  function changeKey(body: Uint8Array): Uint8Array {
    if (!session || session.keyNo !== 0) return sw(0x91, 0x9d);
    const keyNo = body[0] ?? 0xff;
    if (keyNo > 4) return sw(0x91, 0x40);
    const opened = openFull(0xc4, 1, body);
    if (!opened) return sw(0x91, 0x1e);
    const d = opened.plain;
    if (keyNo === session.keyNo) {
      if (d.length !== 17) return sw(0x91, 0x7e);
      keys[keyNo] = d.slice(0, 16);
      versions[keyNo] = d[16] ?? 0;
      // The session key is gone: the session ends, and the answer carries no MAC.
      session = null;
      return sw(0x91, 0x00);
    }
    if (d.length !== 21) return sw(0x91, 0x7e);
    const next = Uint8Array.from(
      { length: 16 },
      (_, i) => (d[i] ?? 0) ^ ((keys[keyNo] as Uint8Array)[i] ?? 0),
    );
    let crc = 0xffffffff;
    for (const byte of next) {
      crc ^= byte;
      for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
    crc >>>= 0;
    if (u24(d, 17) + (d[20] ?? 0) * 0x1000000 !== crc) return sw(0x91, 0x1e);
    keys[keyNo] = next;
    versions[keyNo] = d[16] ?? 0;
    return okMac();
  }

  return {
    uid,
    get readCounter() {
      return readCounter;
    },
    key: (n) => (keys[n] as Uint8Array).slice(),
    activate() {
      appSelected = false;
      selected = null;
      session = null;
      pending = null;
      mirrored = null;
    },
    process(apdu) {
      const [cla, ins, p1 = 0, p2 = 0] = apdu;
      const lc = apdu.length > 5 ? (apdu[4] ?? 0) : 0;
      const data = apdu.subarray(5, 5 + lc);
      if (cla === 0x00) {
        if (ins === 0xa4) return isoSelect(p1, data);
        if (ins === 0xb0) return readBinary(p1, p2, apdu.length === 5 ? (apdu[4] ?? 0) : 0);
        if (ins === 0xd6) return updateBinary(p1, p2, data);
        return sw(0x6d, 0x00);
      }
      if (cla === 0x90) {
        if (ins !== 0xaf) pending = ins === 0x71 ? pending : null;
        if (ins === 0x71) return authFirst(data);
        if (ins === 0xaf) return authSecond(data);
        if (ins === 0x5f) return changeFileSettings(data);
        if (ins === 0xc4) return changeKey(data);
        return sw(0x91, 0x1c);
      }
      return sw(0x6e, 0x00);
    },
  };
}

/**
 * A copy of one Bolt card tap on a plain tag: what a skimmer or a cloned sticker answers. It
 * reads like a Bolt card but always gives the same `p` and `c`, so the server must refuse it.
 */
export function createReplayTag(uri: string): SimulatedCard {
  const uriBytes = new TextEncoder().encode(uri);
  const message = cat(Uint8Array.of(0xd1, 0x01, uriBytes.length + 1, 0x55, 0x00), uriBytes);
  const file = cat(Uint8Array.of(message.length >> 8, message.length & 0xff), message);
  let appSelected = false;
  let fileSelected = false;
  return {
    uid: Uint8Array.of(0x04, ...crypto.randomBytes(6)),
    readCounter: 0,
    key: () => new Uint8Array(16),
    activate() {
      appSelected = false;
      fileSelected = false;
    },
    process(apdu) {
      const [cla, ins, p1 = 0, p2 = 0] = apdu;
      const lc = apdu[4] ?? 0;
      if (cla === 0x00 && ins === 0xa4) {
        const data = apdu.subarray(5, 5 + lc);
        if (p1 === 0x04) appSelected = bytesToHex(data) === NDEF_AID;
        else fileSelected = appSelected && bytesToHex(data) === 'e104';
        return appSelected ? SW_OK : sw(0x6a, 0x82);
      }
      if (cla === 0x00 && ins === 0xb0 && fileSelected) {
        const offset = ((p1 & 0x7f) << 8) | p2;
        return cat(file.subarray(offset, offset + (lc === 0 ? 256 : lc)), SW_OK);
      }
      return sw(0x6d, 0x00);
    },
  };
}
