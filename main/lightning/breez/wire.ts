import path from 'node:path';
import type { Network } from '../../../shared/contract';
import type { AppConfig } from '../../core/config';
import type { Logger } from '../../core/logger';
import type { Db } from '../../store/database';
import type { VaultService } from '../../vault/types';
import type { ProviderKindDefinition } from '../registry';
import { createBreezKind } from './kind';
import { createRemoteBackend } from './remote';
import type { BreezBackend } from './sdk';
import { createSdkBackend } from './sdk';

/**
 * The Breez kind as the core builds it: the real SDK, except in browser mode on regtest started
 * with --breez-stand-in, where the stack's stand-in answers (the same gate as simulated devices).
 */
export function createBreezKindForCore(deps: {
  db: Db;
  vault: VaultService;
  config: Pick<AppConfig, 'mode' | 'dataDir' | 'profile' | 'defaultNetwork' | 'breezStandIn'>;
  activeWalletId(network: Network): string | null;
  log: Logger;
}): ProviderKindDefinition<'breez'> {
  const { config } = deps;
  const standIn =
    config.mode === 'browser' && config.defaultNetwork === 'regtest' && config.breezStandIn
      ? createRemoteBackend(config.breezStandIn)
      : null;
  const sdkLog = deps.log.child('breez-sdk');
  let real: BreezBackend | null = null;
  return createBreezKind({
    db: deps.db,
    vault: deps.vault,
    backend: (network) => {
      if (standIn && network === 'regtest') return standIn;
      real ??= createSdkBackend((level, line) => {
        if (level === 'ERROR' || level === 'WARN') sdkLog.warn('sdk', { level, line: line.slice(0, 300) });
      });
      return real;
    },
    activeWalletId: deps.activeWalletId,
    profileDir: path.join(config.dataDir, 'profiles', config.profile),
  });
}
