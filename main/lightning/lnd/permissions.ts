/**
 * What an LND macaroon allows, read from its identifier without asking the node: libmacaroons v2
 * binary (fields of type + varint length + data), LND's identifier (version byte 3, then the
 * MacaroonId protobuf whose field 3 repeats Op{entity, actions}). Flash offers paying only with
 * offchain:write, receiving only with invoices:write; anything it cannot read allows nothing.
 */

export type Permission = `${string}:${string}`;

function readVarint(buf: Uint8Array, at: number): { value: number; next: number } | null {
  let value = 0;
  let shift = 0;
  let p = at;
  for (let i = 0; i < 5; i++) {
    const b = buf[p++];
    if (b === undefined) return null;
    value |= (b & 0x7f) << shift;
    if (b < 0x80) return { value: value >>> 0, next: p };
    shift += 7;
  }
  return null;
}

/** The identifier field of a v2 binary macaroon, or null. */
function identifierOf(mac: Uint8Array): Uint8Array | null {
  if (mac[0] !== 2) return null;
  let p = 1;
  while (p < mac.length) {
    const type = mac[p++];
    if (type === 0 || type === undefined) return null;
    const len = readVarint(mac, p);
    if (!len) return null;
    const data = mac.subarray(len.next, len.next + len.value);
    if (data.length !== len.value) return null;
    if (type === 2) return data;
    p = len.next + len.value;
  }
  return null;
}

/** Length-delimited protobuf fields (wire type 2) of a message; other wire types end the walk. */
function fields(buf: Uint8Array): { no: number; data: Uint8Array }[] {
  const out: { no: number; data: Uint8Array }[] = [];
  let p = 0;
  while (p < buf.length) {
    const tag = readVarint(buf, p);
    if (!tag || (tag.value & 7) !== 2) break;
    const len = readVarint(buf, tag.next);
    if (!len) break;
    out.push({ no: tag.value >>> 3, data: buf.subarray(len.next, len.next + len.value) });
    p = len.next + len.value;
  }
  return out;
}

/** `entity:action` pairs the macaroon grants (empty for anything unreadable). */
export function macaroonPermissions(mac: Uint8Array): Set<Permission> {
  const out = new Set<Permission>();
  const id = identifierOf(mac);
  if (!id || id[0] !== 3) return out;
  const text = new TextDecoder();
  for (const op of fields(id.subarray(1)).filter((f) => f.no === 3)) {
    const parts = fields(op.data);
    const entity = text.decode(parts.find((f) => f.no === 1)?.data ?? new Uint8Array());
    for (const action of parts.filter((f) => f.no === 2)) out.add(`${entity}:${text.decode(action.data)}`);
  }
  return out;
}
