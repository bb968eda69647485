import type { Network } from '../../../shared/contract';
import type { KeyNetwork } from '../accounts/types';

/**
 * The multisig output kinds Flash builds wallets for: P2WSH `wsh(sortedmulti)`, nested
 * `sh(wsh(sortedmulti))` for older senders, and Taproot `tr(NUMS, sortedmulti_a)` (script path only:
 * the internal key is the BIP341 "nothing up my sleeve" point, so no single key can spend).
 */
export const MULTISIG_SCRIPTS = ['wsh', 'sh-wsh', 'tr'] as const;
export type MultisigScript = (typeof MULTISIG_SCRIPTS)[number];

/** OP_CHECKMULTISIG counts at most 20 keys, but P2SH and standardness stop at 15; Flash keeps 15 for all. */
export const MAX_COSIGNERS = 15;

/** Who holds a cosigner's key: a Ledger, a Trezor, Flash's own words, or someone/something outside (air-gapped). */
export type CosignerKind = 'ledger' | 'trezor' | 'seed' | 'watch';

/** One key of the wallet: its master fingerprint, the path to the account key, and that key. */
export interface CosignerKey {
  /** 8 lowercase hex digits. */
  fingerprint: string;
  /** `m/48'/1'/0'/2'`. */
  path: string;
  /** Account key with plain BIP32 version bytes (xpub/tpub). */
  xpub: string;
}

export interface Cosigner extends CosignerKey {
  label: string;
  kind: CosignerKind;
  /** For kind 'seed': the account whose vault secret holds the words. */
  seedWalletId: string | null;
}

/**
 * A multisig wallet as Flash keeps it: k of the n keys sign. Keys are in the order the descriptor
 * lists them; `sortedmulti` sorts them per address, so that order changes no address.
 */
export interface MultisigPolicy {
  script: MultisigScript;
  threshold: number;
  keys: CosignerKey[];
  network: KeyNetwork;
}

/** BIP48 script type step: 1' nested P2SH-P2WSH, 2' native P2WSH; 3' is the common choice for Taproot. */
export const BIP48_SCRIPT_STEP: Readonly<Record<MultisigScript, 1 | 2 | 3>> = {
  'sh-wsh': 1,
  wsh: 2,
  tr: 3,
};

/** `m/48'/coin'/account'/script'`: BIP48's cosigner path. */
export function bip48Path(script: MultisigScript, network: Network, account = 0): string {
  const coin = network === 'mainnet' ? 0 : 1;
  return `m/48'/${coin}'/${account}'/${BIP48_SCRIPT_STEP[script]}'`;
}

export const SCRIPT_LABEL: Readonly<Record<MultisigScript, string>> = {
  wsh: 'Native SegWit multisig (P2WSH)',
  'sh-wsh': 'Nested SegWit multisig (P2SH-P2WSH)',
  tr: 'Taproot multisig (P2TR script path)',
};
