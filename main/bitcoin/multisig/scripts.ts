import * as ecc from '@bitcoinerlab/secp256k1';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, hex } from '@scure/base';
import { address as btcAddress, crypto as btcCrypto } from 'bitcoinjs-lib';
import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { publicChildDeriver } from '../accounts/child-keys';
import type { Chain } from '../wallet/constants';
import { scriptHashOf, type AddressDeriver, type DerivedAddress } from '../wallet/derivation';
import { networkParams } from '../wallet/networks';
import type { DescriptorKey, MultisigDescriptor } from './descriptor';

/** Opcodes of the scripts built here. */
const OP_0 = 0x00;
const OP_CHECKSIG = 0xac;
const OP_CHECKSIGADD = 0xba;
const OP_CHECKMULTISIG = 0xae;
const OP_NUMEQUAL = 0x9c;
const OP_EQUAL = 0x87;
const OP_HASH160 = 0xa9;
const TAPSCRIPT_LEAF = 0xc0;

const hash160 = (b: Uint8Array): Uint8Array => ripemd160(sha256(b));

/** Minimal push of a small number (1..16 as OP_n, larger as a script number). */
function pushNumber(n: number): number[] {
  if (n >= 1 && n <= 16) return [0x50 + n];
  const bytes: number[] = [];
  let v = n;
  while (v > 0) {
    bytes.push(v & 0xff);
    v >>= 8;
  }
  if ((bytes[bytes.length - 1] ?? 0) & 0x80) bytes.push(0);
  return [bytes.length, ...bytes];
}

function pushData(data: Uint8Array): number[] {
  if (data.length < 0x4c) return [data.length, ...data];
  return [0x4c, data.length, ...data];
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** `OP_k <key>… OP_n OP_CHECKMULTISIG` (BIP383). */
export function checkMultisigScript(threshold: number, keys: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from([
    ...pushNumber(threshold),
    ...keys.flatMap((k) => pushData(k)),
    ...pushNumber(keys.length),
    OP_CHECKMULTISIG,
  ]);
}

/** `<k1> OP_CHECKSIG <k2> OP_CHECKSIGADD … OP_k OP_NUMEQUAL` (BIP387 multi_a) over x-only keys. */
export function checkSigAddScript(threshold: number, keys: readonly Uint8Array[]): Uint8Array {
  const out: number[] = [];
  keys.forEach((k, i) => {
    out.push(...pushData(k), i === 0 ? OP_CHECKSIG : OP_CHECKSIGADD);
  });
  out.push(...pushNumber(threshold), OP_NUMEQUAL);
  return Uint8Array.from(out);
}

function compactSize(n: number): number[] {
  if (n < 0xfd) return [n];
  return [0xfd, n & 0xff, n >> 8];
}

export function tapLeafHash(script: Uint8Array): Uint8Array {
  return btcCrypto.taggedHash(
    'TapLeaf',
    Uint8Array.from([TAPSCRIPT_LEAF, ...compactSize(script.length), ...script]),
  );
}

/** Everything a PSBT and a signer need about one multisig address. */
export interface MultisigScripts {
  /** The keys as the script holds them (sorted for sortedmulti), with where each came from. */
  keys: { pubkey: Uint8Array; keyIndex: number }[];
  scriptPubKey: Uint8Array;
  /** P2WSH and P2SH-P2WSH: the script the witness reveals. */
  witnessScript: Uint8Array | null;
  /** P2SH and P2SH-P2WSH: the script the scriptSig reveals. */
  redeemScript: Uint8Array | null;
  /** Taproot: the one leaf, its hash, control block and the internal key. */
  tap: {
    leafScript: Uint8Array;
    leafHash: Uint8Array;
    controlBlock: Uint8Array;
    internalKey: Uint8Array;
  } | null;
}

/**
 * Derives keys of a descriptor fast: each key's node after its fixed steps is derived once per
 * multipath choice, its children through one deriver (see accounts/child-keys.ts).
 */
export function createKeyDeriver() {
  const cache = new Map<string, (index: number) => Uint8Array>();
  const fixed = new Map<string, Uint8Array>();
  return (key: DescriptorKey, keyIndex: number, choice: number, index: number): Uint8Array => {
    if (key.pubkey) return key.pubkey;
    const id = `${keyIndex}:${choice}`;
    if (!key.wildcard) {
      let pk = fixed.get(id);
      if (!pk) {
        let node = key.hdkey;
        for (const s of key.steps)
          node = node?.deriveChild(typeof s === 'number' ? s : (s.choices[choice] ?? 0)) ?? null;
        if (!node?.publicKey) throw new Error('no public key');
        pk = node.publicKey;
        fixed.set(id, pk);
      }
      return pk;
    }
    let child = cache.get(id);
    if (!child) {
      let node = key.hdkey;
      if (!node) throw new Error('no extended key');
      for (const s of key.steps)
        node = node.deriveChild(typeof s === 'number' ? s : (s.choices[choice] ?? 0));
      if (!node.publicKey || !node.chainCode) throw new Error('no public key');
      child = publicChildDeriver(node.publicKey, node.chainCode);
      cache.set(id, child);
    }
    return child(index);
  };
}

/** The scripts of address `index` of the `choice`-th descriptor (0 receive, 1 change for `<0;1>`). */
export function multisigScriptsAt(
  d: MultisigDescriptor,
  choice: number,
  index: number,
  derive = createKeyDeriver(),
): MultisigScripts {
  const raw = d.multi.keys.map((k, i) => ({ pubkey: derive(k, i, choice, index), keyIndex: i }));
  if (d.wrapper === 'tr') {
    const keys = raw.map((k) => ({
      pubkey: k.pubkey.length === 33 ? k.pubkey.subarray(1) : k.pubkey,
      keyIndex: k.keyIndex,
    }));
    if (d.multi.sorted) keys.sort((a, b) => compareBytes(a.pubkey, b.pubkey));
    const internal = derive(d.internalKey as DescriptorKey, -1, choice, index);
    const internalKey = internal.length === 33 ? internal.subarray(1) : internal;
    const leafScript = checkSigAddScript(
      d.multi.threshold,
      keys.map((k) => k.pubkey),
    );
    const leafHash = tapLeafHash(leafScript);
    const tweak = btcCrypto.taggedHash('TapTweak', Uint8Array.from([...internalKey, ...leafHash]));
    const tweaked = ecc.xOnlyPointAddTweak(internalKey, tweak);
    if (!tweaked) throw new Error('taproot tweak failed');
    return {
      keys,
      scriptPubKey: Uint8Array.from([0x51, 0x20, ...tweaked.xOnlyPubkey]),
      witnessScript: null,
      redeemScript: null,
      tap: {
        leafScript,
        leafHash,
        controlBlock: Uint8Array.from([TAPSCRIPT_LEAF | tweaked.parity, ...internalKey]),
        internalKey: Uint8Array.from(internalKey),
      },
    };
  }
  const keys = [...raw];
  if (d.multi.sorted) keys.sort((a, b) => compareBytes(a.pubkey, b.pubkey));
  const script = checkMultisigScript(
    d.multi.threshold,
    keys.map((k) => k.pubkey),
  );
  const p2wsh = Uint8Array.from([OP_0, 0x20, ...sha256(script)]);
  const p2sh = (inner: Uint8Array) => Uint8Array.from([OP_HASH160, 0x14, ...hash160(inner), OP_EQUAL]);
  switch (d.wrapper) {
    case 'bare':
      return { keys, scriptPubKey: script, witnessScript: null, redeemScript: null, tap: null };
    case 'sh':
      return { keys, scriptPubKey: p2sh(script), witnessScript: null, redeemScript: script, tap: null };
    case 'wsh':
      return { keys, scriptPubKey: p2wsh, witnessScript: script, redeemScript: null, tap: null };
    case 'sh-wsh':
      return { keys, scriptPubKey: p2sh(p2wsh), witnessScript: script, redeemScript: p2wsh, tap: null };
  }
}

/** The address of an output script on a network (fast paths for the segwit kinds built here). */
export function addressOfScript(scriptPubKey: Uint8Array, network: Network): string {
  const btc = networkParams(network).btc;
  if (scriptPubKey.length === 34 && scriptPubKey[0] === 0 && scriptPubKey[1] === 0x20) {
    return bech32.encode(btc.bech32, [0, ...bech32.toWords(scriptPubKey.subarray(2))]);
  }
  if (scriptPubKey.length === 34 && scriptPubKey[0] === 0x51 && scriptPubKey[1] === 0x20) {
    return bech32m.encode(btc.bech32, [1, ...bech32m.toWords(scriptPubKey.subarray(2))]);
  }
  return btcAddress.fromOutputScript(scriptPubKey, btc);
}

/**
 * Watch-only addresses of a multisig wallet: receive is the descriptor's first multipath choice,
 * change its second. The same interface the wallet sync uses for single-key accounts.
 */
export function createMultisigAddressDeriver(d: MultisigDescriptor, network: Network): AddressDeriver {
  if (d.wrapper === 'bare') {
    throw new FlashError('DESCRIPTOR_INVALID', 'A bare multisig script has no address to receive on.', {
      reason: 'no_address',
    });
  }
  const derive = createKeyDeriver();
  return {
    derive(chain: Chain, index: number): DerivedAddress {
      const { scriptPubKey } = multisigScriptsAt(d, chain, index, derive);
      return {
        chain,
        index,
        address: addressOfScript(scriptPubKey, network),
        scriptPubKey,
        scriptHash: scriptHashOf(scriptPubKey),
      };
    },
  };
}

export const hexOf = (b: Uint8Array): string => hex.encode(b);
