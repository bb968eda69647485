import type { z } from 'zod';
import { appMethods } from './app';
import { backupMethods } from './backup';
import { coinsMethods } from './coins';
import { electrumMethods } from './electrum';
import { hardwareMethods } from './hardware';
import { merchantMethods } from './merchant';
import { lightningMethods } from './lightning';
import { lightningSwapMethods } from './lightning-swaps';
import { activityMethods } from './activity';
import { ecashMethods } from './ecash';
import { ecashSocialMethods } from './ecash-social';
import { multisigMethods } from './multisig';
import { scanMethods } from './scan';
import type { MethodName } from './names';
import { nostrMethods } from './nostr';
import { nwcMethods } from './nwc';
import { sendMethods } from './send';
import { METHOD_NAMES } from './names';
import { settingsMethods } from './settings';
import { pricesMethods } from './prices';
import { vaultMethods } from './vault';
import { walletMethods } from './wallet';

export interface MethodDef {
  input: z.ZodType;
  output: z.ZodType;
}

export const contract = {
  ...appMethods,
  ...vaultMethods,
  ...backupMethods,
  ...settingsMethods,
  ...pricesMethods,
  ...walletMethods,
  ...electrumMethods,
  ...coinsMethods,
  ...sendMethods,
  ...nostrMethods,
  ...nwcMethods,
  ...hardwareMethods,
  ...merchantMethods,
  ...lightningMethods,
  ...lightningSwapMethods,
  ...activityMethods,
  ...ecashMethods,
  ...ecashSocialMethods,
  ...multisigMethods,
  ...scanMethods,
} as const satisfies Record<MethodName, MethodDef>;

// Compile-time proof that METHOD_NAMES lists every method and nothing else.
type ContractKeys = keyof typeof contract;
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const namesMatch: Exact<ContractKeys, MethodName> = true;
void namesMatch;

export type Contract = typeof contract;
/** What the caller may pass (defaults still optional). */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What the handler receives after validation (defaults applied). */
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAMES as readonly string[]).includes(name);
}

export { METHOD_NAMES };
export type { MethodName };
export * from './app';
export * from './backup';
export * from './coins';
export * from './common';
export * from './electrum';
export * from './events';
export * from './hardware';
export * from './merchant';
export * from './lightning';
export * from './lightning-swaps';
export * from './activity';
export * from './ecash';
export * from './ecash-social';
export * from './multisig';
export * from './scan';
export * from './nostr';
export * from './nwc';
export * from './send';
export * from './settings';
export * from './prices';
export * from './vault';
export * from './wallet';
