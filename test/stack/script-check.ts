import * as ecc from '@bitcoinerlab/secp256k1';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as bitcoin from 'bitcoinjs-lib';

/**
 * Signature checks a node makes for the four single-key output types (BIP143 for segwit v0,
 * BIP341 key path for taproot, the legacy sighash for P2PKH). Other script types pass unchecked:
 * the stand-in chain only needs to catch a wallet that signs its own coins wrongly.
 */
export interface Prevout {
  script: Uint8Array;
  value: number;
}

const hash160 = (b: Uint8Array): Uint8Array => ripemd160(sha256(b));
const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function p2pkhCode(pubkeyHash: Uint8Array): Uint8Array {
  return bitcoin.payments.p2pkh({ hash: pubkeyHash }).output as Uint8Array;
}

function checkEcdsa(
  tx: bitcoin.Transaction,
  i: number,
  sig: Uint8Array,
  pub: Uint8Array,
  hashOf: (type: number) => Uint8Array,
): void {
  const decoded = bitcoin.script.signature.decode(sig);
  if (!ecc.verify(hashOf(decoded.hashType), pub, decoded.signature)) {
    throw new Error(`input ${i}: signature does not verify`);
  }
}

/** Throws an Error naming the input when a signature or key does not match its prevout. */
export function verifyInputScripts(tx: bitcoin.Transaction, prevouts: readonly Prevout[]): void {
  tx.ins.forEach((input, i) => {
    const prev = prevouts[i];
    if (!prev) throw new Error(`input ${i}: no prevout`);
    const s = prev.script;
    if (s.length === 22 && s[0] === 0x00 && s[1] === 0x14) {
      const [sig, pub] = input.witness;
      if (!sig || !pub || !same(hash160(pub), s.subarray(2)))
        throw new Error(`input ${i}: wrong P2WPKH witness`);
      checkEcdsa(tx, i, sig, pub, (t) =>
        tx.hashForWitnessV0(i, p2pkhCode(s.subarray(2)), BigInt(prev.value), t),
      );
    } else if (s.length === 23 && s[0] === 0xa9 && s[1] === 0x14 && s[22] === 0x87) {
      const chunks = bitcoin.script.decompile(input.script) ?? [];
      const redeem = chunks[0];
      if (!(redeem instanceof Uint8Array) || !same(hash160(redeem), s.subarray(2, 22))) {
        throw new Error(`input ${i}: redeem script does not match P2SH`);
      }
      if (!(redeem.length === 22 && redeem[0] === 0x00 && redeem[1] === 0x14)) return; // not P2SH-P2WPKH
      const [sig, pub] = input.witness;
      if (!sig || !pub || !same(hash160(pub), redeem.subarray(2)))
        throw new Error(`input ${i}: wrong P2SH-P2WPKH witness`);
      checkEcdsa(tx, i, sig, pub, (t) =>
        tx.hashForWitnessV0(i, p2pkhCode(redeem.subarray(2)), BigInt(prev.value), t),
      );
    } else if (s.length === 25 && s[0] === 0x76 && s[1] === 0xa9 && s[2] === 0x14) {
      const chunks = bitcoin.script.decompile(input.script) ?? [];
      const [sig, pub] = chunks;
      if (
        !(sig instanceof Uint8Array) ||
        !(pub instanceof Uint8Array) ||
        !same(hash160(pub), s.subarray(3, 23))
      ) {
        throw new Error(`input ${i}: wrong P2PKH scriptSig`);
      }
      checkEcdsa(tx, i, sig, pub, (t) => tx.hashForSignature(i, s, t));
    } else if (s.length === 34 && s[0] === 0x51 && s[1] === 0x20) {
      const [sig] = input.witness;
      if (!sig || input.witness.length !== 1 || (sig.length !== 64 && sig.length !== 65)) {
        throw new Error(`input ${i}: not a taproot key-path witness`);
      }
      const hashType = sig.length === 65 ? (sig[64] as number) : bitcoin.Transaction.SIGHASH_DEFAULT;
      const hash = tx.hashForWitnessV1(
        i,
        prevouts.map((p) => p.script),
        prevouts.map((p) => BigInt(p.value)),
        hashType,
      );
      if (!ecc.verifySchnorr(hash, s.subarray(2), sig.subarray(0, 64))) {
        throw new Error(`input ${i}: Schnorr signature does not verify`);
      }
    }
  });
}
