import { HDKey } from '@scure/bip32';
import type * as BcUr from '@ngraveio/bc-ur';
import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { lazyRequire } from '../../core/lazy-require';
import { formatPath, HARDENED, parsePath } from '../accounts/paths';
import { bip32Versions } from '../accounts/extended-keys';
import { keyNetworkOf } from '../accounts/types';
import { parseCosignerKey, requireFingerprint } from './keys';
import type { CosignerKey, MultisigScript } from './types';

const bcUr = lazyRequire<typeof BcUr>('@ngraveio/bc-ur');

const bad = (message: string, reason: string) =>
  new FlashError('MULTISIG_FORMAT_UNKNOWN', message, { reason });

/** A CBOR value as the UR registry types use it (RFC 8949 subset: no floats, no indefinite lengths). */
type Cbor =
  | number
  | bigint
  | boolean
  | null
  | string
  | Uint8Array
  | Cbor[]
  | Map<number, Cbor>
  | { tag: number; value: Cbor };

function decodeCbor(bytes: Uint8Array): Cbor {
  let pos = 0;
  const byte = (): number => {
    if (pos >= bytes.length) throw bad('The QR’s data ends too early.', 'cbor_short');
    return bytes[pos++] as number;
  };
  const length = (info: number): number => {
    if (info < 24) return info;
    const n = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 0;
    if (n === 0) throw bad('The QR’s data uses a CBOR form Flash does not read.', 'cbor_form');
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + byte();
    return v;
  };
  const item = (depth: number): Cbor => {
    if (depth > 16) throw bad('The QR’s data is nested too deeply.', 'cbor_depth');
    const head = byte();
    const major = head >> 5;
    const info = head & 0x1f;
    switch (major) {
      case 0:
        return length(info);
      case 1:
        return -1 - length(info);
      case 2: {
        const n = length(info);
        if (pos + n > bytes.length) throw bad('The QR’s data ends too early.', 'cbor_short');
        pos += n;
        return bytes.slice(pos - n, pos);
      }
      case 3: {
        const n = length(info);
        if (pos + n > bytes.length) throw bad('The QR’s data ends too early.', 'cbor_short');
        pos += n;
        return new TextDecoder().decode(bytes.slice(pos - n, pos));
      }
      case 4:
        return Array.from({ length: length(info) }, () => item(depth + 1));
      case 5: {
        const map = new Map<number, Cbor>();
        const n = length(info);
        for (let i = 0; i < n; i++) {
          const key = item(depth + 1);
          if (typeof key !== 'number')
            throw bad('The QR’s data has a map key Flash does not read.', 'cbor_key');
          map.set(key, item(depth + 1));
        }
        return map;
      }
      case 6:
        return { tag: length(info), value: item(depth + 1) };
      default:
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        throw bad('The QR’s data uses a CBOR form Flash does not read.', 'cbor_form');
    }
  };
  const value = item(0);
  if (pos !== bytes.length) throw bad('The QR’s data has bytes after its end.', 'cbor_trailing');
  return value;
}

const TAG_HDKEY = 303;
const TAG_KEYPATH = 304;
const TAG_ACCOUNT = 311;
const TAG_SH = 400;
const TAG_WSH = 401;
const TAG_TR = 409;

const untag = (v: Cbor, tag: number): Cbor | null =>
  typeof v === 'object' &&
  v !== null &&
  !(v instanceof Uint8Array) &&
  !Array.isArray(v) &&
  !(v instanceof Map) &&
  v.tag === tag
    ? v.value
    : null;
const asMap = (v: Cbor | null | undefined): Map<number, Cbor> | null => (v instanceof Map ? v : null);

/** BCR-2020-007 crypto-hdkey (an account key with its origin) -> the cosigner key it names. */
function hdkeyToCosigner(value: Cbor, masterFingerprint: number | null, network: Network): CosignerKey {
  const m = asMap(value);
  const key = m?.get(3);
  const chainCode = m?.get(4);
  if (
    !m ||
    !(key instanceof Uint8Array) ||
    key.length !== 33 ||
    !(chainCode instanceof Uint8Array) ||
    chainCode.length !== 32
  ) {
    throw bad('This crypto-hdkey has no public key and chain code.', 'hdkey_shape');
  }
  if (m.get(2) === true) {
    throw new FlashError(
      'XPUB_IS_PRIVATE',
      'This QR holds a private key. Export the public key (xpub) only.',
      {
        prefix: 'private',
      },
    );
  }
  const origin = asMap(untag(m.get(6) ?? null, TAG_KEYPATH));
  const components = origin?.get(1);
  if (!origin || !Array.isArray(components) || components.length % 2 !== 0) {
    throw bad('This key has no origin (fingerprint and path): a signer could not find it.', 'no_origin');
  }
  const path: number[] = [];
  for (let i = 0; i < components.length; i += 2) {
    const index = components[i];
    const hardened = components[i + 1];
    if (typeof index !== 'number' || typeof hardened !== 'boolean')
      throw bad('This key’s path is not fixed.', 'path');
    path.push(hardened ? index + HARDENED : index);
  }
  const source = origin.get(2) ?? masterFingerprint;
  if (typeof source !== 'number') throw bad('This key’s origin has no master fingerprint.', 'no_fingerprint');
  const parent = m.get(8);
  const useInfo = asMap(untag(m.get(5) ?? null, 305));
  const keyNetwork = useInfo?.get(2) === 1 ? 'test' : useInfo ? 'mainnet' : keyNetworkOf(network);
  const hd = new HDKey({
    versions: bip32Versions(keyNetwork),
    publicKey: key,
    chainCode,
    depth: path.length,
    index: path[path.length - 1] ?? 0,
    parentFingerprint: typeof parent === 'number' ? parent : 0,
  });
  return {
    fingerprint: requireFingerprint(source.toString(16).padStart(8, '0')),
    path: formatPath(path, "'"),
    xpub: parseCosignerKey(hd.publicExtendedKey, network).xpub,
  };
}

/** The output descriptor of a crypto-account for this multisig script: wsh, sh(wsh) or tr around the key. */
function accountKeyFor(value: Cbor, script: MultisigScript): Cbor {
  const m = asMap(value);
  const outputs = m?.get(2);
  if (!Array.isArray(outputs)) throw bad('This crypto-account lists no keys.', 'account_shape');
  for (const out of outputs) {
    const inner =
      script === 'wsh'
        ? untag(out, TAG_WSH)
        : script === 'sh-wsh'
          ? untag(untag(out, TAG_SH) ?? null, TAG_WSH)
          : untag(out, TAG_TR);
    const key = inner !== null ? untag(inner, TAG_HDKEY) : null;
    // BIP48 keys sit at depth 4; single-key accounts (wpkh, tr at 86') are other entries.
    const origin = asMap(untag(asMap(key)?.get(6) ?? null, TAG_KEYPATH));
    const comps = origin?.get(1);
    if (key !== null && Array.isArray(comps) && comps[0] === 48) return key;
  }
  throw bad(
    `This crypto-account has no BIP48 key for ${script === 'tr' ? 'Taproot' : script === 'wsh' ? 'P2WSH' : 'P2SH-P2WSH'} multisig.`,
    'no_bip48_key',
  );
}

/** A UR (`ur:crypto-hdkey/…`, `ur:crypto-account/…`, or the registry's newer `hdkey`/`account`) -> cosigner key. */
export function cosignerFromUr(text: string, script: MultisigScript, network: Network): CosignerKey {
  const decoder = new (bcUr().URDecoder)();
  const parts = text.split(/\s+/).filter((p) => p !== '');
  try {
    for (const p of parts) decoder.receivePart(p);
  } catch {
    throw bad('This QR text is damaged: scan it again.', 'ur_damaged');
  }
  if (!decoder.isSuccess()) throw bad('The animated QR is not complete: keep scanning.', 'ur_incomplete');
  const ur = decoder.resultUR();
  const cbor = decodeCbor(Uint8Array.from(ur.cbor));
  const type = ur.type.toLowerCase();
  if (type === 'crypto-hdkey' || type === 'hdkey') return hdkeyToCosigner(cbor, null, network);
  if (type === 'crypto-account' || type === 'account') {
    const body = untag(cbor, TAG_ACCOUNT) ?? cbor;
    const master = asMap(body)?.get(1);
    return hdkeyToCosigner(accountKeyFor(body, script), typeof master === 'number' ? master : null, network);
  }
  throw bad(
    `This QR holds a ur:${type.slice(0, 30)}; a cosigner is a crypto-account or crypto-hdkey.`,
    'ur_type',
  );
}

/** Coldcard's and Passport's multisig key export: `{"xfp": …, "p2wsh": …, "p2wsh_deriv": …}`. */
function cosignerFromJson(
  json: Record<string, unknown>,
  script: MultisigScript,
  network: Network,
): CosignerKey {
  const field = script === 'wsh' ? 'p2wsh' : script === 'sh-wsh' ? 'p2sh_p2wsh' : null;
  const xpub = field ? json[field] : undefined;
  const deriv = field ? json[`${field}_deriv`] : undefined;
  const xfp = json.xfp;
  if (!field || typeof xpub !== 'string' || typeof deriv !== 'string' || typeof xfp !== 'string') {
    throw bad('This file holds no multisig key for this address type.', 'json_key');
  }
  return {
    fingerprint: requireFingerprint(xfp),
    path: formatPath(parsePath(deriv, 'derivation', 'MULTISIG_FORMAT_UNKNOWN'), "'"),
    xpub: parseCosignerKey(xpub, network).xpub,
  };
}

/**
 * A cosigner's key from whatever an air-gapped signer gives: a scanned UR (crypto-account or
 * crypto-hdkey), Coldcard's/Passport's multisig export JSON, or `[fingerprint/path]xpub` text.
 */
export function readCosigner(text: string, script: MultisigScript, network: Network): CosignerKey {
  const t = text.trim();
  if (/^ur:/i.test(t)) return cosignerFromUr(t, script, network);
  if (t.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(t);
    } catch {
      throw bad('This looks like JSON but does not parse.', 'json_parse');
    }
    if (typeof json !== 'object' || json === null) throw bad('This JSON is not a key export.', 'json_shape');
    return cosignerFromJson(json as Record<string, unknown>, script, network);
  }
  const m =
    /^\[([0-9a-fA-F]{8})((?:\/\d+['hH]?)*)\]([1-9A-HJ-NP-Za-km-z]+)(?:\/<0;1>\/\*|\/\*\*|\/0\/\*)?$/.exec(t);
  if (!m) {
    throw bad(
      'Paste the key as [fingerprint/path]xpub, load the signer’s export file, or scan its QR.',
      'key_text',
    );
  }
  return {
    fingerprint: requireFingerprint(m[1] ?? ''),
    path: formatPath(parsePath(`m${m[2] ?? ''}`, 'cosigner path', 'BAD_INPUT'), "'"),
    xpub: parseCosignerKey(m[3] ?? '', network).xpub,
  };
}
