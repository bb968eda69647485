import * as ecc from '@bitcoinerlab/secp256k1';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as bitcoin from 'bitcoinjs-lib';

/**
 * Signature checks a node makes for the four single-key output types (BIP143 for segwit v0,
 * BIP341 key path for taproot, the legacy sighash for P2PKH), and for multisig: OP_CHECKMULTISIG
 * witness scripts under P2WSH and P2SH-P2WSH (BIP143, its in-order key matching and the extra
 * empty item), and `multi_a` leaves (OP_CHECKSIG/OP_CHECKSIGADD … OP_NUMEQUAL) on a Taproot script
 * path (BIP341 control block commitment, BIP342 signatures). Other script types pass unchecked:
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
    } else if (s.length === 34 && s[0] === 0x00 && s[1] === 0x20) {
      checkP2wsh(tx, i, input.witness, s.subarray(2), prev.value);
    } else if (s.length === 23 && s[0] === 0xa9 && s[1] === 0x14 && s[22] === 0x87) {
      const chunks = bitcoin.script.decompile(input.script) ?? [];
      const redeem = chunks[0];
      if (!(redeem instanceof Uint8Array) || !same(hash160(redeem), s.subarray(2, 22))) {
        throw new Error(`input ${i}: redeem script does not match P2SH`);
      }
      if (redeem.length === 34 && redeem[0] === 0x00 && redeem[1] === 0x20) {
        checkP2wsh(tx, i, input.witness, redeem.subarray(2), prev.value);
        return;
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
    } else if (s.length === 34 && s[0] === 0x51 && s[1] === 0x20 && input.witness.length > 1) {
      checkTapScriptPath(tx, i, input.witness, s.subarray(2), prevouts);
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

/** `OP_k <key>… OP_n OP_CHECKMULTISIG`: k, the keys and n, or null for another script. */
function parseCheckMultisig(script: Uint8Array): { k: number; keys: Uint8Array[] } | null {
  const chunks = bitcoin.script.decompile(script);
  if (!chunks || chunks.length < 4 || chunks[chunks.length - 1] !== bitcoin.opcodes.OP_CHECKMULTISIG)
    return null;
  const small = (c: unknown) => (typeof c === 'number' && c >= 0x51 && c <= 0x60 ? c - 0x50 : null);
  const k = small(chunks[0]);
  const n = small(chunks[chunks.length - 2]);
  const keys = chunks.slice(1, -2);
  if (k === null || n === null || keys.length !== n || !keys.every((x) => x instanceof Uint8Array))
    return null;
  return { k, keys: keys as Uint8Array[] };
}

/**
 * P2WSH: the last witness item is the script whose SHA256 is the program. A multisig script is
 * run as OP_CHECKMULTISIG does: the dummy item must be empty (NULLDUMMY), signatures are matched
 * to keys in order, each key used once, and k must match; other scripts pass unchecked.
 */
function checkP2wsh(
  tx: bitcoin.Transaction,
  i: number,
  witness: Uint8Array[],
  program: Uint8Array,
  value: number,
): void {
  const script = witness[witness.length - 1];
  if (!script || !same(sha256(script), program))
    throw new Error(`input ${i}: witness script does not match P2WSH`);
  const multi = parseCheckMultisig(script);
  if (!multi) return;
  const items = witness.slice(0, -1);
  if (items.length !== multi.k + 1)
    throw new Error(`input ${i}: OP_CHECKMULTISIG needs ${multi.k} signatures`);
  if ((items[0] ?? new Uint8Array(1)).length !== 0)
    throw new Error(`input ${i}: OP_CHECKMULTISIG dummy is not empty`);
  let key = 0;
  for (const sig of items.slice(1)) {
    const decoded = bitcoin.script.signature.decode(sig);
    const hash = tx.hashForWitnessV0(i, script, BigInt(value), decoded.hashType);
    while (key < multi.keys.length && !ecc.verify(hash, multi.keys[key] as Uint8Array, decoded.signature))
      key++;
    if (key >= multi.keys.length)
      throw new Error(`input ${i}: a multisig signature does not verify (or is out of order)`);
    key++;
  }
}

/** `<k1> OP_CHECKSIG <k2> OP_CHECKSIGADD … OP_k OP_NUMEQUAL` (BIP387 multi_a): k and the x-only keys. */
function parseMultiA(script: Uint8Array): { k: number; keys: Uint8Array[] } | null {
  const chunks = bitcoin.script.decompile(script);
  if (!chunks || chunks.length < 4 || chunks[chunks.length - 1] !== bitcoin.opcodes.OP_NUMEQUAL) return null;
  const kChunk = chunks[chunks.length - 2];
  const k =
    typeof kChunk === 'number'
      ? kChunk >= 0x51 && kChunk <= 0x60
        ? kChunk - 0x50
        : null
      : kChunk instanceof Uint8Array
        ? bitcoin.script.number.decode(Buffer.from(kChunk))
        : null;
  const body = chunks.slice(0, -2);
  const keys: Uint8Array[] = [];
  for (let j = 0; j < body.length; j += 2) {
    const keyChunk = body[j];
    const op = body[j + 1];
    const want = j === 0 ? bitcoin.opcodes.OP_CHECKSIG : bitcoin.opcodes.OP_CHECKSIGADD;
    if (!(keyChunk instanceof Uint8Array) || keyChunk.length !== 32 || op !== want) return null;
    keys.push(keyChunk);
  }
  return k === null ? null : { k, keys };
}

/**
 * A Taproot script path spend: the control block must commit the leaf to the output key (BIP341),
 * and a multi_a leaf's signatures (BIP342, one stack item per key, last key first) must verify
 * with at least k of them; other leaves pass unchecked.
 */
function checkTapScriptPath(
  tx: bitcoin.Transaction,
  i: number,
  witnessIn: Uint8Array[],
  outputKey: Uint8Array,
  prevouts: readonly Prevout[],
): void {
  const last = witnessIn[witnessIn.length - 1];
  const witness = last && last[0] === 0x50 && witnessIn.length > 1 ? witnessIn.slice(0, -1) : witnessIn; // annex
  const control = witness[witness.length - 1];
  const leaf = witness[witness.length - 2];
  if (!control || !leaf || control.length < 33 || (control.length - 33) % 32 !== 0) {
    throw new Error(`input ${i}: not a taproot script path witness`);
  }
  const version = (control[0] as number) & 0xfe;
  const leafHash = bitcoin.crypto.taggedHash('TapLeaf', Uint8Array.from([version, ...varSlice(leaf)]));
  let node = leafHash;
  for (let j = 33; j < control.length; j += 32) {
    const sibling = control.subarray(j, j + 32);
    const [a, b] =
      Buffer.compare(Buffer.from(node), Buffer.from(sibling)) < 0 ? [node, sibling] : [sibling, node];
    node = bitcoin.crypto.taggedHash('TapBranch', Uint8Array.from([...a, ...b]));
  }
  const internal = control.subarray(1, 33);
  const tweak = bitcoin.crypto.taggedHash('TapTweak', Uint8Array.from([...internal, ...node]));
  const tweaked = ecc.xOnlyPointAddTweak(internal, tweak);
  if (!tweaked || !same(tweaked.xOnlyPubkey, outputKey) || tweaked.parity !== ((control[0] as number) & 1)) {
    throw new Error(`input ${i}: the control block does not commit to this leaf`);
  }
  const multi = version === 0xc0 ? parseMultiA(leaf) : null;
  if (!multi) return;
  const sigs = witness.slice(0, -2);
  if (sigs.length !== multi.keys.length) throw new Error(`input ${i}: multi_a needs one item per key`);
  let valid = 0;
  multi.keys.forEach((key, j) => {
    const sig = sigs[multi.keys.length - 1 - j] as Uint8Array;
    if (sig.length === 0) return;
    if (sig.length !== 64 && sig.length !== 65) throw new Error(`input ${i}: bad Schnorr signature size`);
    const hashType = sig.length === 65 ? (sig[64] as number) : bitcoin.Transaction.SIGHASH_DEFAULT;
    const hash = tx.hashForWitnessV1(
      i,
      prevouts.map((p) => p.script),
      prevouts.map((p) => BigInt(p.value)),
      hashType,
      leafHash,
    );
    // BIP342: a non-empty signature that fails makes the whole script fail.
    if (!ecc.verifySchnorr(hash, key, sig.subarray(0, 64)))
      throw new Error(`input ${i}: a multi_a signature does not verify`);
    valid++;
  });
  if (valid < multi.k) throw new Error(`input ${i}: multi_a has ${valid} of ${multi.k} signatures`);
}

function varSlice(b: Uint8Array): Uint8Array {
  const len = b.length < 0xfd ? [b.length] : [0xfd, b.length & 0xff, b.length >> 8];
  return Uint8Array.from([...len, ...b]);
}
