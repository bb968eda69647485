import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import {
  exportDescriptors,
  importAccountDescriptors,
  type AccountDescriptor,
  type DescriptorImport,
  type ExportedDescriptors,
  type KeyOrigin,
} from './descriptors';
import { bip32Versions, convertExtendedKey, parseExtendedKey, prefixFor } from './extended-keys';
import { formatPath, parsePath, type HardenedMarker } from './paths';
import {
  ACCOUNT_TYPE_INFO,
  DEFAULT_ACCOUNT_TYPE,
  accountPath,
  keyNetworkOf,
  type AccountType,
  type ScriptType,
} from './types';

/** Public facts about one account: everything a watch-only account needs, nothing secret. */
export interface AccountKeys {
  type: AccountType;
  network: Network;
  /** Master key fingerprint, 8 hex digits; null for an imported xpub without key origin. */
  fingerprint: string | null;
  /** `m/84'/0'/0'`; null when unknown (imported bare xpub). */
  path: string | null;
  /** Account xpub with plain BIP32 version bytes (xpub/tpub). */
  xpub: string;
}

/**
 * Seed -> public account keys for any account type and account index. Private keys are wiped
 * before returning (best effort: JS cannot wipe the mnemonic string itself).
 */
export function deriveAccountKeys(
  mnemonic: string,
  passphrase: string,
  network: Network,
  type: AccountType = DEFAULT_ACCOUNT_TYPE,
  accountIndex = 0,
): AccountKeys {
  const path = accountPath(type, network, accountIndex);
  const seed = mnemonicToSeedSync(mnemonic, passphrase);
  const root = HDKey.fromMasterSeed(seed, bip32Versions(keyNetworkOf(network)));
  seed.fill(0);
  try {
    const account = root.derive(path);
    const xpub = account.publicExtendedKey;
    account.wipePrivateData();
    return { type, network, fingerprint: (root.fingerprint >>> 0).toString(16).padStart(8, '0'), path, xpub };
  } finally {
    root.wipePrivateData();
  }
}

export interface WatchOnlyImport extends AccountKeys {
  scriptType: ScriptType;
  warnings: (DescriptorImport['warnings'][number] | 'type_assumed')[];
}

export interface WatchOnlyOptions {
  network: Network;
  /** The account type the user chose; needed for a plain xpub/tpub, checked against ypub/zpub. */
  type?: AccountType;
}

/**
 * One entry point for a watch-only account: an extended public key (xpub/ypub/zpub, tpub/upub/vpub)
 * or output descriptor(s). Every malformed input throws a FlashError with an actionable message.
 */
export function importWatchOnly(input: string, options: WatchOnlyOptions): WatchOnlyImport {
  const text = input.trim();
  if (text.includes('(')) {
    const imported = importAccountDescriptors(text, { network: options.network });
    if (options.type && options.type !== imported.type) {
      throw new FlashError(
        'XPUB_TYPE_MISMATCH',
        `This descriptor is for ${ACCOUNT_TYPE_INFO[imported.type].label} addresses, not ${ACCOUNT_TYPE_INFO[options.type].label}. Pick the matching account type or paste the right descriptor.`,
        { keyType: imported.type, chosenType: options.type },
      );
    }
    return {
      type: imported.type,
      scriptType: imported.scriptType,
      network: options.network,
      fingerprint: imported.origin?.fingerprint ?? null,
      path: imported.origin ? formatPath(imported.origin.path, "'") : null,
      xpub: imported.xpub,
      warnings: imported.warnings,
    };
  }
  const key = parseExtendedKey(text, { network: options.network });
  if (key.impliedType && options.type && key.impliedType !== options.type) {
    throw new FlashError(
      'XPUB_TYPE_MISMATCH',
      `A ${key.prefix} is for ${ACCOUNT_TYPE_INFO[key.impliedType].label} addresses, not ${ACCOUNT_TYPE_INFO[options.type].label}. Pick the matching account type or paste the right key.`,
      { keyType: key.impliedType, chosenType: options.type },
    );
  }
  const type = key.impliedType ?? options.type ?? DEFAULT_ACCOUNT_TYPE;
  const warnings: WatchOnlyImport['warnings'] = key.impliedType || options.type ? [] : ['type_assumed'];
  return {
    type,
    scriptType: ACCOUNT_TYPE_INFO[type].scriptType,
    network: options.network,
    fingerprint: null,
    path: null,
    xpub: key.xpub,
    warnings,
  };
}

export interface AccountDescription {
  type: AccountType;
  label: string;
  scriptType: ScriptType;
  network: Network;
  fingerprint: string | null;
  path: string | null;
  /** Plain BIP32 form (xpub/tpub). */
  xpub: string;
  /** The SLIP-132 form other wallets expect for this type (ypub/zpub/upub/vpub; xpub/tpub otherwise). */
  displayKey: string;
  descriptors: ExportedDescriptors;
}

export interface DescribeAccountInput {
  type: AccountType;
  network: Network;
  /** Any SLIP-132 form. */
  xpub: string;
  fingerprint?: string | null;
  /** `m/84'/0'/0'`; with a fingerprint it becomes the descriptors' key origin. */
  path?: string | null;
  hardenedMarker?: HardenedMarker;
}

/** What the UI shows for an account, and what it exports. */
export function describeAccount(input: DescribeAccountInput): AccountDescription {
  const key = parseExtendedKey(input.xpub, { network: input.network });
  const info = ACCOUNT_TYPE_INFO[input.type];
  const fingerprint = input.fingerprint ? input.fingerprint.toLowerCase() : null;
  if (fingerprint !== null && !/^[0-9a-f]{8}$/.test(fingerprint)) {
    throw new FlashError('BAD_INPUT', 'A master fingerprint is 8 hex digits.', {
      fingerprint: fingerprint.slice(0, 20),
    });
  }
  const path = input.path ? parsePath(input.path, 'account path', 'BAD_INPUT') : null;
  const origin: KeyOrigin | null = fingerprint !== null ? { fingerprint, path: path ?? [] } : null;
  const account: AccountDescriptor = {
    type: input.type,
    scriptType: info.scriptType,
    network: key.network,
    origin,
    xpub: key.xpub,
    hardenedMarker: input.hardenedMarker ?? 'h',
  };
  return {
    type: input.type,
    label: info.label,
    scriptType: info.scriptType,
    network: input.network,
    fingerprint,
    path: path ? formatPath(path, "'") : null,
    xpub: key.xpub,
    displayKey: convertExtendedKey(key.xpub, prefixFor(input.type, key.network)),
    descriptors: exportDescriptors(account),
  };
}
