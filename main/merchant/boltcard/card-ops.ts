import crypto from 'node:crypto';
import { bytesToHex } from './ntag424-crypto';
import type { BoltcardKeys } from './ntag424-crypto';
import { boltcardNdef, ndefUri } from './ndef';
import type { Ev2Session } from './ntag424-ev2';
import {
  authFirstCommand,
  authSecondCommand,
  changeKeyCommand,
  checkResponse,
  concatBytes,
  finishAuth,
  fullCommand,
  Ntag424Error,
  splitResponse,
  statusText,
  u24le,
} from './ntag424-ev2';

/** One card on one reader: send an APDU, get the answer with its status word. */
export interface CardChannel {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

const NDEF_APP = Uint8Array.of(0xd2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01);
const NDEF_FILE_ID = Uint8Array.of(0xe1, 0x04);
const NDEF_FILE_NO = 0x02;
const ZERO_KEY = new Uint8Array(16);
/** What a blank NTAG 424 DNA's NDEF file allows: read, write and read-write free, change with key 0. */
const FACTORY_ACCESS = Uint8Array.of(0xe0, 0xee);
/** A programmed Bolt card: read free, write and read-write with key 0, change with key 0. */
const CARD_ACCESS = Uint8Array.of(0x00, 0xe0);

async function plain(card: CardChannel, apdu: Uint8Array, what: string): Promise<Uint8Array> {
  const { data, sw } = splitResponse(await card.transmit(apdu));
  if (sw !== 0x9000 && sw !== 0x9100) throw new Ntag424Error(`${what}: ${statusText(sw)}`, sw);
  return data;
}

/** The card's UID, from the reader itself (PC/SC part 3 GET DATA). */
export async function readUid(card: CardChannel): Promise<Uint8Array> {
  const uid = await plain(card, Uint8Array.of(0xff, 0xca, 0x00, 0x00, 0x00), 'read the card UID');
  if (uid.length !== 7) throw new Ntag424Error(`a ${uid.length}-byte UID is not an NTAG 424 DNA`);
  return uid;
}

async function selectApplication(card: CardChannel): Promise<void> {
  await plain(
    card,
    concatBytes(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x07), NDEF_APP, Uint8Array.of(0x00)),
    'select the NDEF application',
  );
}

async function selectNdefFile(card: CardChannel): Promise<void> {
  await selectApplication(card);
  await plain(
    card,
    concatBytes(Uint8Array.of(0x00, 0xa4, 0x00, 0x0c, 0x02), NDEF_FILE_ID),
    'select the NDEF file',
  );
}

/**
 * Reads the card's URI the way a phone does (ISO SELECT, ISO READ BINARY). On a Bolt card this
 * read is what makes the card count up and mirror a fresh `p` and `c`.
 */
export async function readNdefUri(card: CardChannel): Promise<string | null> {
  await selectNdefFile(card);
  const head = await plain(card, Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x02), 'read the NDEF length');
  const length = ((head[0] ?? 0) << 8) | (head[1] ?? 0);
  if (length === 0) return null;
  if (length > 254) throw new Ntag424Error('the NDEF message is longer than a Bolt card writes');
  const message = await plain(card, Uint8Array.of(0x00, 0xb0, 0x00, 0x02, length), 'read the NDEF message');
  return ndefUri(message);
}

export async function authenticate(
  card: CardChannel,
  keyNo: number,
  key: Uint8Array,
  rndA: Uint8Array = new Uint8Array(crypto.randomBytes(16)),
): Promise<Ev2Session> {
  await selectApplication(card);
  const first = splitResponse(await card.transmit(authFirstCommand(keyNo)));
  if (first.sw !== 0x91af || first.data.length !== 16)
    throw new Ntag424Error(`authentication refused: ${statusText(first.sw)}`, first.sw);
  const { apdu, rndB } = authSecondCommand(key, first.data, rndA);
  const second = splitResponse(await card.transmit(apdu));
  if (second.sw !== 0x9100) throw new Ntag424Error(`wrong key: ${statusText(second.sw)}`, second.sw);
  return finishAuth(key, keyNo, rndA, rndB, second.data);
}

async function secured(card: CardChannel, s: Ev2Session, apdu: Uint8Array): Promise<Uint8Array> {
  return checkResponse(s, await card.transmit(apdu), false);
}

async function writeNdef(card: CardChannel, file: Uint8Array): Promise<void> {
  await selectNdefFile(card);
  for (let offset = 0; offset < file.length; offset += 128) {
    const chunk = file.subarray(offset, offset + 128);
    await plain(
      card,
      concatBytes(Uint8Array.of(0x00, 0xd6, offset >> 8, offset & 0xff, chunk.length), chunk),
      'write the NDEF file',
    );
  }
}

/**
 * Turns a blank (factory keys) NTAG 424 DNA into a Bolt card: the URL with placeholders, SUN
 * messages on (PICC data encrypted with key 1, MAC with key 2, counter mirrored), then keys 1–4
 * and key 0 last, since changing the key the session was opened with ends the session.
 */
export async function programBoltcard(
  card: CardChannel,
  lnurlw: string,
  keys: BoltcardKeys,
  version: number,
): Promise<void> {
  const ndef = boltcardNdef(lnurlw);
  await writeNdef(card, ndef.file);
  const s = await authenticate(card, 0, ZERO_KEY);
  const settings = concatBytes(
    Uint8Array.of(0x40),
    CARD_ACCESS,
    // UID and read counter mirrored, ASCII; counter not retrievable, meta read key 1, file read key 2.
    Uint8Array.of(0xc1, 0xff, 0x12),
    u24le(ndef.piccOffset),
    u24le(ndef.macOffset),
    u24le(ndef.macOffset),
  );
  await secured(card, s, fullCommand(s, 0x5f, Uint8Array.of(NDEF_FILE_NO), settings));
  const next = [keys.k1, keys.k2, keys.k3, keys.k4];
  for (let i = 0; i < next.length; i++)
    await secured(card, s, changeKeyCommand(s, i + 1, next[i] as Uint8Array, version, ZERO_KEY));
  await changeOwnKey(card, s, keys.k0, version);
}

/** Changing the key that opened the session ends it: the card answers a bare 91 00, no MAC. */
async function changeOwnKey(
  card: CardChannel,
  s: Ev2Session,
  key: Uint8Array,
  version: number,
): Promise<void> {
  const { data, sw } = splitResponse(await card.transmit(changeKeyCommand(s, s.keyNo, key, version)));
  if (sw !== 0x9100) throw new Ntag424Error(`change key ${s.keyNo}: ${statusText(sw)}`, sw);
  if (data.length !== 0) throw new Ntag424Error('unexpected data after changing the session key');
}

/**
 * Back to a blank card: needs the card's keys (from BTCPay). SUN off with the factory access
 * rights, an empty NDEF message, then every key back to zero, key 0 last.
 */
export async function wipeBoltcard(card: CardChannel, keys: BoltcardKeys): Promise<void> {
  const s = await authenticate(card, 0, keys.k0);
  await secured(
    card,
    s,
    fullCommand(s, 0x5f, Uint8Array.of(NDEF_FILE_NO), concatBytes(Uint8Array.of(0x00), FACTORY_ACCESS)),
  );
  const old = [keys.k1, keys.k2, keys.k3, keys.k4];
  for (let i = 0; i < old.length; i++)
    await secured(card, s, changeKeyCommand(s, i + 1, ZERO_KEY, 0, old[i]));
  await changeOwnKey(card, s, ZERO_KEY, 0);
  await writeNdef(card, Uint8Array.of(0x00, 0x00));
}

/**
 * Moves a Bolt card from one key set to another: a top-up moves the card to a new pull payment,
 * and BTCPay derives a card's keys from its pull payment. Safe to run again on a card left in any
 * mix of the two sets (lifted from the reader half-way, or moved back): the session opens with
 * whichever key 0 the card has, a slot that refuses the change from its old key (integrity error:
 * the card checks the new key's CRC) already holds the new one, and key 0 changes last and only
 * if needed. A refused command may end the session on a real card: it is opened again.
 */
export async function rekeyBoltcard(
  card: CardChannel,
  from: BoltcardKeys,
  to: BoltcardKeys,
  version: number,
): Promise<void> {
  let k0 = from.k0;
  let s: Ev2Session;
  try {
    s = await authenticate(card, 0, k0);
  } catch (err) {
    if (!(err instanceof Ntag424Error) || err.status !== 0x91ae) throw err;
    k0 = to.k0;
    s = await authenticate(card, 0, k0);
  }
  const olds = [from.k1, from.k2, from.k3, from.k4];
  const news = [to.k1, to.k2, to.k3, to.k4];
  for (let i = 0; i < news.length; i++) {
    try {
      await secured(card, s, changeKeyCommand(s, i + 1, news[i] as Uint8Array, version, olds[i]));
    } catch (err) {
      if (!(err instanceof Ntag424Error) || err.status !== 0x911e) throw err;
      s = await authenticate(card, 0, k0);
    }
  }
  if (k0 !== to.k0) await changeOwnKey(card, s, to.k0, version);
}

/** Whether the card still has its factory key 0 (a blank card we may program). */
export async function isBlank(card: CardChannel): Promise<boolean> {
  try {
    await authenticate(card, 0, ZERO_KEY);
    return true;
  } catch (err) {
    if (err instanceof Ntag424Error && err.status === 0x91ae) return false;
    throw err;
  }
}

export const uidHex = (uid: Uint8Array): string => bytesToHex(uid);
