import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

/**
 * Macaroons as LND bakes them: libmacaroons' v2 binary format (version byte 2, fields as
 * type + varint length + data, end-of-section zero bytes, a 32-byte HMAC-SHA256 signature chain
 * keyed by HMAC("macaroons-key-generator", root key)), with LND's identifier (a version byte 3,
 * then the MacaroonId protobuf: nonce, storage id, and ops of entity + actions). The stand-in
 * mints admin, invoice and readonly macaroons like LND's and verifies the chain on each request.
 */

export interface MacaroonOp {
  entity: string;
  actions: string[];
}

const FIELD_LOCATION = 1;
const FIELD_IDENTIFIER = 2;
const FIELD_VID = 4;
const FIELD_SIGNATURE = 6;

const ENTITIES = [
  'onchain',
  'offchain',
  'address',
  'message',
  'peers',
  'info',
  'invoices',
  'signer',
  'macaroon',
];

/** The permission sets of LND's admin.macaroon, invoice.macaroon and readonly.macaroon. */
export const MACAROON_PERMISSIONS: Record<'admin' | 'invoice' | 'readonly', MacaroonOp[]> = {
  admin: ENTITIES.map((entity) => ({
    entity,
    actions: entity === 'macaroon' ? ['generate', 'read', 'write'] : ['read', 'write'],
  })),
  invoice: [
    { entity: 'invoices', actions: ['read', 'write'] },
    { entity: 'address', actions: ['read', 'write'] },
    { entity: 'onchain', actions: ['read'] },
  ],
  readonly: ENTITIES.map((entity) => ({ entity, actions: ['read'] })),
};

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

function field(type: number, data: Uint8Array): number[] {
  return [type, ...varint(data.length), ...data];
}

function protoBytes(fieldNo: number, data: Uint8Array): number[] {
  return [(fieldNo << 3) | 2, ...varint(data.length), ...data];
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function macaroonId(ops: MacaroonOp[]): Uint8Array {
  const body: number[] = [...protoBytes(1, randomBytes(32)), ...protoBytes(2, utf8('0'))];
  for (const op of ops) {
    const inner = [...protoBytes(1, utf8(op.entity)), ...op.actions.flatMap((a) => protoBytes(2, utf8(a)))];
    body.push(...protoBytes(3, Uint8Array.from(inner)));
  }
  return Uint8Array.from([3, ...body]);
}

function derivedKey(rootKey: Uint8Array): Uint8Array {
  return hmac(sha256, utf8('macaroons-key-generator'), rootKey);
}

/** Bakes a macaroon for these permissions (plus first-party caveats), as hex like LND writes it. */
export function bakeMacaroon(rootKey: Uint8Array, ops: MacaroonOp[], caveats: string[] = []): string {
  const id = macaroonId(ops);
  let sig = hmac(sha256, derivedKey(rootKey), id);
  for (const c of caveats) sig = hmac(sha256, sig, utf8(c));
  const bytes: number[] = [2, ...field(FIELD_LOCATION, utf8('lnd')), ...field(FIELD_IDENTIFIER, id), 0];
  for (const c of caveats) bytes.push(...field(FIELD_IDENTIFIER, utf8(c)), 0);
  bytes.push(0, ...field(FIELD_SIGNATURE, sig));
  return Buffer.from(bytes).toString('hex');
}

export interface VerifiedMacaroon {
  ops: MacaroonOp[];
  caveats: string[];
}

/** Reads and checks a macaroon; returns null for anything malformed or not signed by rootKey. */
export function verifyMacaroon(rootKey: Uint8Array, bytes: Uint8Array): VerifiedMacaroon | null {
  try {
    let pos = 0;
    const next = (): { type: number; data: Uint8Array } | null => {
      const type = bytes[pos++];
      if (type === undefined) throw new Error('truncated');
      if (type === 0) return null;
      let len = 0;
      let shift = 0;
      for (;;) {
        const b = bytes[pos++];
        if (b === undefined) throw new Error('truncated');
        len |= (b & 0x7f) << shift;
        if (b < 0x80) break;
        shift += 7;
      }
      const data = bytes.subarray(pos, pos + len);
      if (data.length !== len) throw new Error('truncated');
      pos += len;
      return { type, data };
    };
    if (bytes[pos++] !== 2) return null;
    let id: Uint8Array | null = null;
    for (let f = next(); f; f = next()) if (f.type === FIELD_IDENTIFIER) id = f.data;
    if (!id) return null;
    const caveats: string[] = [];
    for (;;) {
      const first = next();
      if (!first) break;
      let cid: Uint8Array | null = first.type === FIELD_IDENTIFIER ? first.data : null;
      let thirdParty = first.type === FIELD_VID;
      for (let f = next(); f; f = next()) {
        if (f.type === FIELD_IDENTIFIER) cid = f.data;
        if (f.type === FIELD_VID) thirdParty = true;
      }
      if (!cid || thirdParty) return null;
      caveats.push(new TextDecoder().decode(cid));
    }
    const sigField = next();
    if (!sigField || sigField.type !== FIELD_SIGNATURE || sigField.data.length !== 32) return null;
    let sig = hmac(sha256, derivedKey(rootKey), id);
    for (const c of caveats) sig = hmac(sha256, sig, utf8(c));
    if (!timingSafeEqual(Buffer.from(sig), Buffer.from(sigField.data))) return null;
    return { ops: readOps(id), caveats };
  } catch {
    return null;
  }
}

function readOps(id: Uint8Array): MacaroonOp[] {
  if (id[0] !== 3) return [];
  const ops: MacaroonOp[] = [];
  const walk = (buf: Uint8Array, onField: (no: number, data: Uint8Array) => void) => {
    let p = 0;
    while (p < buf.length) {
      const tag = buf[p++] ?? 0;
      let len = 0;
      let shift = 0;
      for (;;) {
        const b = buf[p++] ?? 0;
        len |= (b & 0x7f) << shift;
        if (b < 0x80) break;
        shift += 7;
      }
      onField(tag >> 3, buf.subarray(p, p + len));
      p += len;
    }
  };
  walk(id.subarray(1), (no, data) => {
    if (no !== 3) return;
    const op: MacaroonOp = { entity: '', actions: [] };
    walk(data, (n, d) => {
      if (n === 1) op.entity = new TextDecoder().decode(d);
      if (n === 2) op.actions.push(new TextDecoder().decode(d));
    });
    ops.push(op);
  });
  return ops;
}

export function allows(m: VerifiedMacaroon, entity: string, action: string): boolean {
  return m.ops.some((op) => op.entity === entity && op.actions.includes(action));
}
