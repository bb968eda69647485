import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import type { Db } from '../../store/database';
import type { MultisigSpend } from '../send/size';
import { descriptorOf } from './policy';
import { createMultisigRepository } from './repository';
import { createKeyDeriver, multisigScriptsAt, type MultisigScripts } from './scripts';
import type { MultisigDescriptor } from './descriptor';
import type { Cosigner, MultisigPolicy } from './types';
import { keyNetworkOf } from '../accounts/types';

/** A multisig wallet as signing and sending need it: policy, cosigners, scripts per address. */
export interface MultisigAccount {
  walletId: string;
  network: Network;
  policy: MultisigPolicy;
  cosigners: Cosigner[];
  descriptor: MultisigDescriptor;
  spend: MultisigSpend;
  /** Scripts of (chain, index), cached. */
  scriptsAt(chain: 0 | 1, index: number): MultisigScripts;
}

export function createMultisigAccount(
  walletId: string,
  network: Network,
  policy: MultisigPolicy,
  cosigners: Cosigner[],
): MultisigAccount {
  const descriptor = descriptorOf(policy);
  const derive = createKeyDeriver();
  const cache = new Map<string, MultisigScripts>();
  return {
    walletId,
    network,
    policy,
    cosigners,
    descriptor,
    spend: { script: policy.script, threshold: policy.threshold, keys: policy.keys.length },
    scriptsAt(chain, index) {
      const key = `${chain}/${index}`;
      let s = cache.get(key);
      if (!s) {
        s = multisigScriptsAt(descriptor, chain, index, derive);
        if (cache.size > 10_000) cache.clear();
        cache.set(key, s);
      }
      return s;
    },
  };
}

/** Reads a multisig wallet's account from the store; null when the wallet is not multisig. */
export function loadMultisigAccount(db: Db, walletId: string, network: Network): MultisigAccount | null {
  const row = createMultisigRepository(db).get(walletId);
  if (!row) return null;
  if (row.cosigners.length === 0) {
    throw new FlashError('MULTISIG_INVALID', 'This multisig wallet has no cosigners stored.', { walletId });
  }
  const policy: MultisigPolicy = {
    script: row.script,
    threshold: row.threshold,
    keys: row.cosigners.map((c) => ({ fingerprint: c.fingerprint, path: c.path, xpub: c.xpub })),
    network: keyNetworkOf(network),
  };
  return createMultisigAccount(walletId, network, policy, row.cosigners);
}
