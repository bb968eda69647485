import { base58, bech32, bech32m } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Network } from '../contract/common';
import { FlashError } from '../errors';

/**
 * Bitcoin address parsing for every standard output type on every network, pure (runs in the
 * renderer too). Errors say exactly what is wrong so the send screen can point at it.
 */

export type AddressType = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness-unknown';

/** Which chains an address belongs to. Base58 test addresses are shared by testnet, signet and regtest. */
export type AddressFamily = 'mainnet' | 'testnet' | 'regtest';

export type AddressErrorReason =
  'WRONG_NETWORK' | 'BAD_CHECKSUM' | 'WRONG_BECH32_VARIANT' | 'BAD_WITNESS_PROGRAM' | 'UNKNOWN_FORMAT';

export class AddressError extends FlashError {
  readonly reason: AddressErrorReason;
  constructor(reason: AddressErrorReason, message: string, details: Record<string, string | number> = {}) {
    super('BAD_INPUT', message, { reason, ...details });
    this.name = 'AddressError';
    this.reason = reason;
  }
}

export interface ParsedAddress {
  /** As given, except bech32 is lowercased (its canonical form). */
  address: string;
  type: AddressType;
  encoding: 'base58' | 'bech32' | 'bech32m';
  family: AddressFamily;
  /** The networks this address is valid on. */
  networks: Network[];
  /** Segwit version (0..16); null for base58. */
  witnessVersion: number | null;
  /** Hash or witness program. */
  program: Uint8Array;
  scriptPubKey: Uint8Array;
}

const HRP: Readonly<Record<string, AddressFamily>> = { bc: 'mainnet', tb: 'testnet', bcrt: 'regtest' };
const HRP_OF: Readonly<Record<Network, string>> = {
  mainnet: 'bc',
  testnet: 'tb',
  signet: 'tb',
  regtest: 'bcrt',
};
const FAMILY_NETWORKS: Readonly<Record<AddressFamily, Network[]>> = {
  mainnet: ['mainnet'],
  testnet: ['testnet', 'signet'],
  regtest: ['regtest'],
};
const BASE58_VERSIONS: Readonly<Record<number, { type: 'p2pkh' | 'p2sh'; main: boolean }>> = {
  0x00: { type: 'p2pkh', main: true },
  0x05: { type: 'p2sh', main: true },
  0x6f: { type: 'p2pkh', main: false },
  0xc4: { type: 'p2sh', main: false },
};
const BECH32_CHARSET = /^[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/;
const BASE58_CHARSET = /^[1-9A-HJ-NP-Za-km-z]+$/;

export function describeNetworks(networks: readonly Network[]): string {
  return networks.length > 1 ? networks.join(' or ') : (networks[0] ?? 'no network');
}

/** Decodes any address without caring for the network. Throws AddressError. */
export function decodeAddress(input: string): ParsedAddress {
  const text = input.trim();
  if (text.length === 0) throw new AddressError('UNKNOWN_FORMAT', 'The address is empty.');
  const lower = text.toLowerCase();
  const sep = lower.lastIndexOf('1');
  const hrp = sep > 0 ? lower.slice(0, sep) : '';
  if (hrp in HRP) return decodeSegwit(text, lower, hrp);
  if (BASE58_CHARSET.test(text) && text.length >= 26 && text.length <= 35) return decodeBase58(text);
  if (sep > 0 && BECH32_CHARSET.test(lower.slice(sep + 1))) {
    throw new AddressError('UNKNOWN_FORMAT', `"${hrp}" is not a Bitcoin address prefix.`, { prefix: hrp });
  }
  throw new AddressError('UNKNOWN_FORMAT', 'This is not a Bitcoin address.');
}

/** Decodes an address and requires it to belong to `network`. */
export function parseAddress(input: string, network: Network): ParsedAddress {
  const parsed = decodeAddress(input);
  if (!parsed.networks.includes(network)) {
    throw new AddressError(
      'WRONG_NETWORK',
      `This is a ${describeNetworks(parsed.networks)} address; this wallet is on ${network}.`,
      { expected: network, actual: parsed.family },
    );
  }
  return parsed;
}

export function isValidAddress(input: string, network: Network): boolean {
  try {
    parseAddress(input, network);
    return true;
  } catch {
    return false;
  }
}

function decodeSegwit(text: string, lower: string, hrp: string): ParsedAddress {
  if (text !== lower && text !== text.toUpperCase()) {
    throw new AddressError('UNKNOWN_FORMAT', 'A bech32 address is either all lowercase or all uppercase.');
  }
  const data = lower.slice(hrp.length + 1);
  if (!BECH32_CHARSET.test(data)) {
    throw new AddressError('UNKNOWN_FORMAT', 'The address contains a character bech32 never uses.');
  }
  if (lower.length > 90 || data.length < 6 + 1) {
    throw new AddressError('UNKNOWN_FORMAT', 'The address has the wrong length.');
  }
  const str = lower as `${string}1${string}`;
  let words: number[] | null = null;
  let encoding: 'bech32' | 'bech32m' | null = null;
  try {
    words = Array.from(bech32.decode(str, 90).words);
    encoding = 'bech32';
  } catch {
    try {
      words = Array.from(bech32m.decode(str, 90).words);
      encoding = 'bech32m';
    } catch {
      // neither checksum matches
    }
  }
  if (!words || !encoding) {
    throw new AddressError('BAD_CHECKSUM', 'The address checksum is wrong: a character is mistyped.', {
      encoding: 'bech32',
    });
  }
  if (words.length < 1)
    throw new AddressError('BAD_WITNESS_PROGRAM', 'The address holds no witness program.');
  const version = words[0] as number;
  if (version > 16) {
    throw new AddressError('BAD_WITNESS_PROGRAM', `Witness version ${version} does not exist.`);
  }
  if (version === 0 && encoding !== 'bech32') {
    throw new AddressError(
      'WRONG_BECH32_VARIANT',
      'A version 0 segwit address must use the bech32 checksum, not bech32m.',
      { version },
    );
  }
  if (version > 0 && encoding !== 'bech32m') {
    throw new AddressError(
      'WRONG_BECH32_VARIANT',
      `A version ${version} segwit address must use the bech32m checksum (BIP350), not bech32.`,
      { version },
    );
  }
  const program = bech32.fromWordsUnsafe(words.slice(1));
  if (!program) throw new AddressError('BAD_WITNESS_PROGRAM', 'The witness program has invalid padding.');
  if (program.length < 2 || program.length > 40) {
    throw new AddressError('BAD_WITNESS_PROGRAM', `A witness program of ${program.length} bytes is invalid.`);
  }
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    throw new AddressError('BAD_WITNESS_PROGRAM', 'A version 0 witness program is 20 or 32 bytes.');
  }
  const type: AddressType =
    version === 0
      ? program.length === 20
        ? 'p2wpkh'
        : 'p2wsh'
      : version === 1 && program.length === 32
        ? 'p2tr'
        : 'witness-unknown';
  const family = HRP[hrp] as AddressFamily;
  return {
    address: lower,
    type,
    encoding,
    family,
    networks: [...FAMILY_NETWORKS[family]],
    witnessVersion: version,
    program: Uint8Array.from(program),
    scriptPubKey: witnessScript(version, program),
  };
}

function decodeBase58(text: string): ParsedAddress {
  let raw: Uint8Array;
  try {
    raw = base58.decode(text);
  } catch {
    throw new AddressError('UNKNOWN_FORMAT', 'This is not a Bitcoin address.');
  }
  if (raw.length !== 25) throw new AddressError('UNKNOWN_FORMAT', 'This is not a Bitcoin address.');
  const payload = raw.subarray(0, 21);
  const check = sha256(sha256(payload)).subarray(0, 4);
  if (!check.every((b, i) => b === raw[21 + i])) {
    throw new AddressError('BAD_CHECKSUM', 'The address checksum is wrong: a character is mistyped.', {
      encoding: 'base58',
    });
  }
  const version = BASE58_VERSIONS[payload[0] as number];
  if (!version) throw new AddressError('UNKNOWN_FORMAT', 'This is not a Bitcoin address.');
  const hash = Uint8Array.from(payload.subarray(1));
  // Base58 test addresses are the same on testnet, signet and regtest.
  const networks: Network[] = version.main ? ['mainnet'] : ['testnet', 'signet', 'regtest'];
  return {
    address: text,
    type: version.type,
    encoding: 'base58',
    family: version.main ? 'mainnet' : 'testnet',
    networks,
    witnessVersion: null,
    program: hash,
    scriptPubKey: version.type === 'p2pkh' ? p2pkhScript(hash) : p2shScript(hash),
  };
}

function p2pkhScript(hash: Uint8Array): Uint8Array {
  return Uint8Array.from([0x76, 0xa9, 0x14, ...hash, 0x88, 0xac]);
}

function p2shScript(hash: Uint8Array): Uint8Array {
  return Uint8Array.from([0xa9, 0x14, ...hash, 0x87]);
}

function witnessScript(version: number, program: Uint8Array): Uint8Array {
  return Uint8Array.from([version === 0 ? 0 : 0x50 + version, program.length, ...program]);
}

/** Output script for an address on `network`; throws AddressError. */
export function addressToScript(address: string, network: Network): Uint8Array {
  return parseAddress(address, network).scriptPubKey;
}

/** The address an output script pays, or null for scripts with no address (OP_RETURN, bare multisig). */
export function scriptToAddress(script: Uint8Array, network: Network): string | null {
  const s = script;
  if (
    s.length === 25 &&
    s[0] === 0x76 &&
    s[1] === 0xa9 &&
    s[2] === 0x14 &&
    s[23] === 0x88 &&
    s[24] === 0xac
  ) {
    return base58checkEncode(network === 'mainnet' ? 0x00 : 0x6f, s.subarray(3, 23));
  }
  if (s.length === 23 && s[0] === 0xa9 && s[1] === 0x14 && s[22] === 0x87) {
    return base58checkEncode(network === 'mainnet' ? 0x05 : 0xc4, s.subarray(2, 22));
  }
  const op = s[0];
  if (op === undefined || s.length < 4 || s.length > 42 || s[1] !== s.length - 2) return null;
  const version = op === 0 ? 0 : op >= 0x51 && op <= 0x60 ? op - 0x50 : -1;
  if (version < 0) return null;
  const program = s.subarray(2);
  if (version === 0 && program.length !== 20 && program.length !== 32) return null;
  const words = [version, ...bech32.toWords(program)];
  const coder = version === 0 ? bech32 : bech32m;
  return coder.encode(HRP_OF[network], words, 90);
}

function base58checkEncode(version: number, hash: Uint8Array): string {
  const payload = Uint8Array.from([version, ...hash]);
  const check = sha256(sha256(payload)).subarray(0, 4);
  return base58.encode(Uint8Array.from([...payload, ...check]));
}
