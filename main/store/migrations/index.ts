import type { Migration } from './types';
import { coreMigration } from './001_core';
import { walletMigration } from './002_wallet';
import { electrumMigration } from './003_electrum';
import { chainMigration } from './004_chain';
import { sendMigration } from './005_send';
import { nostrMigration } from './006_nostr';
import { coinsMigration } from './007_coins';

/** Append only. A shipped migration is never edited: add a new one instead. */
export const MIGRATIONS: readonly Migration[] = [
  coreMigration,
  walletMigration,
  electrumMigration,
  chainMigration,
  sendMigration,
  nostrMigration,
  coinsMigration,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
