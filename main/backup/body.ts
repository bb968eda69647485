import { FlashError } from '../../shared/errors';
import { BackupManifest } from '../../shared/contract/backup';

/**
 * What the sealed body holds, in order:
 *
 *   manifest length (u32 BE) | manifest JSON
 *   | secret count (u32 BE) | per secret: name length (u16 BE), name, value length (u32 BE), value
 *   | the SQLite snapshot (the rest)
 *
 * Secrets are binary, not JSON, so their plain bytes live only in buffers that can be zeroed.
 */

export interface PlainSecret {
  name: string;
  value: Uint8Array;
}

export interface BackupBody {
  manifest: BackupManifest;
  secrets: PlainSecret[];
  database: Uint8Array;
}

const MAX_MANIFEST_BYTES = 1024 * 1024;
const MAX_SECRETS = 100_000;
const MAX_NAME_BYTES = 1024;

export function encodeBody(body: BackupBody): Uint8Array {
  const enc = new TextEncoder();
  const manifest = enc.encode(JSON.stringify(body.manifest));
  const names = body.secrets.map((s) => enc.encode(s.name));
  let size = 4 + manifest.length + 4 + body.database.length;
  body.secrets.forEach((s, i) => (size += 2 + names[i]!.length + 4 + s.value.length));
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  view.setUint32(at, manifest.length);
  out.set(manifest, (at += 4));
  at += manifest.length;
  view.setUint32(at, body.secrets.length);
  at += 4;
  body.secrets.forEach((s, i) => {
    const name = names[i]!;
    view.setUint16(at, name.length);
    out.set(name, (at += 2));
    at += name.length;
    view.setUint32(at, s.value.length);
    out.set(s.value, (at += 4));
    at += s.value.length;
  });
  out.set(body.database, at);
  return out;
}

function damaged(message: string): FlashError {
  return new FlashError('BACKUP_DAMAGED', `The backup's contents are not readable: ${message}.`);
}

/** The body was authenticated already; these checks guard against a file this app did not write. */
export function decodeBody(plain: Uint8Array): BackupBody {
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > plain.length) throw damaged(`${what} runs past the end`);
  };
  need(4, 'the manifest');
  const manifestLength = view.getUint32(at);
  at += 4;
  if (manifestLength > MAX_MANIFEST_BYTES) throw damaged('the manifest is too large');
  need(manifestLength, 'the manifest');
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(plain.subarray(at, at + manifestLength)),
    );
  } catch {
    throw damaged('the manifest is not JSON');
  }
  const manifest = BackupManifest.safeParse(manifestJson);
  if (!manifest.success) throw damaged('the manifest has unexpected fields');
  at += manifestLength;
  need(4, 'the secrets');
  const count = view.getUint32(at);
  at += 4;
  if (count > MAX_SECRETS) throw damaged('too many secrets');
  const secrets: PlainSecret[] = [];
  const dec = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < count; i++) {
    need(2, 'a secret name');
    const nameLength = view.getUint16(at);
    at += 2;
    if (nameLength === 0 || nameLength > MAX_NAME_BYTES) throw damaged('a secret has a bad name');
    need(nameLength, 'a secret name');
    let name: string;
    try {
      name = dec.decode(plain.subarray(at, at + nameLength));
    } catch {
      throw damaged('a secret has a bad name');
    }
    at += nameLength;
    need(4, 'a secret');
    const valueLength = view.getUint32(at);
    at += 4;
    need(valueLength, 'a secret');
    secrets.push({ name, value: plain.slice(at, at + valueLength) });
    at += valueLength;
  }
  return { manifest: manifest.data, secrets, database: plain.subarray(at) };
}
