import { hex } from '@scure/base';
import type { HDKey } from '@scure/bip32';
import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { verifyDescriptorChecksum, withChecksum } from '../accounts/checksum';
import { formatPath, HARDENED, parsePath, type HardenedMarker } from '../accounts/paths';
import type { KeyNetwork } from '../accounts/types';
import { parseCosignerKey } from './keys';

/**
 * Output descriptors with multisig scripts (BIP380 syntax, BIP383 multi/sortedmulti, BIP387
 * multi_a/sortedmulti_a, BIP386 tr, BIP389 multipath): `wsh(…)`, `sh(wsh(…))`, `sh(…)`, bare
 * `multi(…)` and `tr(KEY, sortedmulti_a(…))` with one script leaf. Keys are extended public keys
 * with unhardened steps, or plain public keys. `/**` (the BIP388 and BIP129 shorthand) reads as
 * `/<0;1>/*`. Private keys are refused: a wallet here never holds them in a descriptor.
 */

export interface OriginInfo {
  fingerprint: string;
  path: number[];
}

/** An unhardened step, or BIP389's `<a;b;…>`: one value per descriptor the multipath one stands for. */
export type Step = number | { choices: number[] };

export interface DescriptorKey {
  origin: OriginInfo | null;
  /** Plain xpub/tpub, or null for a fixed public key. */
  xpub: string | null;
  /** The fixed public key (33 bytes, 65 uncompressed outside segwit, 32 x-only inside tr). */
  pubkey: Uint8Array | null;
  steps: Step[];
  wildcard: boolean;
  network: KeyNetwork | null;
  /** Parsed once for derivation. */
  hdkey: HDKey | null;
}

export interface MultiExpression {
  /** `sortedmulti`/`sortedmulti_a`: keys sorted per address; else the order written. */
  sorted: boolean;
  /** `multi_a`/`sortedmulti_a` (Tapscript, OP_CHECKSIGADD) rather than OP_CHECKMULTISIG. */
  tapscript: boolean;
  threshold: number;
  keys: DescriptorKey[];
}

export type Wrapper = 'bare' | 'sh' | 'wsh' | 'sh-wsh' | 'tr';

export interface MultisigDescriptor {
  wrapper: Wrapper;
  multi: MultiExpression;
  /** The Taproot internal key (usually the NUMS point); null outside tr. */
  internalKey: DescriptorKey | null;
  hardenedMarker: HardenedMarker;
  /** How many descriptors a multipath one stands for (1 without `<…>`). */
  width: number;
  checksum: string;
  checksumProvided: boolean;
}

/** BIP341's H: the x coordinate with no known discrete log, so no key path spend exists. */
export const NUMS_KEY = '50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0';

const invalid = (message: string, reason: string, details: Record<string, string | number> = {}) =>
  new FlashError('DESCRIPTOR_INVALID', message, { reason, ...details });

function splitCall(text: string): [string, string] {
  const open = text.indexOf('(');
  if (open <= 0 || !text.endsWith(')')) {
    throw invalid(
      'This is not a multisig descriptor. One looks like wsh(sortedmulti(2,[fingerprint/48h/0h/0h/2h]xpub…/<0;1>/*,…)).',
      'not_a_call',
    );
  }
  const args = text.slice(open + 1, -1);
  let depth = 0;
  for (const ch of args) {
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    if (ch === ')' || ch === '}' || ch === ']') depth--;
    if (depth < 0) throw invalid('The parentheses in this descriptor do not match.', 'unbalanced');
  }
  if (depth !== 0) throw invalid('The parentheses in this descriptor do not match.', 'unbalanced');
  return [text.slice(0, open), args];
}

function splitTopLevel(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    const ch = args[i];
    if (ch === '(' || ch === '{' || ch === '[' || ch === '<') depth++;
    else if (ch === ')' || ch === '}' || ch === ']' || ch === '>') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(args.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(args.slice(start));
  return parts;
}

const MULTI_NAMES = new Set(['multi', 'sortedmulti', 'multi_a', 'sortedmulti_a']);
const WIF = /^[5KLc9][1-9A-HJ-NP-Za-km-z]{50,51}$/;

interface KeyContext {
  network?: Network | undefined;
  /** Inside tr: x-only keys allowed, uncompressed ones not. */
  taproot: boolean;
  /** Inside wsh: compressed keys only. */
  segwit: boolean;
}

function parseStep(step: string): Step {
  if (/^<.*>$/.test(step)) {
    const inner = step.slice(1, -1);
    const values = inner.split(';');
    if (inner === '' || values.length < 2 || values.some((v) => !/^\d+$/.test(v))) {
      throw invalid(`“${step}” is not a valid multipath step: write <0;1>.`, 'bad_multipath', { step });
    }
    const choices = values.map(Number);
    if (choices.some((c) => c >= HARDENED))
      throw invalid(`“${step}” has a step too large.`, 'bad_multipath', { step });
    if (new Set(choices).size !== choices.length)
      throw invalid(`“${step}” names the same step twice.`, 'bad_multipath', { step });
    return { choices };
  }
  if (/['hH]$/.test(step)) {
    throw invalid(
      `Step “${step}” after an extended public key is hardened, which a public key cannot derive.`,
      'hardened_after_xpub',
      { step },
    );
  }
  if (!/^\d+$/.test(step) || Number(step) >= HARDENED) {
    throw invalid(`“${step}” is not a valid derivation step.`, 'bad_step', { step: step.slice(0, 20) });
  }
  return Number(step);
}

function parseKey(expr: string, ctx: KeyContext): { key: DescriptorKey; marker: HardenedMarker | null } {
  let rest = expr.trim();
  let origin: OriginInfo | null = null;
  let marker: HardenedMarker | null = null;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw invalid('A key origin “[…” is not closed with “]”.', 'origin_unclosed');
    const [fingerprint = '', ...steps] = rest.slice(1, close).split('/');
    rest = rest.slice(close + 1);
    if (!/^[0-9a-fA-F]{8}$/.test(fingerprint)) {
      throw invalid(
        `A key origin starts with the 8-hex-digit master fingerprint; “${fingerprint.slice(0, 20)}” is not one.`,
        'bad_fingerprint',
      );
    }
    if (steps.some((s) => s.includes('<'))) {
      throw invalid('A multipath step cannot be inside a key origin.', 'multipath_in_origin');
    }
    if (steps.some((s) => s.endsWith("'"))) marker = "'";
    else if (steps.some((s) => /[hH]$/.test(s))) marker = 'h';
    origin = {
      fingerprint: fingerprint.toLowerCase(),
      path: steps.length > 0 ? parsePath(steps.join('/'), 'key origin') : [],
    };
  }
  const [keyText = '', ...rawSteps] = rest.split('/');
  const steps = rawSteps.flatMap((s) => (s === '**' ? ['<0;1>', '*'] : [s]));
  if (WIF.test(keyText) || /^[xtyzuvYZUV]prv/.test(keyText)) {
    throw new FlashError(
      'XPUB_IS_PRIVATE',
      'This descriptor contains a private key, which can spend the money. Export the wallet with public keys only (xpub).',
      { prefix: 'private' },
    );
  }
  if (/^[0-9a-fA-F]+$/.test(keyText)) {
    const bytes = hex.decode(keyText.toLowerCase());
    const ok =
      (bytes.length === 33 && (bytes[0] === 2 || bytes[0] === 3)) ||
      (bytes.length === 32 && ctx.taproot) ||
      (bytes.length === 65 && bytes[0] === 4 && !ctx.segwit && !ctx.taproot);
    if (!ok) throw invalid('A public key in this descriptor has the wrong size or form.', 'bad_pubkey');
    if (steps.length > 0)
      throw invalid('A plain public key cannot have derivation steps.', 'steps_on_pubkey');
    return {
      key: { origin, xpub: null, pubkey: bytes, steps: [], wildcard: false, network: null, hdkey: null },
      marker,
    };
  }
  const parsed = parseCosignerKey(keyText, ctx.network);
  let wildcard = false;
  const parsedSteps: Step[] = [];
  steps.forEach((s, i) => {
    if (s === '*' && i === steps.length - 1) {
      wildcard = true;
      return;
    }
    if (s === '*' || /^\*['hH]$/.test(s)) {
      throw invalid(
        s === '*'
          ? 'A wildcard * may only be the last step.'
          : 'This descriptor uses hardened derivation (/*h) after an extended public key, which a public key cannot do.',
        'bad_wildcard',
      );
    }
    parsedSteps.push(parseStep(s));
  });
  if (parsedSteps.filter((s) => typeof s !== 'number').length > 1) {
    throw invalid('A key may have one multipath step <…;…> only.', 'multiple_multipath');
  }
  return {
    key: {
      origin,
      xpub: parsed.xpub,
      pubkey: null,
      steps: parsedSteps,
      wildcard,
      network: parsed.network,
      hdkey: parsed.hdkey,
    },
    marker,
  };
}

function parseMulti(
  text: string,
  ctx: KeyContext,
  wrapper: Wrapper,
): { multi: MultiExpression; markers: HardenedMarker[] } {
  const [name, args] = splitCall(text.trim());
  if (!MULTI_NAMES.has(name)) {
    throw invalid(
      `Flash reads multisig descriptors made of multi, sortedmulti, multi_a or sortedmulti_a; “${name.slice(0, 30)}” is not one of them.`,
      'unknown_function',
      { function: name.slice(0, 40) },
    );
  }
  const tapscript = name.endsWith('_a');
  if (tapscript !== ctx.taproot) {
    throw invalid(
      tapscript ? `${name}() belongs inside tr().` : `${name}() cannot be used inside tr(); use ${name}_a().`,
      'wrong_context',
    );
  }
  const [thresholdText = '', ...keyTexts] = splitTopLevel(args);
  if (!/^[1-9]\d*$/.test(thresholdText.trim())) {
    throw invalid(
      `The number of signatures needed must be a whole number; “${thresholdText.slice(0, 10)}” is not.`,
      'bad_threshold',
    );
  }
  const threshold = Number(thresholdText.trim());
  if (keyTexts.length === 0) throw invalid('A multisig needs at least one key.', 'no_keys');
  const maxKeys = tapscript ? 999 : wrapper === 'sh' || wrapper === 'bare' ? 15 : 20;
  if (keyTexts.length > maxKeys) {
    throw invalid(`${wrapper === 'sh' ? 'P2SH' : name}() takes at most ${maxKeys} keys.`, 'too_many_keys', {
      keys: keyTexts.length,
    });
  }
  if (threshold > keyTexts.length) {
    throw invalid(
      `${threshold} signatures can never be found among ${keyTexts.length} keys.`,
      'threshold_above_keys',
      {
        threshold,
        keys: keyTexts.length,
      },
    );
  }
  const parsed = keyTexts.map((k) => parseKey(k, ctx));
  return {
    multi: { sorted: name.startsWith('sorted'), tapscript, threshold, keys: parsed.map((p) => p.key) },
    markers: parsed.map((p) => p.marker).filter((m): m is HardenedMarker => m !== null),
  };
}

/** Parses a multisig descriptor; a wrong checksum is DESCRIPTOR_BAD_CHECKSUM, a missing one is reported. */
export function parseMultisigDescriptor(
  text: string,
  options: { network?: Network } = {},
): MultisigDescriptor {
  const trimmed = text.trim();
  if (trimmed === '') throw invalid('Paste the wallet’s descriptor.', 'empty');
  const { body, checksum, checksumProvided } = verifyDescriptorChecksum(trimmed);
  const [name, args] = splitCall(body);
  const net = options.network;
  let wrapper: Wrapper;
  let multiText: string;
  let internalKey: DescriptorKey | null = null;
  const markers: HardenedMarker[] = [];
  if (name === 'wsh') {
    wrapper = 'wsh';
    multiText = args;
  } else if (name === 'sh') {
    const [inner, innerArgs] = splitCall(args.trim());
    if (inner === 'wsh') {
      wrapper = 'sh-wsh';
      multiText = innerArgs;
    } else {
      wrapper = 'sh';
      multiText = args;
    }
  } else if (name === 'tr') {
    wrapper = 'tr';
    const parts = splitTopLevel(args);
    if (parts.length !== 2) {
      throw invalid('A Taproot multisig is tr(INTERNAL_KEY, sortedmulti_a(…)).', 'tr_shape');
    }
    const tree = (parts[1] ?? '').trim();
    if (tree.startsWith('{')) {
      throw invalid(
        'Flash reads Taproot multisig with one script leaf: tr(KEY, sortedmulti_a(…)).',
        'tr_tree',
      );
    }
    const internal = parseKey(parts[0] ?? '', { network: net, taproot: true, segwit: true });
    internalKey = internal.key;
    if (internal.marker) markers.push(internal.marker);
    multiText = tree;
  } else if (MULTI_NAMES.has(name)) {
    wrapper = 'bare';
    multiText = body;
  } else {
    throw invalid(
      `“${name.slice(0, 30)}()” is not a multisig descriptor. Flash reads wsh(), sh(wsh()), sh() and tr() around sortedmulti.`,
      'unknown_function',
      { function: name.slice(0, 40) },
    );
  }
  const ctx: KeyContext = {
    network: net,
    taproot: wrapper === 'tr',
    segwit: wrapper === 'wsh' || wrapper === 'sh-wsh',
  };
  const { multi, markers: keyMarkers } = parseMulti(multiText, ctx, wrapper);
  markers.push(...keyMarkers);
  const all = internalKey ? [internalKey, ...multi.keys] : multi.keys;
  const widths = new Set(
    all.flatMap((k) =>
      k.steps.filter((s): s is { choices: number[] } => typeof s !== 'number').map((s) => s.choices.length),
    ),
  );
  if (widths.size > 1)
    throw invalid('The multipath steps <…> of the keys have different lengths.', 'multipath_mismatch');
  const networks = new Set(all.map((k) => k.network).filter((n) => n !== null));
  if (networks.size > 1) {
    throw new FlashError('XPUB_WRONG_NETWORK', 'This descriptor mixes mainnet and test network keys.', {
      reason: 'mixed_networks',
    });
  }
  return {
    wrapper,
    multi,
    internalKey,
    hardenedMarker: markers[0] ?? 'h',
    width: [...widths][0] ?? 1,
    checksum,
    checksumProvided,
  };
}

export interface SerializeOptions {
  /** Expand a multipath descriptor into its `choice`-th one (BIP389). */
  choice?: number;
  /** Write `<0;1>/*` as `/**` (BIP388/BIP129 template shorthand; not a BIP380 descriptor). */
  shorthand?: boolean;
  checksum?: boolean;
  hardenedMarker?: HardenedMarker;
}

function keyText(key: DescriptorKey, marker: HardenedMarker, options: SerializeOptions): string {
  const origin = key.origin
    ? `[${[key.origin.fingerprint, formatPath(key.origin.path, marker, false)].filter((s) => s !== '').join('/')}]`
    : '';
  const base = key.xpub ?? hex.encode(key.pubkey ?? new Uint8Array());
  const steps = key.steps.map((s) =>
    typeof s === 'number'
      ? String(s)
      : options.choice !== undefined
        ? String(s.choices[options.choice])
        : `<${s.choices.join(';')}>`,
  );
  let tail = [...steps, ...(key.wildcard ? ['*'] : [])].join('/');
  if (options.shorthand && tail === '<0;1>/*') tail = '**';
  return `${origin}${base}${tail ? `/${tail}` : ''}`;
}

/** Writes the descriptor back (with checksum unless asked not to). */
export function serializeMultisigDescriptor(d: MultisigDescriptor, options: SerializeOptions = {}): string {
  const marker = options.hardenedMarker ?? d.hardenedMarker;
  const name = `${d.multi.sorted ? 'sorted' : ''}multi${d.multi.tapscript ? '_a' : ''}`;
  const multi = `${name}(${[String(d.multi.threshold), ...d.multi.keys.map((k) => keyText(k, marker, options))].join(',')})`;
  let body: string;
  switch (d.wrapper) {
    case 'bare':
      body = multi;
      break;
    case 'sh':
      body = `sh(${multi})`;
      break;
    case 'wsh':
      body = `wsh(${multi})`;
      break;
    case 'sh-wsh':
      body = `sh(wsh(${multi}))`;
      break;
    case 'tr':
      body = `tr(${keyText(d.internalKey as DescriptorKey, marker, options)},${multi})`;
      break;
  }
  // `/**` is not descriptor syntax, so a shorthand text carries no checksum.
  return options.checksum === false || options.shorthand ? body : withChecksum(body);
}
