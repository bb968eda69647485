import { FlashError } from '../../../shared/errors';

/**
 * BIP380 descriptor checksum: a BCH code over the descriptor's characters, 8 characters long,
 * written after a `#`. Port of the reference algorithm in BIP380 / Bitcoin Core's descriptor.cpp.
 */
const INPUT_CHARSET =
  '0123456789()[],\'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#"\\ ';
const CHECKSUM_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0xf5dee51989n, 0xa9fdca3312n, 0x1bab10e32dn, 0x3706b1677an, 0x644d626ffdn];
const MASK_35 = 0x7ffffffffn;

export const CHECKSUM_LENGTH = 8;

function polymod(c: bigint, value: number): bigint {
  const c0 = c >> 35n;
  let next = ((c & MASK_35) << 5n) ^ BigInt(value);
  for (let i = 0; i < 5; i++) {
    if ((c0 >> BigInt(i)) & 1n) next ^= GENERATOR[i] ?? 0n;
  }
  return next;
}

/** The 8-character checksum of a descriptor (without any `#...`). Throws on characters BIP380 does not allow. */
export function descriptorChecksum(descriptor: string): string {
  let c = 1n;
  let cls = 0;
  let clsCount = 0;
  for (let i = 0; i < descriptor.length; i++) {
    const ch = descriptor[i] ?? '';
    const pos = INPUT_CHARSET.indexOf(ch);
    if (pos < 0) {
      throw new FlashError(
        'DESCRIPTOR_INVALID',
        `Character ${i + 1} ("${ch}") is not allowed in a descriptor. Copy the descriptor again, exactly as the source wallet exported it.`,
        { reason: 'bad_character', position: i + 1 },
      );
    }
    c = polymod(c, pos & 31);
    cls = cls * 3 + (pos >> 5);
    if (++clsCount === 3) {
      c = polymod(c, cls);
      cls = 0;
      clsCount = 0;
    }
  }
  if (clsCount > 0) c = polymod(c, cls);
  for (let j = 0; j < CHECKSUM_LENGTH; j++) c = polymod(c, 0);
  c ^= 1n;
  let out = '';
  for (let j = 0; j < CHECKSUM_LENGTH; j++) {
    out += CHECKSUM_CHARSET[Number((c >> BigInt(5 * (7 - j))) & 31n)];
  }
  return out;
}

/** `descriptor#checksum`. */
export function withChecksum(descriptor: string): string {
  return `${descriptor}#${descriptorChecksum(descriptor)}`;
}

export interface CheckedDescriptor {
  /** The descriptor without `#checksum`. */
  body: string;
  /** The correct checksum of `body`. */
  checksum: string;
  /** False when the input had no `#checksum` (accepted, but worth telling the user). */
  checksumProvided: boolean;
}

/**
 * Splits off and verifies a descriptor checksum. A missing checksum is accepted (reported through
 * `checksumProvided`); a malformed or wrong one is a DESCRIPTOR_BAD_CHECKSUM naming the expected one.
 */
export function verifyDescriptorChecksum(text: string): CheckedDescriptor {
  const input = text.trim();
  const hash = input.indexOf('#');
  const body = hash < 0 ? input : input.slice(0, hash);
  const checksum = descriptorChecksum(body);
  if (hash < 0) return { body, checksum, checksumProvided: false };
  const given = input.slice(hash + 1);
  if (given.length !== CHECKSUM_LENGTH || given.includes('#')) {
    throw new FlashError(
      'DESCRIPTOR_BAD_CHECKSUM',
      given.length === 0
        ? `The descriptor ends with “#” but no checksum. Remove the “#” or add the checksum (#${checksum}).`
        : `The checksum after “#” must be ${CHECKSUM_LENGTH} characters; “${given}” is not. Copy the whole descriptor again.`,
      { expected: checksum, given },
    );
  }
  if (given !== checksum) {
    throw new FlashError(
      'DESCRIPTOR_BAD_CHECKSUM',
      `The descriptor’s checksum is #${given} but its text gives #${checksum}: the descriptor was changed or mistyped. Copy it again from the source wallet.`,
      { expected: checksum, given },
    );
  }
  return { body, checksum, checksumProvided: true };
}
