import { HDKey } from '@scure/bip32';
import { base58 } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { FlashError } from '../../../shared/errors';
import type { Network } from '../../../shared/contract';
import { keyNetworkOf, type AccountType, type KeyNetwork } from './types';

/**
 * SLIP-132 version bytes. The prefix of an extended key says which network it is for and, by
 * convention, which script type its addresses use (x = any/legacy or taproot, y = BIP49,
 * z = BIP84; t/u/v are their testnet twins; capital Y/Z/U/V are the multisig variants).
 */
export type KeyPrefix =
  'xpub' | 'ypub' | 'zpub' | 'Ypub' | 'Zpub' | 'tpub' | 'upub' | 'vpub' | 'Upub' | 'Vpub';

interface VersionInfo {
  prefix: KeyPrefix;
  network: KeyNetwork;
  /** The account type this prefix implies; `null` when the prefix does not say (xpub/tpub). */
  impliedType: AccountType | null;
  multisig: boolean;
  public: number;
  private: number;
  privatePrefix: string;
}

const VERSIONS: readonly VersionInfo[] = [
  {
    prefix: 'xpub',
    network: 'mainnet',
    impliedType: null,
    multisig: false,
    public: 0x0488b21e,
    private: 0x0488ade4,
    privatePrefix: 'xprv',
  },
  {
    prefix: 'ypub',
    network: 'mainnet',
    impliedType: 'bip49',
    multisig: false,
    public: 0x049d7cb2,
    private: 0x049d7878,
    privatePrefix: 'yprv',
  },
  {
    prefix: 'zpub',
    network: 'mainnet',
    impliedType: 'bip84',
    multisig: false,
    public: 0x04b24746,
    private: 0x04b2430c,
    privatePrefix: 'zprv',
  },
  {
    prefix: 'Ypub',
    network: 'mainnet',
    impliedType: null,
    multisig: true,
    public: 0x0295b43f,
    private: 0x0295b005,
    privatePrefix: 'Yprv',
  },
  {
    prefix: 'Zpub',
    network: 'mainnet',
    impliedType: null,
    multisig: true,
    public: 0x02aa7ed3,
    private: 0x02aa7a99,
    privatePrefix: 'Zprv',
  },
  {
    prefix: 'tpub',
    network: 'test',
    impliedType: null,
    multisig: false,
    public: 0x043587cf,
    private: 0x04358394,
    privatePrefix: 'tprv',
  },
  {
    prefix: 'upub',
    network: 'test',
    impliedType: 'bip49',
    multisig: false,
    public: 0x044a5262,
    private: 0x044a4e28,
    privatePrefix: 'uprv',
  },
  {
    prefix: 'vpub',
    network: 'test',
    impliedType: 'bip84',
    multisig: false,
    public: 0x045f1cf6,
    private: 0x045f18bc,
    privatePrefix: 'vprv',
  },
  {
    prefix: 'Upub',
    network: 'test',
    impliedType: null,
    multisig: true,
    public: 0x024289ef,
    private: 0x024285b5,
    privatePrefix: 'Uprv',
  },
  {
    prefix: 'Vpub',
    network: 'test',
    impliedType: null,
    multisig: true,
    public: 0x02575483,
    private: 0x02575048,
    privatePrefix: 'Vprv',
  },
];

const PLAIN_VERSIONS: Readonly<Record<KeyNetwork, { public: number; private: number }>> = {
  mainnet: { public: 0x0488b21e, private: 0x0488ade4 },
  test: { public: 0x043587cf, private: 0x04358394 },
};

/** The BIP32 version bytes of the plain (xpub/tpub) keys, as @scure/bip32 wants them. */
export function bip32Versions(network: KeyNetwork): { public: number; private: number } {
  return PLAIN_VERSIONS[network];
}

/** The SLIP-132 prefix a UI shows for an account type (Taproot has none of its own: xpub/tpub). */
export function prefixFor(type: AccountType, network: KeyNetwork): KeyPrefix {
  const main = network === 'mainnet';
  switch (type) {
    case 'bip49':
      return main ? 'ypub' : 'upub';
    case 'bip84':
      return main ? 'zpub' : 'vpub';
    default:
      return main ? 'xpub' : 'tpub';
  }
}

export interface ParsedExtendedKey {
  /** How the key was written: the prefix of the input. */
  prefix: KeyPrefix;
  network: KeyNetwork;
  impliedType: AccountType | null;
  depth: number;
  /** Parent fingerprint, 8 hex digits. */
  parentFingerprint: string;
  /** Child number of this key (>= 2^31 means hardened). */
  childNumber: number;
  chainCode: Uint8Array;
  publicKey: Uint8Array;
  /** The same key with plain BIP32 version bytes (xpub/tpub): what descriptors carry. */
  xpub: string;
  /** Ready to derive children from (public only). */
  hdkey: HDKey;
}

const EXTENDED_KEY_BYTES = 78;

function readU32(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] ?? 0) << 24) |
      ((bytes[offset + 1] ?? 0) << 16) |
      ((bytes[offset + 2] ?? 0) << 8) |
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 24) & 0xff;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

function checksum(payload: Uint8Array): Uint8Array {
  return sha256(sha256(payload)).subarray(0, 4);
}

function encodeCheck(payload: Uint8Array): string {
  const out = new Uint8Array(payload.length + 4);
  out.set(payload);
  out.set(checksum(payload), payload.length);
  return base58.encode(out);
}

/** Shortens a key for error messages: enough to recognise it, never the whole thing. */
function preview(text: string): string {
  return text.length > 16 ? `${text.slice(0, 8)}…${text.slice(-4)}` : text;
}

function invalid(message: string, reason: string, input: string): FlashError {
  return new FlashError('XPUB_INVALID', message, { reason, key: preview(input) });
}

/**
 * Decodes base58check and checks the 4-byte checksum, with a precise error for each failure.
 * Returns the payload without its checksum.
 */
function decodeBase58Check(input: string): Uint8Array {
  const bad = [...input].findIndex(
    (ch) => !'123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'.includes(ch),
  );
  if (bad >= 0) {
    throw new FlashError(
      'XPUB_INVALID',
      `Character ${bad + 1} ("${input[bad]}") cannot appear in an extended public key. Check for a typo, a space or a missing character.`,
      { reason: 'bad_character', position: bad + 1, key: preview(input) },
    );
  }
  const raw = base58.decode(input);
  if (raw.length < 5) throw invalid('This is too short to be an extended public key.', 'too_short', input);
  const payload = raw.subarray(0, raw.length - 4);
  const given = raw.subarray(raw.length - 4);
  const expected = checksum(payload);
  if (!given.every((b, i) => b === expected[i])) {
    throw new FlashError(
      'XPUB_BAD_CHECKSUM',
      'This extended public key has a typo: its checksum does not match. Copy it again from the source wallet.',
      { key: preview(input) },
    );
  }
  return payload;
}

export interface ParseExtendedKeyOptions {
  /** Reject keys for another network (a testnet tpub in a mainnet wallet, or the reverse). */
  network?: Network;
}

/**
 * Parses an account-level extended public key in any single-sig SLIP-132 form
 * (xpub/ypub/zpub, tpub/upub/vpub). Every malformed input gets a typed error:
 * XPUB_IS_PRIVATE, MULTISIG_UNSUPPORTED, XPUB_BAD_CHECKSUM, XPUB_WRONG_NETWORK or XPUB_INVALID.
 */
export function parseExtendedKey(text: string, options: ParseExtendedKeyOptions = {}): ParsedExtendedKey {
  const input = text.trim();
  if (input === '')
    throw invalid('Paste an extended public key (xpub, ypub, zpub, tpub, upub or vpub).', 'empty', input);
  const payload = decodeBase58Check(input);
  if (payload.length !== EXTENDED_KEY_BYTES) {
    throw invalid(
      'This is not an extended public key (wrong length). Paste the account xpub, ypub or zpub exported by your wallet.',
      'wrong_length',
      input,
    );
  }
  const version = readU32(payload, 0);
  const privateInfo = VERSIONS.find((v) => v.private === version);
  if (privateInfo || payload[45] === 0) {
    throw new FlashError(
      'XPUB_IS_PRIVATE',
      `This is a private key (${privateInfo?.privatePrefix ?? 'extended private key'}), which can spend the money. A watch-only account needs only the public key (xpub, ypub or zpub); to spend, restore the wallet from its recovery words instead.`,
      { prefix: privateInfo?.privatePrefix ?? null },
    );
  }
  const info = VERSIONS.find((v) => v.public === version);
  if (!info) {
    throw invalid(
      'Unknown extended key type. Flash accepts xpub, ypub, zpub (mainnet) and tpub, upub, vpub (testnet).',
      'unknown_version',
      input,
    );
  }
  if (info.multisig) {
    throw new FlashError(
      'MULTISIG_UNSUPPORTED',
      `${info.prefix} is a multisig key. Multisig accounts are not supported yet; import a single-signature xpub, ypub or zpub.`,
      { prefix: info.prefix },
    );
  }
  if (options.network && keyNetworkOf(options.network) !== info.network) {
    throw new FlashError(
      'XPUB_WRONG_NETWORK',
      info.network === 'mainnet'
        ? `This ${info.prefix} is for mainnet, but this wallet is on ${options.network}. Use a tpub, upub or vpub instead.`
        : `This ${info.prefix} is for a test network, but this wallet is on mainnet. Use an xpub, ypub or zpub instead.`,
      { prefix: info.prefix, keyNetwork: info.network, walletNetwork: options.network },
    );
  }
  const keyByte = payload[45];
  if (keyByte !== 0x02 && keyByte !== 0x03) {
    throw invalid('This extended public key does not contain a valid public key.', 'bad_public_key', input);
  }
  const plain = new Uint8Array(payload);
  writeU32(plain, 0, bip32Versions(info.network).public);
  const xpub = encodeCheck(plain);
  let hdkey: HDKey;
  try {
    hdkey = HDKey.fromExtendedKey(xpub, bip32Versions(info.network));
  } catch (err) {
    throw invalid(
      `This extended public key is damaged (${err instanceof Error ? err.message : 'invalid'}). Copy it again from the source wallet.`,
      'bad_key_data',
      input,
    );
  }
  return {
    prefix: info.prefix,
    network: info.network,
    impliedType: info.impliedType,
    depth: payload[4] ?? 0,
    parentFingerprint: readU32(payload, 5).toString(16).padStart(8, '0'),
    childNumber: readU32(payload, 9),
    chainCode: payload.slice(13, 45),
    publicKey: payload.slice(45, 78),
    xpub,
    hdkey,
  };
}

/** Rewrites an extended public key with another SLIP-132 prefix (same key, same network family). */
export function convertExtendedKey(text: string, to: KeyPrefix): string {
  const parsed = parseExtendedKey(text);
  const target = VERSIONS.find((v) => v.prefix === to);
  if (!target) throw new FlashError('BAD_INPUT', `Unknown key prefix ${to}.`, { prefix: to });
  if (target.multisig) {
    throw new FlashError('MULTISIG_UNSUPPORTED', 'Multisig key formats are not supported yet.', {
      prefix: to,
    });
  }
  if (target.network !== parsed.network) {
    throw new FlashError(
      'XPUB_WRONG_NETWORK',
      `A ${parsed.prefix} cannot become a ${to}: one is for mainnet and the other for test networks.`,
      { from: parsed.prefix, to },
    );
  }
  const payload = decodeBase58Check(parsed.xpub);
  writeU32(payload, 0, target.public);
  return encodeCheck(payload);
}

/** Detects the network family of an extended public key without throwing on the network. */
export function extendedKeyNetwork(text: string): KeyNetwork {
  return parseExtendedKey(text).network;
}
