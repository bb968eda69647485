import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { formatPath, parsePath } from '../accounts/paths';
import { keyNetworkOf } from '../accounts/types';
import { parseCosignerKey, requireFingerprint } from './keys';
import { checkPolicy, firstAddress, policyDescriptor, policyFromDescriptorText } from './policy';
import { addressOfScript } from './scripts';
import type { CosignerKey, MultisigPolicy, MultisigScript } from './types';

/**
 * The wallet files other coordinators and signers exchange, read and written:
 * - Coldcard's multisig setup file (also what Sparrow exports for Coldcard and Passport);
 * - Specter's wallet JSON (`label`, `blockheight`, `descriptor`, `devices`);
 * - Caravan's wallet configuration JSON (`addressType`, `quorum`, `extendedPublicKeys`);
 * - a BIP129 (BSMS 1.0) descriptor record, unencrypted.
 * Every reader ends in checkPolicy, so any of them gives the same wallet as the descriptor.
 */
export type WalletFileFormat = 'descriptor' | 'coldcard' | 'specter' | 'caravan' | 'bsms';

export interface WalletFile {
  policy: MultisigPolicy;
  name: string | null;
  /** Per-key labels where the file has them. */
  labels: (string | null)[];
  format: WalletFileFormat;
  warnings: ('checksum_missing' | 'change_inferred')[];
}

const formatError = (message: string, format: string, reason: string) =>
  new FlashError('MULTISIG_FORMAT_UNKNOWN', message, { format, reason });

const COLDCARD_FORMAT: Readonly<Record<string, MultisigScript>> = {
  P2WSH: 'wsh',
  'P2SH-P2WSH': 'sh-wsh',
  'P2WSH-P2SH': 'sh-wsh',
};

function noTaproot(policy: MultisigPolicy, format: string): void {
  if (policy.script === 'tr') {
    throw new FlashError(
      'MULTISIG_UNSUPPORTED',
      `The ${format} format has no Taproot multisig; export the descriptor or the BSMS record instead.`,
      { format },
    );
  }
}

/** Coldcard's text file: `Name:`, `Policy: k of n`, `Derivation:`, `Format:`, then `XFP: xpub` lines. */
export function writeColdcard(policy: MultisigPolicy, name: string): string {
  noTaproot(policy, 'Coldcard');
  const format = policy.script === 'wsh' ? 'P2WSH' : 'P2SH-P2WSH';
  const lines = [
    '# Multisig setup file (exported by Flash)',
    '#',
    // Coldcard takes at most 20 characters of name.
    `Name: ${name.replace(/[^\x20-\x7e]/g, '').slice(0, 20) || 'Flash multisig'}`,
    `Policy: ${policy.threshold} of ${policy.keys.length}`,
    `Format: ${format}`,
    '',
  ];
  for (const k of policy.keys) {
    lines.push(`Derivation: ${k.path}`, `${k.fingerprint.toUpperCase()}: ${k.xpub}`, '');
  }
  return lines.join('\n');
}

export function readColdcard(text: string, network: Network): WalletFile {
  let name: string | null = null;
  let threshold: number | null = null;
  let total: number | null = null;
  let script: MultisigScript | null = null;
  let derivation: string | null = null;
  const keys: CosignerKey[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon < 0)
      throw formatError(
        `This line of the setup file is not “Key: value”: ${line.slice(0, 40)}`,
        'coldcard',
        'line',
      );
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    const upper = key.toUpperCase();
    if (upper === 'NAME') name = value;
    else if (upper === 'POLICY') {
      const m = /^(\d+)\s*(?:of|OF)\s*(\d+)$/.exec(value);
      if (!m) throw formatError(`“Policy: ${value}” is not “k of n”.`, 'coldcard', 'policy');
      threshold = Number(m[1]);
      total = Number(m[2]);
    } else if (upper === 'FORMAT') {
      const s = COLDCARD_FORMAT[value.toUpperCase()];
      if (!s) {
        throw new FlashError(
          'MULTISIG_UNSUPPORTED',
          `“Format: ${value}”: Flash supports P2WSH and P2SH-P2WSH multisig.`,
          {
            format: value.slice(0, 20),
          },
        );
      }
      script = s;
    } else if (upper === 'DERIVATION') {
      derivation = formatPath(parsePath(value, 'derivation', 'MULTISIG_FORMAT_UNKNOWN'), "'");
    } else if (/^[0-9A-F]{8}$/i.test(key)) {
      if (!derivation)
        throw formatError('A key comes before any “Derivation:” line.', 'coldcard', 'no_derivation');
      keys.push({
        fingerprint: requireFingerprint(key),
        path: derivation,
        xpub: parseCosignerKey(value, network).xpub,
      });
    }
  }
  if (threshold === null || keys.length === 0) {
    throw formatError(
      'This is not a multisig setup file: it needs a “Policy:” line and the cosigners’ keys.',
      'coldcard',
      'incomplete',
    );
  }
  if (total !== null && total !== keys.length) {
    throw formatError(`The file says ${total} cosigners but lists ${keys.length} keys.`, 'coldcard', 'count');
  }
  if (script === null) {
    // Coldcard's default format is legacy P2SH, which Flash does not build wallets for.
    throw new FlashError(
      'MULTISIG_UNSUPPORTED',
      'This setup file has no “Format:” line, which means legacy P2SH; Flash supports P2WSH and P2SH-P2WSH.',
      {
        format: 'P2SH',
      },
    );
  }
  const policy = checkPolicy({ script, threshold, keys, network: keyNetworkOf(network) }, network);
  return { policy, name, labels: keys.map(() => null), format: 'coldcard', warnings: [] };
}

/** Specter's wallet export: the descriptor plus a label and (optionally) the devices' types and names. */
export function writeSpecter(policy: MultisigPolicy, name: string, labels: readonly string[]): string {
  return JSON.stringify(
    {
      label: name,
      blockheight: 0,
      descriptor: policyDescriptor(policy),
      devices: policy.keys.map((k, i) => ({ type: 'other', label: labels[i] ?? k.fingerprint })),
    },
    null,
    2,
  );
}

const CARAVAN_TYPE: Readonly<Record<string, MultisigScript>> = { P2WSH: 'wsh', 'P2SH-P2WSH': 'sh-wsh' };

/** Caravan's wallet configuration (always sortedmulti; its `network` is mainnet, testnet or regtest). */
export function writeCaravan(
  policy: MultisigPolicy,
  name: string,
  labels: readonly string[],
  network: Network,
): string {
  noTaproot(policy, 'Caravan');
  return JSON.stringify(
    {
      name,
      addressType: policy.script === 'wsh' ? 'P2WSH' : 'P2SH-P2WSH',
      network: network === 'mainnet' ? 'mainnet' : network === 'regtest' ? 'regtest' : 'testnet',
      client: { type: 'public' },
      quorum: { requiredSigners: policy.threshold, totalSigners: policy.keys.length },
      extendedPublicKeys: policy.keys.map((k, i) => ({
        name: labels[i] ?? `Cosigner ${i + 1}`,
        bip32Path: k.path,
        xpub: k.xpub,
        xfp: k.fingerprint,
        method: 'text',
      })),
      startingAddressIndex: 0,
    },
    null,
    2,
  );
}

function readJson(json: unknown, network: Network): WalletFile {
  if (typeof json !== 'object' || json === null)
    throw formatError('This JSON is not a wallet file.', 'json', 'shape');
  const o = json as Record<string, unknown>;
  if (typeof o.descriptor === 'string') {
    const { policy, changeInferred, checksumProvided } = policyFromDescriptorText(o.descriptor, network);
    const devices = Array.isArray(o.devices) ? o.devices : [];
    return {
      policy,
      name: typeof o.label === 'string' ? o.label : null,
      labels: policy.keys.map((_, i) => {
        const d = devices[i] as { label?: unknown } | undefined;
        return typeof d?.label === 'string' ? d.label : null;
      }),
      format: 'specter',
      warnings: [
        ...(checksumProvided ? [] : ['checksum_missing' as const]),
        ...(changeInferred ? ['change_inferred' as const] : []),
      ],
    };
  }
  if (Array.isArray(o.extendedPublicKeys) && typeof o.quorum === 'object' && o.quorum !== null) {
    const script = CARAVAN_TYPE[String(o.addressType)];
    if (!script) {
      throw new FlashError(
        'MULTISIG_UNSUPPORTED',
        `Caravan address type ${String(o.addressType).slice(0, 20)}: Flash supports P2WSH and P2SH-P2WSH.`,
        {
          format: 'caravan',
        },
      );
    }
    const quorum = o.quorum as Record<string, unknown>;
    const entries = o.extendedPublicKeys as Record<string, unknown>[];
    const keys = entries.map((e, i) => {
      if (typeof e.xpub !== 'string' || typeof e.bip32Path !== 'string' || typeof e.xfp !== 'string') {
        throw formatError(`Key ${i + 1} of the Caravan file lacks xpub, bip32Path or xfp.`, 'caravan', 'key');
      }
      return {
        fingerprint: requireFingerprint(e.xfp),
        path: formatPath(parsePath(e.bip32Path, 'bip32Path', 'MULTISIG_FORMAT_UNKNOWN'), "'"),
        xpub: parseCosignerKey(e.xpub, network).xpub,
      };
    });
    if (Number(quorum.totalSigners) !== keys.length) {
      throw formatError('The Caravan quorum does not match its keys.', 'caravan', 'count');
    }
    const policy = checkPolicy(
      { script, threshold: Number(quorum.requiredSigners), keys, network: keyNetworkOf(network) },
      network,
    );
    return {
      policy,
      name: typeof o.name === 'string' ? o.name : null,
      labels: entries.map((e) => (typeof e.name === 'string' ? e.name : null)),
      format: 'caravan',
      warnings: [],
    };
  }
  throw formatError('This JSON is neither a Specter nor a Caravan wallet file.', 'json', 'shape');
}

/** BIP129 round 2 record: version, descriptor (or template), path restrictions, first address. */
export function writeBsms(policy: MultisigPolicy, network: Network): string {
  return [
    'BSMS 1.0',
    policyDescriptor(policy, { shorthand: true }),
    '/0/*,/1/*',
    firstAddress(policy, network, addressOfScript),
  ].join('\n');
}

export function readBsms(text: string, network: Network): WalletFile {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines[0] !== 'BSMS 1.0') {
    throw formatError(
      'A BSMS record starts with “BSMS 1.0”. Encrypted records must be decrypted by the coordinator first.',
      'bsms',
      'version',
    );
  }
  if (lines.length !== 4) throw formatError('A BSMS wallet record has four lines.', 'bsms', 'lines');
  const restrictions = lines[2] ?? '';
  if (restrictions !== '/0/*,/1/*' && restrictions !== 'No path restrictions') {
    throw new FlashError(
      'MULTISIG_UNSUPPORTED',
      `Path restrictions “${restrictions.slice(0, 40)}”: Flash uses /0/* receive and /1/* change.`,
      {
        format: 'bsms',
      },
    );
  }
  const { policy, checksumProvided } = policyFromDescriptorText(lines[1] ?? '', network);
  const expected = firstAddress(policy, network, addressOfScript);
  if (expected !== lines[3]) {
    throw new FlashError(
      'MULTISIG_INVALID',
      `The record's first address ${String(lines[3]).slice(0, 90)} is not the descriptor's (${expected}): the record was changed or is for another network.`,
      { reason: 'first_address', expected },
    );
  }
  // BIP129's `/**` records carry no checksum (it is a template); a full descriptor may.
  void checksumProvided;
  return { policy, name: null, labels: policy.keys.map(() => null), format: 'bsms', warnings: [] };
}

/** Reads any of the formats, telling them apart by their first characters. */
export function readWalletFile(text: string, network: Network): WalletFile {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t === '') throw formatError('Paste or load the wallet file or descriptor.', 'none', 'empty');
  if (t.startsWith('BSMS')) return readBsms(t, network);
  if (t.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(t);
    } catch {
      throw formatError('This looks like JSON but does not parse.', 'json', 'parse');
    }
    return readJson(json, network);
  }
  if (/^(wsh|sh|tr|multi|sortedmulti)\(/.test(t)) {
    const { policy, changeInferred, checksumProvided } = policyFromDescriptorText(
      t.split(/\s+/)[0] ?? '',
      network,
    );
    return {
      policy,
      name: null,
      labels: policy.keys.map(() => null),
      format: 'descriptor',
      warnings: [
        ...(checksumProvided ? [] : ['checksum_missing' as const]),
        ...(changeInferred ? ['change_inferred' as const] : []),
      ],
    };
  }
  if (/^(#|Name:|Policy:)/im.test(t)) return readColdcard(t, network);
  throw formatError(
    'Flash does not recognise this wallet file. It reads descriptors, Coldcard/Sparrow setup files, Specter and Caravan JSON, and BSMS records.',
    'none',
    'unknown',
  );
}
