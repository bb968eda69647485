import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { formatPath, parsePath } from '../accounts/paths';
import { keyNetworkOf } from '../accounts/types';
import {
  NUMS_KEY,
  parseMultisigDescriptor,
  serializeMultisigDescriptor,
  type DescriptorKey,
  type MultisigDescriptor,
} from './descriptor';
import { parseCosignerKey, requireFingerprint } from './keys';
import { hexOf, multisigScriptsAt } from './scripts';
import { MAX_COSIGNERS, type CosignerKey, type MultisigPolicy, type MultisigScript } from './types';
import { hex } from '@scure/base';

const invalid = (message: string, reason: string, details: Record<string, string | number> = {}) =>
  new FlashError('MULTISIG_INVALID', message, { reason, ...details });

/**
 * Checks a wallet before it exists: 1 ≤ k ≤ n ≤ 15, every key an account xpub with its origin,
 * all on the wallet's network, no key twice (BIP388: keys pairwise distinct).
 */
export function checkPolicy(policy: MultisigPolicy, network?: Network): MultisigPolicy {
  const n = policy.keys.length;
  if (n < 1 || n > MAX_COSIGNERS) {
    throw invalid(
      `A multisig wallet has from 1 to ${MAX_COSIGNERS} cosigners; this one has ${n}.`,
      'cosigner_count',
      { n },
    );
  }
  if (!Number.isInteger(policy.threshold) || policy.threshold < 1 || policy.threshold > n) {
    throw invalid(`The signatures needed must be from 1 to ${n}.`, 'threshold', {
      threshold: policy.threshold,
      n,
    });
  }
  const seen = new Map<string, number>();
  const keys = policy.keys.map((k, i) => {
    const parsed = parseCosignerKey(k.xpub, network);
    if (parsed.network !== policy.network) {
      throw new FlashError('XPUB_WRONG_NETWORK', `Cosigner ${i + 1}'s key is for another network.`, {
        cosigner: i + 1,
      });
    }
    const pk = hexOf(parsed.publicKey);
    const twin = seen.get(pk);
    if (twin !== undefined) {
      throw invalid(
        `Cosigners ${twin + 1} and ${i + 1} are the same key: each cosigner must hold a different key, or k seeds would not be k signers.`,
        'duplicate_key',
        { first: twin + 1, second: i + 1 },
      );
    }
    seen.set(pk, i);
    return {
      fingerprint: requireFingerprint(k.fingerprint),
      path: formatPath(parsePath(k.path, 'cosigner path', 'BAD_INPUT'), "'"),
      xpub: parsed.xpub,
    };
  });
  return { ...policy, keys };
}

/** The wallet's descriptor model: every key `[fp/path]xpub/<0;1>/*`, sortedmulti, NUMS internal key for tr. */
export function descriptorOf(policy: MultisigPolicy): MultisigDescriptor {
  const keys: DescriptorKey[] = policy.keys.map((k) => {
    const parsed = parseCosignerKey(k.xpub);
    return {
      origin: { fingerprint: k.fingerprint, path: parsePath(k.path, 'cosigner path', 'BAD_INPUT') },
      xpub: parsed.xpub,
      pubkey: null,
      steps: [{ choices: [0, 1] }],
      wildcard: true,
      network: parsed.network,
      hdkey: parsed.hdkey,
    };
  });
  const wrapper = policy.script === 'tr' ? 'tr' : policy.script;
  return {
    wrapper,
    multi: { sorted: true, tapscript: policy.script === 'tr', threshold: policy.threshold, keys },
    internalKey:
      policy.script === 'tr'
        ? {
            origin: null,
            xpub: null,
            pubkey: hex.decode(NUMS_KEY),
            steps: [],
            wildcard: false,
            network: null,
            hdkey: null,
          }
        : null,
    hardenedMarker: 'h',
    width: 2,
    checksum: '',
    checksumProvided: true,
  };
}

/** BIP380/389 text with checksum: `wsh(sortedmulti(2,[fp/48h/1h/0h/2h]tpub…/<0;1>/*,…))#…`. */
export function policyDescriptor(policy: MultisigPolicy, options: { shorthand?: boolean } = {}): string {
  return serializeMultisigDescriptor(descriptorOf(policy), options);
}

/** The receive (0) or change (1) descriptor, BIP389-expanded, with checksum. */
export function chainDescriptor(policy: MultisigPolicy, chain: 0 | 1): string {
  return serializeMultisigDescriptor(descriptorOf(policy), { choice: chain });
}

/**
 * A wallet from a parsed descriptor: only the shapes Flash builds wallets for (sorted keys in
 * wsh, sh(wsh) or tr with the NUMS point), every key an xpub with its origin and `/<0;1>/*`.
 * A receive-only `/0/*` descriptor is read as `/<0;1>/*` (reported in `changeInferred`).
 */
export function policyFromDescriptor(
  d: MultisigDescriptor,
  network: Network,
): { policy: MultisigPolicy; changeInferred: boolean } {
  if (d.wrapper === 'bare' || d.wrapper === 'sh') {
    throw new FlashError(
      'MULTISIG_UNSUPPORTED',
      'Legacy P2SH and bare multisig wallets are not supported; Flash uses wsh(sortedmulti), sh(wsh(sortedmulti)) and tr(NUMS, sortedmulti_a).',
      { wrapper: d.wrapper },
    );
  }
  if (!d.multi.sorted) {
    throw new FlashError(
      'MULTISIG_UNSUPPORTED',
      'This wallet uses multi() with a fixed key order; Flash supports sortedmulti wallets (what Coldcard, Sparrow, Specter and Caravan make).',
      { function: 'multi' },
    );
  }
  if (
    d.wrapper === 'tr' &&
    (!d.internalKey?.pubkey ||
      hexOf(d.internalKey.pubkey.length === 33 ? d.internalKey.pubkey.subarray(1) : d.internalKey.pubkey) !==
        NUMS_KEY)
  ) {
    throw new FlashError(
      'MULTISIG_UNSUPPORTED',
      'This Taproot multisig has a key-path key; Flash reads Taproot multisig whose internal key is the unspendable NUMS point.',
      { reason: 'internal_key' },
    );
  }
  let changeInferred = false;
  const keys: CosignerKey[] = d.multi.keys.map((k, i) => {
    if (!k.xpub || !k.wildcard) {
      throw invalid(`Cosigner ${i + 1} is not an extended public key ending in /<0;1>/*.`, 'key_shape', {
        cosigner: i + 1,
      });
    }
    if (!k.origin || k.origin.path.length === 0) {
      throw invalid(
        `Cosigner ${i + 1} has no key origin [fingerprint/path]: signers could not find their keys.`,
        'no_origin',
        { cosigner: i + 1 },
      );
    }
    const step = k.steps[0];
    const multipath = k.steps.length === 1 && typeof step !== 'number' && step?.choices.join(';') === '0;1';
    const receiveOnly = k.steps.length === 1 && step === 0;
    if (!multipath && !receiveOnly) {
      throw invalid(`Cosigner ${i + 1} must end in /<0;1>/* (or /0/*).`, 'key_steps', { cosigner: i + 1 });
    }
    if (receiveOnly) changeInferred = true;
    return { fingerprint: k.origin.fingerprint, path: formatPath(k.origin.path, "'"), xpub: k.xpub };
  });
  const keyNetwork = d.multi.keys[0]?.network ?? keyNetworkOf(network);
  const script: MultisigScript = d.wrapper;
  const policy = checkPolicy({ script, threshold: d.multi.threshold, keys, network: keyNetwork }, network);
  return { policy, changeInferred };
}

/** Parses a wallet descriptor (text) straight into a wallet policy. */
export function policyFromDescriptorText(text: string, network: Network) {
  const d = parseMultisigDescriptor(text, { network });
  return { ...policyFromDescriptor(d, network), checksumProvided: d.checksumProvided };
}

/** The first receive address: what BSMS records and backup sheets print to check a restore. */
export function firstAddress(
  policy: MultisigPolicy,
  network: Network,
  addressOf: (spk: Uint8Array, n: Network) => string,
): string {
  return addressOf(multisigScriptsAt(descriptorOf(policy), 0, 0).scriptPubKey, network);
}

/** Identity of a wallet regardless of key order or text form: two imports of one wallet compare equal. */
export function policyId(policy: MultisigPolicy): string {
  const keys = policy.keys.map((k) => `${k.fingerprint}${k.path}${k.xpub}`).sort();
  return `${policy.script}:${policy.threshold}:${keys.join(',')}`;
}
