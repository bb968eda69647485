import { z } from 'zod';
import { Empty, Id, Network } from './common';
import { VaultState } from './vault';

export const StoreProblem = z.object({
  code: z.enum(['STORE_CORRUPT', 'STORE_NEWER_VERSION', 'STORE_UNAVAILABLE']),
  message: z.string(),
  path: z.string(),
});
export type StoreProblem = z.infer<typeof StoreProblem>;

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  platform: z.string(),
  profile: z.string(),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const AppState = z.object({
  storeProblem: StoreProblem.nullable(),
  vault: VaultState,
  network: Network,
  activeWalletId: Id.nullable(),
});
export type AppState = z.infer<typeof AppState>;

export const appMethods = {
  'app.getInfo': { input: Empty, output: AppInfo },
  'app.getState': { input: Empty, output: AppState },
} as const;
