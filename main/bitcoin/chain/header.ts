import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

export const HEADER_SIZE = 80;

/** One parsed 80-byte block header. Hashes are display hex (byte-reversed), as Electrum sends them. */
export interface BlockHeader {
  version: number;
  prevHash: string;
  merkleRoot: string;
  /** Seconds since the epoch. */
  timestamp: number;
  bits: number;
  nonce: number;
  /** This header's hash, display hex. */
  hash: string;
  raw: Uint8Array;
}

export function hash256(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/** Internal byte order -> display hex. */
export function toDisplayHex(internal: Uint8Array): string {
  return bytesToHex(Uint8Array.from(internal).reverse());
}

/** Display hex -> internal byte order. */
export function fromDisplayHex(display: string): Uint8Array {
  return hexToBytes(display).reverse();
}

export function parseHeader(raw: Uint8Array): BlockHeader {
  if (raw.length !== HEADER_SIZE) throw new RangeError(`a header is 80 bytes, got ${raw.length}`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return {
    version: view.getInt32(0, true),
    prevHash: toDisplayHex(raw.subarray(4, 36)),
    merkleRoot: toDisplayHex(raw.subarray(36, 68)),
    timestamp: view.getUint32(68, true),
    bits: view.getUint32(72, true),
    nonce: view.getUint32(76, true),
    hash: toDisplayHex(hash256(raw)),
    raw: Uint8Array.from(raw),
  };
}

export function parseHeaderHex(hex: string): BlockHeader {
  if (!/^[0-9a-fA-F]{160}$/.test(hex)) throw new RangeError('a header is 160 hex characters');
  return parseHeader(hexToBytes(hex));
}

/** Splits concatenated headers (a `blockchain.block.headers` reply). */
export function parseHeaders(hex: string): BlockHeader[] {
  if (hex.length % (HEADER_SIZE * 2) !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new RangeError('headers hex is not a whole number of 80-byte headers');
  }
  const out: BlockHeader[] = [];
  for (let i = 0; i < hex.length; i += HEADER_SIZE * 2) out.push(parseHeaderHex(hex.slice(i, i + 160)));
  return out;
}

export function serializeHeader(h: Omit<BlockHeader, 'hash' | 'raw'>): Uint8Array {
  const raw = new Uint8Array(HEADER_SIZE);
  const view = new DataView(raw.buffer);
  view.setInt32(0, h.version, true);
  raw.set(fromDisplayHex(h.prevHash), 4);
  raw.set(fromDisplayHex(h.merkleRoot), 36);
  view.setUint32(68, h.timestamp, true);
  view.setUint32(72, h.bits, true);
  view.setUint32(76, h.nonce, true);
  return raw;
}

/** Compact bits -> target, exactly as Bitcoin Core's SetCompact; null when negative or overflowing. */
export function bitsToTarget(bits: number): bigint | null {
  const size = bits >>> 24;
  let word = BigInt(bits & 0x007fffff);
  if (word !== 0n && (bits & 0x00800000) !== 0) return null;
  if (word !== 0n && (size > 34 || (word > 0xffn && size > 33) || (word > 0xffffn && size > 32))) return null;
  if (size <= 3) word >>= BigInt(8 * (3 - size));
  else word <<= BigInt(8 * (size - 3));
  return word;
}

/** Target -> compact bits, as Core's GetCompact (the mantissa never has its sign bit set). */
export function targetToBits(target: bigint): number {
  if (target < 0n) throw new RangeError('negative target');
  let size = target === 0n ? 0 : Math.ceil(target.toString(16).length / 2);
  let compact = size <= 3 ? target << BigInt(8 * (3 - size)) : target >> BigInt(8 * (size - 3));
  if (compact & 0x00800000n) {
    compact >>= 8n;
    size++;
  }
  return Number(compact | (BigInt(size) << 24n)) >>> 0;
}

/** Expected number of hashes for a block at this target: 2^256 / (target + 1). */
export function workFromBits(bits: number): bigint {
  const target = bitsToTarget(bits);
  if (target === null || target === 0n) return 0n;
  return (1n << 256n) / (target + 1n);
}

export function hashAsNumber(displayHash: string): bigint {
  return BigInt(`0x${displayHash}`);
}

/** Core's CheckProofOfWork: a sane target no easier than `powLimit`, and hash <= target. */
export function checkProofOfWork(header: BlockHeader, powLimit: bigint): boolean {
  const target = bitsToTarget(header.bits);
  if (target === null || target === 0n || target > powLimit) return false;
  return hashAsNumber(header.hash) <= target;
}
