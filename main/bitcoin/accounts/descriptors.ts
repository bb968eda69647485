import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { verifyDescriptorChecksum, withChecksum } from './checksum';
import { parseExtendedKey } from './extended-keys';
import { formatPath, parsePath, type HardenedMarker } from './paths';
import {
  ACCOUNT_TYPE_INFO,
  accountTypeOfScript,
  type AccountType,
  type KeyNetwork,
  type ScriptType,
} from './types';

/** BIP380 key origin: the master key's fingerprint and the path from it to the account key. */
export interface KeyOrigin {
  /** 8 lowercase hex digits. */
  fingerprint: string;
  /** Child numbers; hardened ones are >= 2^31. */
  path: number[];
}

/**
 * Which addresses one descriptor covers: both chains through BIP389 multipath `/<0;1>/*`,
 * or one chain (`/0/*` receive, `/1/*` change).
 */
export type DescriptorChains = 'multipath' | 0 | 1;

export interface ParsedDescriptor {
  type: AccountType;
  scriptType: ScriptType;
  network: KeyNetwork;
  origin: KeyOrigin | null;
  /** Account key with plain BIP32 version bytes (xpub/tpub), as descriptors carry it. */
  xpub: string;
  chains: DescriptorChains;
  /** Whether the origin wrote hardened steps as `'` or `h`; kept so a round trip gives the same text. */
  hardenedMarker: HardenedMarker;
  /** The correct checksum of the descriptor. */
  checksum: string;
  checksumProvided: boolean;
}

/** A single-key account as descriptors describe it: what a watch-only account needs to exist. */
export interface AccountDescriptor {
  type: AccountType;
  scriptType: ScriptType;
  network: KeyNetwork;
  origin: KeyOrigin | null;
  xpub: string;
  hardenedMarker: HardenedMarker;
}

export interface DescriptorImport extends AccountDescriptor {
  /**
   * Things the user should be told, none fatal: `checksum_missing` (a descriptor came without
   * `#checksum`, so typos could not be caught), `change_inferred` (only the receive descriptor was
   * given; change is assumed to be the `/1/*` chain).
   */
  warnings: ('checksum_missing' | 'change_inferred')[];
}

export interface DescriptorOptions {
  /** The wallet's network: keys for the other network are rejected. */
  network?: Network;
}

const FUNCTION_OF: Readonly<Record<ScriptType, string>> = {
  pkh: 'pkh',
  'sh-wpkh': 'sh',
  wpkh: 'wpkh',
  tr: 'tr',
};
const MULTISIG_FUNCTIONS = new Set(['multi', 'sortedmulti', 'multi_a', 'sortedmulti_a']);
const OTHER_KNOWN_FUNCTIONS = new Set(['pk', 'combo', 'addr', 'raw', 'rawtr', 'wsh', 'sh']);

function descriptorError(
  message: string,
  reason: string,
  details: Record<string, string | number> = {},
): FlashError {
  return new FlashError('DESCRIPTOR_INVALID', message, { reason, ...details });
}

/** `name(args)` -> [name, args]; the closing parenthesis must end the text. */
function splitCall(text: string): [string, string] {
  const open = text.indexOf('(');
  if (open <= 0 || !text.endsWith(')')) {
    throw descriptorError(
      'This is not an output descriptor. A descriptor looks like wpkh([fingerprint/84h/0h/0h]xpub…/<0;1>/*).',
      'not_a_call',
    );
  }
  const name = text.slice(0, open);
  const args = text.slice(open + 1, -1);
  let depth = 0;
  for (const ch of args) {
    if (ch === '(' || ch === '{') depth++;
    if (ch === ')' || ch === '}') depth--;
    if (depth < 0) throw descriptorError('The parentheses in this descriptor do not match.', 'unbalanced');
  }
  if (depth !== 0) throw descriptorError('The parentheses in this descriptor do not match.', 'unbalanced');
  return [name, args];
}

function hasTopLevelComma(args: string): boolean {
  let depth = 0;
  for (const ch of args) {
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) return true;
  }
  return false;
}

function multisigError(name: string): FlashError {
  return new FlashError(
    'MULTISIG_UNSUPPORTED',
    `This is a multisig descriptor (${name}). Multisig accounts are not supported yet; import a single-signature descriptor (pkh, sh(wpkh), wpkh or tr).`,
    { function: name },
  );
}

function unsupportedError(name: string): FlashError {
  return new FlashError(
    'ACCOUNT_TYPE_UNSUPPORTED',
    `${name}() descriptors cannot be used as an account. Flash supports pkh, sh(wpkh), wpkh and key-path tr descriptors with an xpub.`,
    { function: name },
  );
}

/** Walks the script functions down to the key expression. */
function parseScript(body: string): { scriptType: ScriptType; keyExpr: string } {
  const [name, args] = splitCall(body);
  const containsMultisig = [...MULTISIG_FUNCTIONS].some((f) => args.includes(`${f}(`));
  switch (name) {
    case 'pkh':
    case 'wpkh':
      if (args.includes('('))
        throw descriptorError(`${name}() takes a key, not another function.`, 'nested_function');
      return { scriptType: name, keyExpr: args };
    case 'sh': {
      if (containsMultisig) throw multisigError('sh(multi)');
      const [inner, innerArgs] = splitCall(args);
      if (inner !== 'wpkh') {
        if (MULTISIG_FUNCTIONS.has(inner)) throw multisigError(`sh(${inner})`);
        throw unsupportedError(`sh(${inner})`);
      }
      if (innerArgs.includes('('))
        throw descriptorError('wpkh() takes a key, not another function.', 'nested_function');
      return { scriptType: 'sh-wpkh', keyExpr: innerArgs };
    }
    case 'tr':
      if (containsMultisig) throw multisigError('tr(multi_a)');
      if (hasTopLevelComma(args)) {
        throw new FlashError(
          'ACCOUNT_TYPE_UNSUPPORTED',
          'This Taproot descriptor has a script tree. Flash supports key-path-only Taproot (BIP86) accounts: tr(KEY) with no scripts.',
          { function: 'tr', reason: 'script_tree' },
        );
      }
      return { scriptType: 'tr', keyExpr: args };
    default:
      if (MULTISIG_FUNCTIONS.has(name) || (name === 'wsh' && containsMultisig)) throw multisigError(name);
      if (OTHER_KNOWN_FUNCTIONS.has(name)) throw unsupportedError(name);
      throw descriptorError(
        `Unknown descriptor function “${name}”. Flash understands pkh(), sh(wpkh()), wpkh() and tr().`,
        'unknown_function',
        { function: name.slice(0, 40) },
      );
  }
}

interface ParsedKeyExpression {
  origin: KeyOrigin | null;
  hardenedMarker: HardenedMarker;
  xpub: string;
  network: KeyNetwork;
  impliedType: AccountType | null;
  chains: DescriptorChains;
}

const HEX_PUBKEY = /^(0[23][0-9a-fA-F]{64}|0[4][0-9a-fA-F]{128}|[0-9a-fA-F]{64})$/;
const WIF = /^[5KLc9][1-9A-HJ-NP-Za-km-z]{50,51}$/;

function parseKeyExpression(expr: string, options: DescriptorOptions): ParsedKeyExpression {
  let rest = expr;
  let origin: KeyOrigin | null = null;
  let hardenedMarker: HardenedMarker = 'h';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw descriptorError('The key origin “[…” is not closed with “]”.', 'origin_unclosed');
    const inside = rest.slice(1, close);
    rest = rest.slice(close + 1);
    const [fingerprint = '', ...steps] = inside.split('/');
    if (!/^[0-9a-fA-F]{8}$/.test(fingerprint)) {
      throw descriptorError(
        `The key origin must start with the 8-hex-digit master fingerprint; “${fingerprint.slice(0, 20)}” is not one.`,
        'bad_fingerprint',
      );
    }
    if (steps.some((s) => s.endsWith("'"))) hardenedMarker = "'";
    origin = {
      fingerprint: fingerprint.toLowerCase(),
      path: steps.length ? parsePath(steps.join('/'), 'key origin') : [],
    };
  }
  const [keyText = '', ...steps] = rest.split('/');
  if (HEX_PUBKEY.test(keyText)) {
    throw new FlashError(
      'ACCOUNT_TYPE_UNSUPPORTED',
      'This descriptor holds a single public key, which gives only one address. An account needs an extended public key (xpub) followed by /<0;1>/*.',
      { reason: 'single_key' },
    );
  }
  if (WIF.test(keyText)) {
    throw new FlashError(
      'XPUB_IS_PRIVATE',
      'This descriptor contains a private key, which can spend the money. A watch-only account needs only public keys; to spend, restore the wallet from its recovery words instead.',
      { prefix: 'wif' },
    );
  }
  const key = parseExtendedKey(keyText, options.network ? { network: options.network } : {});
  const hardenedStep = steps.find((s) => /['hH]$/.test(s));
  if (hardenedStep !== undefined) {
    throw descriptorError(
      hardenedStep.startsWith('*')
        ? 'This descriptor uses hardened derivation (/*h) after the xpub, which an xpub cannot do. Export it from the source wallet with unhardened /* instead.'
        : `Step “${hardenedStep}” after the xpub is hardened, which an xpub cannot derive. Use the account xpub with /<0;1>/* after it.`,
      'hardened_after_xpub',
      { step: hardenedStep },
    );
  }
  if (steps.length === 0 || steps[steps.length - 1] !== '*') {
    throw descriptorError(
      'This descriptor describes a single address, not an account. Add /<0;1>/* (or /0/* and /1/*) after the xpub.',
      'no_wildcard',
    );
  }
  if (steps.length !== 2) {
    throw descriptorError(
      'Flash needs exactly one chain step between the account xpub and /*: /<0;1>/*, /0/* or /1/*.',
      'unsupported_steps',
      { steps: steps.join('/').slice(0, 40) },
    );
  }
  const chainStep = steps[0];
  let chains: DescriptorChains;
  if (chainStep === '<0;1>') chains = 'multipath';
  else if (chainStep === '0') chains = 0;
  else if (chainStep === '1') chains = 1;
  else {
    throw descriptorError(
      `Chain step “${chainStep}” is not supported. Use /<0;1>/* for receive and change, or /0/* (receive) and /1/* (change).`,
      'unsupported_chain',
      { step: String(chainStep).slice(0, 40) },
    );
  }
  return {
    origin,
    hardenedMarker,
    xpub: key.xpub,
    network: key.network,
    impliedType: key.impliedType,
    chains,
  };
}

/**
 * Parses one single-key account descriptor (BIP380-386, with BIP389 multipath). Missing
 * checksums are accepted and reported; wrong ones throw DESCRIPTOR_BAD_CHECKSUM naming the
 * expected checksum.
 */
export function parseDescriptor(text: string, options: DescriptorOptions = {}): ParsedDescriptor {
  if (text.trim() === '')
    throw descriptorError('Paste an output descriptor, e.g. wpkh([…]xpub…/<0;1>/*).', 'empty');
  const { body, checksum, checksumProvided } = verifyDescriptorChecksum(text);
  const { scriptType, keyExpr } = parseScript(body);
  const key = parseKeyExpression(keyExpr, options);
  const type = accountTypeOfScript(scriptType);
  if (key.impliedType && key.impliedType !== type) {
    throw new FlashError(
      'XPUB_TYPE_MISMATCH',
      `The key in this descriptor is marked for ${ACCOUNT_TYPE_INFO[key.impliedType].label} addresses, but the descriptor is ${FUNCTION_OF[scriptType]}(). Check that you exported the right account.`,
      { keyType: key.impliedType, descriptorType: type },
    );
  }
  return {
    type,
    scriptType,
    network: key.network,
    origin: key.origin,
    xpub: key.xpub,
    chains: key.chains,
    hardenedMarker: key.hardenedMarker,
    checksum,
    checksumProvided,
  };
}

function sameAccount(a: ParsedDescriptor, b: ParsedDescriptor): boolean {
  return (
    a.scriptType === b.scriptType &&
    a.xpub === b.xpub &&
    (a.origin?.fingerprint ?? null) === (b.origin?.fingerprint ?? null) &&
    (a.origin?.path.join('/') ?? null) === (b.origin?.path.join('/') ?? null)
  );
}

/**
 * Imports an account from descriptors: one multipath descriptor (`/<0;1>/*`), or a receive
 * (`/0/*`) and change (`/1/*`) pair in either order (as an array or on separate lines), or a
 * receive descriptor alone (change inferred, reported in `warnings`).
 */
export function importAccountDescriptors(
  input: string | readonly string[],
  options: DescriptorOptions = {},
): DescriptorImport {
  const lines = (
    typeof input === 'string' ? input.split(/\s+/) : input.flatMap((s) => s.split(/\s+/))
  ).filter((s) => s !== '');
  if (lines.length === 0)
    throw descriptorError('Paste an output descriptor, e.g. wpkh([…]xpub…/<0;1>/*).', 'empty');
  if (lines.length > 2) {
    throw descriptorError(
      'Paste one multipath descriptor, or the receive and change descriptors of one account.',
      'too_many',
    );
  }
  const parsed = lines.map((line) => parseDescriptor(line, options));
  const warnings: DescriptorImport['warnings'] = [];
  if (parsed.some((d) => !d.checksumProvided)) warnings.push('checksum_missing');
  const [first, second] = parsed as [ParsedDescriptor, ParsedDescriptor | undefined];
  if (!second) {
    if (first.chains === 1) {
      throw descriptorError(
        'This is only the change descriptor (/1/*). Paste the receive descriptor (/0/*) too, or a multipath one (/<0;1>/*).',
        'change_only',
      );
    }
    if (first.chains === 0) warnings.push('change_inferred');
  } else {
    if (first.chains === 'multipath' || second.chains === 'multipath') {
      throw descriptorError(
        'A multipath descriptor (/<0;1>/*) already covers receive and change; paste it alone.',
        'multipath_pair',
      );
    }
    if (first.chains === second.chains) {
      throw descriptorError(
        'Both descriptors are for the same chain. Paste one receive (/0/*) and one change (/1/*).',
        'same_chain',
      );
    }
    if (first.network !== second.network) {
      throw new FlashError(
        'XPUB_WRONG_NETWORK',
        'One descriptor is for mainnet and the other for a test network.',
        {
          reason: 'pair_mismatch',
        },
      );
    }
    if (!sameAccount(first, second)) {
      throw descriptorError(
        'The receive and change descriptors are for different accounts (their keys or script types differ). Paste the pair exported together.',
        'pair_mismatch',
      );
    }
  }
  return {
    type: first.type,
    scriptType: first.scriptType,
    network: first.network,
    origin: first.origin,
    xpub: first.xpub,
    hardenedMarker: first.hardenedMarker,
    warnings,
  };
}

/** Writes an account's descriptor for both chains (multipath) or for one, with its checksum. */
export function serializeDescriptor(
  account: AccountDescriptor,
  chains: DescriptorChains = 'multipath',
  options: { checksum?: boolean } = {},
): string {
  const origin = account.origin
    ? `[${[account.origin.fingerprint, formatPath(account.origin.path, account.hardenedMarker, false)].filter((s) => s !== '').join('/')}]`
    : '';
  const chain = chains === 'multipath' ? '<0;1>' : String(chains);
  const key = `${origin}${account.xpub}/${chain}/*`;
  const body =
    account.scriptType === 'sh-wpkh' ? `sh(wpkh(${key}))` : `${FUNCTION_OF[account.scriptType]}(${key})`;
  return options.checksum === false ? body : withChecksum(body);
}

export interface ExportedDescriptors {
  /** BIP389 `/<0;1>/*`: one string for both chains (Bitcoin Core 29+, Sparrow, BDK). */
  multipath: string;
  /** `/0/*`, for wallets that want a descriptor per chain. */
  receive: string;
  /** `/1/*`. */
  change: string;
}

export function exportDescriptors(account: AccountDescriptor): ExportedDescriptors {
  return {
    multipath: serializeDescriptor(account, 'multipath'),
    receive: serializeDescriptor(account, 0),
    change: serializeDescriptor(account, 1),
  };
}
