import { hex } from '@scure/base';
import { createAccountAddressDeriver } from '../accounts/addresses';
import type { ScriptType } from '../accounts/types';
import type { MultisigAccount } from '../multisig/account';
import { createAccountKeys, type AccountRef } from './psbt';

/** Where one of our scripts sits in the account: chain 0 receive, 1 change. */
export interface OwnedScript {
  chain: 0 | 1;
  index: number;
}

/** A key origin as a PSBT output claims it (BIP174 bip32Derivation / BIP371 tapBip32Derivation). */
export interface ClaimedOrigin {
  masterFingerprint: Uint8Array;
  path: string;
  /** The key the origin names (multisig change checks it against the key derived there). */
  pubkey?: Uint8Array;
}

export interface OutputClaims {
  bip32Derivation?: readonly ClaimedOrigin[] | undefined;
  tapBip32Derivation?: readonly ClaimedOrigin[] | undefined;
}

/** The addresses the wallet derived and watches, by script (the wallet's own table). */
export type KnownScripts = (script: Uint8Array) => OwnedScript | null;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The one answer, for review, signing and the hardware confirm step alike, to "is this output
 * ours, and is it change". A PSBT can claim anything: a key origin on a stranger's output would
 * hide that payment among the change lines. So an output is ours only when this account derives
 * exactly its script at the place it sits, and that place is an address the wallet watches (a
 * "change" output far beyond the gap limit would never show up in the balance). When the PSBT
 * names an origin, that claimed place is the one checked; a claim with a foreign fingerprint, a
 * path outside this account, or a script that does not match makes the output a recipient.
 */
export function createOwnership(account: AccountRef & { scriptType: ScriptType }, known: KnownScripts) {
  const keys = createAccountKeys(account);
  const deriver = createAccountAddressDeriver(account.xpub, account.scriptType, account.network);
  const fingerprint = hex.encode(keys.fingerprint);
  // Paths we write are `${base}/${chain}/${index}` (see createAccountKeys); other signers write the same.
  const base = keys.path(0, 0).replace(/\/0\/0$/, '');
  const derivesTo = (place: OwnedScript, script: Uint8Array): boolean =>
    sameBytes(deriver.derive(place.chain, place.index).scriptPubKey, script);

  function claimedPlace(origin: ClaimedOrigin): OwnedScript | null {
    if (hex.encode(origin.masterFingerprint) !== fingerprint) return null;
    if (!origin.path.startsWith(`${base}/`)) return null;
    const rest = origin.path.slice(base.length + 1).split('/');
    if (rest.length !== 2 || !/^[01]$/.test(rest[0] ?? '') || !/^\d{1,10}$/.test(rest[1] ?? '')) return null;
    const index = Number(rest[1]);
    if (index > 0x7fffffff) return null;
    return { chain: rest[0] === '1' ? 1 : 0, index };
  }

  function ownerOf(script: Uint8Array, claims?: OutputClaims): OwnedScript | null {
    const watched = known(script);
    if (!watched || !derivesTo(watched, script)) return null;
    const origins = [...(claims?.tapBip32Derivation ?? []), ...(claims?.bip32Derivation ?? [])];
    if (origins.length === 0) return watched;
    // Some origin must name exactly the place where we derive this script.
    const agrees = origins.some((o) => {
      const place = claimedPlace(o);
      return place !== null && place.chain === watched.chain && place.index === watched.index;
    });
    return agrees ? watched : null;
  }

  return {
    ownerOf,
    /** Our change: derived by this account on its change chain (1). */
    isChange(script: Uint8Array, claims?: OutputClaims): boolean {
      return ownerOf(script, claims)?.chain === 1;
    },
  };
}

export type Ownership = Pick<ReturnType<typeof createOwnership>, 'ownerOf' | 'isChange'>;

/**
 * The same answer for a k-of-n wallet (main/bitcoin/multisig): an output is ours only when its
 * script is the one this wallet derives at the place it sits, among the addresses it watches, and
 * when the PSBT claims origins, they must name that place for every one of the n keys, each under
 * its cosigner's fingerprint and path with the key the wallet derives there. One cosigner's claim
 * alone (or a claim missing a cosigner) is not enough: a change output that k-1 of the keys do not
 * control is a payment away.
 */
export function createMultisigOwnership(account: MultisigAccount, known: KnownScripts) {
  function claimsAgree(place: OwnedScript, claims: OutputClaims): boolean {
    const origins = [...(claims.tapBip32Derivation ?? []), ...(claims.bip32Derivation ?? [])];
    if (origins.length === 0) return true;
    const scripts = account.scriptsAt(place.chain, place.index);
    return scripts.keys.every((k) => {
      const cosigner = account.policy.keys[k.keyIndex];
      if (!cosigner) return false;
      const wanted = `${cosigner.path}/${place.chain}/${place.index}`;
      return origins.some((o) => {
        const pubkey = (o as { pubkey?: Uint8Array }).pubkey;
        return (
          hex.encode(o.masterFingerprint) === cosigner.fingerprint &&
          o.path.replace(/h/g, "'") === wanted &&
          (pubkey === undefined || sameBytes(pubkey, k.pubkey))
        );
      });
    });
  }

  function ownerOf(script: Uint8Array, claims?: OutputClaims): OwnedScript | null {
    const watched = known(script);
    if (!watched || !sameBytes(account.scriptsAt(watched.chain, watched.index).scriptPubKey, script))
      return null;
    if (claims && !claimsAgree(watched, claims)) return null;
    return watched;
  }

  return {
    ownerOf,
    isChange(script: Uint8Array, claims?: OutputClaims): boolean {
      return ownerOf(script, claims)?.chain === 1;
    },
  };
}
