import path from 'node:path';
import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { readWords } from '../../bitcoin/wallet/stored-words';
import type { Db } from '../../store/database';
import type { VaultService } from '../../vault/types';
import type { ProviderKindDefinition } from '../registry';
import { createBreezProvider } from './provider';
import type { BreezBackend } from './sdk';
import { liquidNetworkOf } from './sdk';

/**
 * Breez as a Lightning backend kind. Breez's wallet is keyed by BIP39 words and a passphrase
 * (ConnectRequest.mnemonic/passphrase), the same standard as Flash's recovery words, so it runs
 * on the words of the wallet that connected it: the SDK derives its Liquid keys from their BIP32
 * root (its wallet fingerprint is the words' master fingerprint), and restoring those words
 * restores the Lightning funds. No second secret to back up; the words stay sealed in the vault
 * and are read at each start. Stored plainly: which wallet's words; sealed: the API key.
 */

export interface BreezKindDeps {
  db: Db;
  vault: VaultService;
  /** The real SDK, or on regtest the stack's stand-in (see main/lightning/breez/remote.ts). */
  backend(network: Network): BreezBackend;
  /** The active account of a network (its words are the ones Breez runs on). */
  activeWalletId(network: Network): string | null;
  /** The profile's folder: the SDK keeps its own data under breez/<network>. */
  profileDir: string;
  connectTimeoutMs?: number;
}

/** The account holding the words of the network's active account; typed errors otherwise. */
function seedWalletOf(deps: BreezKindDeps, network: Network): string {
  const walletId = deps.activeWalletId(network);
  const row = walletId
    ? (deps.db.prepare('SELECT signer, seed_wallet_id FROM wallets WHERE id = ?').get(walletId) as
        { signer: string; seed_wallet_id: string | null } | undefined)
    : undefined;
  if (!row || row.signer !== 'seed' || row.seed_wallet_id === null)
    throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'Breez needs an account with recovery words in Flash.', {
      what: 'breez-words',
    });
  return row.seed_wallet_id;
}

export function createBreezKind(deps: BreezKindDeps): ProviderKindDefinition<'breez'> {
  return {
    kind: 'breez',
    prepareConnection(input, ctx) {
      liquidNetworkOf(ctx.network);
      const apiKey = input.apiKey?.trim() ?? '';
      if (ctx.network !== 'regtest' && apiKey === '')
        throw new FlashError('LIGHTNING_BAD_CONNECTION', 'Breez needs an API key on this network.', {
          reason: 'api-key',
        });
      const seedWalletId = seedWalletOf(deps, ctx.network);
      // Two SDKs on the same words and folder would fight over the same swaps.
      const existing = deps.db
        .prepare("SELECT settings FROM lightning_providers WHERE kind = 'breez' AND network = ?")
        .all(ctx.network) as { settings: string }[];
      if (
        existing.some(
          (r) => (JSON.parse(r.settings) as { seedWalletId?: unknown }).seedWalletId === seedWalletId,
        )
      )
        throw new FlashError('LIGHTNING_BAD_CONNECTION', 'Breez is already connected for this wallet.', {
          reason: 'already-connected',
        });
      return {
        label: 'Breez',
        settings: { seedWalletId },
        secret: apiKey === '' ? null : new TextEncoder().encode(apiKey),
        endpoint: deps.backend(ctx.network).endpoint,
      };
    },
    create(connection, ctx) {
      const seedWalletId = connection.settings.seedWalletId;
      if (typeof seedWalletId !== 'string')
        throw new FlashError('STORE_CORRUPT', 'A stored Breez connection is incomplete.');
      return createBreezProvider({
        backend: deps.backend(ctx.network),
        network: ctx.network,
        words: () => readWords(deps.vault, seedWalletId),
        apiKey: () => {
          if (!connection.hasSecret) return null;
          const bytes = connection.secret();
          try {
            return new TextDecoder().decode(bytes);
          } finally {
            bytes.fill(0);
          }
        },
        // The SDK writes its swap data under <dir>/<network>/<fingerprint>: kept when the
        // connection is removed, because a swap in flight may still need it to claim or refund.
        workingDir: path.join(deps.profileDir, 'breez'),
        log: ctx.log.child('breez'),
        ...(deps.connectTimeoutMs !== undefined ? { connectTimeoutMs: deps.connectTimeoutMs } : {}),
      });
    },
  };
}
