import { FlashError } from '../../../shared/errors';
import { formatPath, parsePath } from '../accounts/paths';
import { parseMultisigDescriptor, serializeMultisigDescriptor } from './descriptor';
import { NUMS_KEY } from './descriptor';
import type { MultisigPolicy } from './types';

/**
 * BIP388 wallet policies: the form Ledger (and BitBox02, Jade) register a multisig wallet in. A
 * descriptor template with key placeholders `@i/**`, and the key information vector
 * `[fingerprint/path']xpub`. Taproot with the NUMS point has no place here: BIP388 keys are xpubs
 * only, so a `tr(NUMS, …)` wallet cannot be written as a policy (Ledger cannot register it).
 */
export interface WalletPolicyText {
  template: string;
  keys: string[];
}

const SCRIPT_TEMPLATE = {
  wsh: (multi: string) => `wsh(${multi})`,
  'sh-wsh': (multi: string) => `sh(wsh(${multi}))`,
} as const;

export function toWalletPolicy(policy: MultisigPolicy): WalletPolicyText {
  if (policy.script === 'tr') {
    throw new FlashError(
      'MULTISIG_DEVICE_UNSUPPORTED',
      'A Taproot multisig with the NUMS internal key cannot be written as a BIP388 wallet policy (its keys must all be xpubs), so a Ledger cannot register it.',
      { script: 'tr' },
    );
  }
  const placeholders = policy.keys.map((_, i) => `@${i}/**`).join(',');
  return {
    template: SCRIPT_TEMPLATE[policy.script](`sortedmulti(${policy.threshold},${placeholders})`),
    // Ledger's app writes hardened steps with an apostrophe.
    keys: policy.keys.map((k) => `[${k.fingerprint}/${formatPath(parsePath(k.path), "'", false)}]${k.xpub}`),
  };
}

const invalid = (message: string, reason: string) =>
  new FlashError('DESCRIPTOR_INVALID', message, { reason });

/**
 * Template + keys -> descriptor (BIP388 "descriptor derivation"), after BIP388's rules on the
 * placeholders: each `@i` followed by `/**` or `/<M;N>/*`, first uses in order, none skipped,
 * no key given twice with overlapping paths, no plain key in the template.
 */
export function walletPolicyToDescriptor(template: string, keys: readonly string[]): string {
  const uses = [...template.matchAll(/@(\d+)(\/\*\*|\/<(\d+);(\d+)>\/\*)?/g)];
  if (/(^|[(,])\s*\[?[0-9a-fA-F]{8}|[xt]pub/.test(template)) {
    throw invalid('A descriptor template names keys by placeholder only (@0, @1, …).', 'key_in_template');
  }
  let next = 0;
  const seen = new Map<string, Set<number>>();
  for (const u of uses) {
    const index = u[1] ?? '';
    if (index.length > 1 && index.startsWith('0'))
      throw invalid(`@${index} has a leading zero.`, 'leading_zero');
    const i = Number(index);
    if (!u[2]) throw invalid(`@${i} must be followed by /** or /<M;N>/*.`, 'no_path');
    if (i > next)
      throw invalid(`@${i} appears before @${next}.`, i === next + 1 ? 'out_of_order' : 'skipped');
    if (i === next) next++;
    const paths = u[3] !== undefined ? [Number(u[3]), Number(u[4])] : [0, 1];
    if (paths[0] === paths[1]) throw invalid('A multipath step names the same path twice.', 'same_path');
    const used = seen.get(index) ?? new Set<number>();
    for (const p of paths) {
      if (used.has(p)) throw invalid(`@${i}/${p}/* appears twice.`, 'repeated_key');
      used.add(p);
    }
    seen.set(index, used);
  }
  if (/@\d+\/<\d+;\d+;/.test(template))
    throw invalid('A wallet policy allows two derivation paths per key.', 'cardinality');
  if (/@\d+\/\d/.test(template))
    throw invalid('A placeholder takes /** or /<M;N>/*, not an explicit path.', 'explicit_path');
  if (next !== keys.length)
    throw invalid(`The template uses ${next} keys but ${keys.length} are given.`, 'key_count');
  const body = template
    .replace(/@(\d+)\/\*\*/g, (_, i: string) => `${keys[Number(i)] ?? ''}/<0;1>/*`)
    .replace(/@(\d+)\//g, (_, i: string) => `${keys[Number(i)] ?? ''}/`);
  // Parsing checks everything else (key syntax, networks, multisig shape).
  return serializeMultisigDescriptor(parseMultisigDescriptor(body), { hardenedMarker: "'" });
}

export { NUMS_KEY };
