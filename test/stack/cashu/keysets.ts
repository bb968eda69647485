import { randomBytes } from 'node:crypto';
import {
  createBlindSignature,
  createDLEQProof,
  createNewMintKeys,
  hashToCurve,
  pointFromHex,
} from '@cashu/cashu-ts';
import { badRequest, MintError, NUT_ERROR } from './errors';
import type { WireOutput, WireProof } from './conditions';

/**
 * The mint's keysets (NUT-01/02): one private key per power-of-two amount, the keyset id derived
 * from the public keys (version 00 or 01 per NUT-02), active or rotated out, with an input fee.
 * Signing and checking use cashu-ts's mint-side primitives (createBlindSignature, createDLEQProof,
 * hashToCurve): C_ = k·B_, a NUT-12 DLEQ proof beside it, and k·hash_to_curve(x) == C on spend.
 */

export interface MintKeyset {
  id: string;
  unit: string;
  active: boolean;
  inputFeePpk: number;
  /** amount (decimal) -> compressed public key hex */
  publicKeys: Record<string, string>;
  privateKeys: Record<string, Uint8Array>;
}

export interface BlindSignatureJson {
  amount: number;
  id: string;
  C_: string;
  dleq?: { e: string; s: string };
}

/** How the signer misbehaves (the mint's fault modes). */
export type SigningFault = 'none' | 'bad-dleq' | 'wrong-keyset';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Keys per unit: 2^0 … 2^(n-1). sat to 2^40 (over 10,000 BTC), cents to 2^32. */
const POWERS: Record<string, number> = { sat: 41, usd: 33, eur: 33 };

export function createKeyset(unit: string, inputFeePpk: number, idVersion: 0 | 1): MintKeyset {
  const height = (POWERS[unit] ?? 33) as Parameters<typeof createNewMintKeys>[0];
  const pair = createNewMintKeys(height, randomBytes(32), {
    unit,
    versionByte: idVersion,
    ...(inputFeePpk > 0 ? { input_fee_ppk: inputFeePpk } : {}),
  });
  const publicKeys: Record<string, string> = {};
  for (const [amount, key] of Object.entries(pair.pubKeys)) publicKeys[amount] = hex(key);
  return { id: pair.keysetId, unit, active: true, inputFeePpk, publicKeys, privateKeys: pair.privKeys };
}

export class KeysetBook {
  private readonly sets: MintKeyset[] = [];

  add(keyset: MintKeyset): void {
    if (this.sets.some((k) => k.id === keyset.id)) throw new Error('keyset id collision');
    this.sets.push(keyset);
  }

  all(): readonly MintKeyset[] {
    return this.sets;
  }

  get(id: string): MintKeyset | undefined {
    return this.sets.find((k) => k.id === id);
  }

  active(unit: string): MintKeyset | undefined {
    return this.sets.find((k) => k.unit === unit && k.active);
  }

  /** Rotation: a fresh active keyset for the unit; the old one stays for inputs only (NUT-02). */
  rotate(unit: string, inputFeePpk: number, idVersion: 0 | 1): MintKeyset {
    for (const k of this.sets) if (k.unit === unit) k.active = false;
    const next = createKeyset(unit, inputFeePpk, idVersion);
    this.add(next);
    return next;
  }

  /** NUT-02: ceil(sum of the inputs' input_fee_ppk / 1000). */
  inputFee(inputs: readonly { id: string }[]): number {
    let ppk = 0;
    for (const p of inputs) ppk += this.get(p.id)?.inputFeePpk ?? 0;
    return Math.floor((ppk + 999) / 1000);
  }

  /** The unit of a set of proofs or outputs; they must all share one (11009). */
  unitOf(items: readonly { id: string }[]): string {
    const units = new Set(items.map((i) => this.keysetOrThrow(i.id).unit));
    if (units.size > 1) throw new MintError(NUT_ERROR.multipleUnits, 'Inputs/Outputs of multiple units');
    const [unit] = units;
    if (unit === undefined) throw badRequest('no inputs or outputs');
    return unit;
  }

  keysetOrThrow(id: string): MintKeyset {
    const k = this.get(id);
    if (!k) throw new MintError(NUT_ERROR.keysetUnknown, 'Keyset is not known');
    return k;
  }

  /** Outputs must name an active keyset and an amount it has a key for. */
  checkOutputs(outputs: readonly WireOutput[], blank = false): void {
    for (const o of outputs) {
      const k = this.keysetOrThrow(o.id);
      if (!k.active)
        throw new MintError(NUT_ERROR.keysetInactive, 'Keyset is inactive, cannot sign messages');
      if (!blank && k.privateKeys[String(o.amount)] === undefined)
        throw badRequest(`Amount ${o.amount} has no key in keyset ${o.id}`);
      try {
        pointFromHex(o.B_);
      } catch {
        throw badRequest('B_ is not a valid point');
      }
    }
  }

  /** k·hash_to_curve(secret) == C with the key of the proof's keyset and amount (NUT-00). */
  verifyProof(p: WireProof): void {
    const k = this.keysetOrThrow(p.id);
    const key = k.privateKeys[String(p.amount)];
    if (key === undefined) throw new MintError(NUT_ERROR.proofVerificationFailed, 'no key for this amount');
    let ok = false;
    try {
      const Y = hashToCurve(new TextEncoder().encode(p.secret));
      ok = Y.multiply(BigInt(`0x${hex(key)}`)).equals(pointFromHex(p.C));
    } catch {
      ok = false;
    }
    if (!ok) throw new MintError(NUT_ERROR.proofVerificationFailed, 'Proof verification failed');
  }

  /** C_ = k·B_ with a NUT-12 DLEQ proof; a fault corrupts what the wallet is sent. */
  sign(output: WireOutput, amount: number, fault: SigningFault): BlindSignatureJson {
    const k = this.keysetOrThrow(output.id);
    let key = k.privateKeys[String(amount)];
    if (key === undefined) throw badRequest(`Amount ${amount} has no key`);
    if (fault === 'wrong-keyset') {
      const other = this.sets.find((s) => s.id !== k.id && s.privateKeys[String(amount)] !== undefined);
      key = other?.privateKeys[String(amount)] ?? randomBytes(32);
    }
    const B_ = pointFromHex(output.B_);
    const sig = createBlindSignature(B_, key, output.id);
    const dleq = createDLEQProof(B_, key);
    const e = hex(dleq.e);
    return {
      amount,
      id: output.id,
      C_: sig.C_.toHex(true),
      dleq: { e: fault === 'bad-dleq' ? flipLastNibble(e) : e, s: hex(dleq.s) },
    };
  }
}

function flipLastNibble(h: string): string {
  const last = h.at(-1) === '0' ? '1' : '0';
  return h.slice(0, -1) + last;
}

/** Y = hash_to_curve(secret), hex: the proof's identity in checkstate and the spent set. */
export function proofY(secret: string): string {
  return hashToCurve(new TextEncoder().encode(secret)).toHex(true);
}

/** NUT-08 / plain splits: the amount in powers of two, smallest first. */
export function powersOfTwo(amount: number): number[] {
  const out: number[] = [];
  for (let bit = 0; amount > 0; bit++) {
    const v = 2 ** bit;
    if (amount % (v * 2) !== 0) {
      out.push(v);
      amount -= v;
    }
  }
  return out;
}
