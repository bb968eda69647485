import type { Migration } from './types';
import { coreMigration } from './001_core';
import { walletMigration } from './002_wallet';
import { electrumMigration } from './003_electrum';
import { chainMigration } from './004_chain';
import { sendMigration } from './005_send';
import { nostrMigration } from './006_nostr';
import { coinsMigration } from './007_coins';
import { nostrSocialMigration } from './008_nostr_social';
import { hardwareMigration } from './009_hardware';
import { accountsMigration } from './010_accounts';
import { nwcServiceMigration } from './011_nwc_service';
import { lightningMigration } from './013_lightning';
import { walletAggregatesMigration } from './012_wallet_aggregates';
import { merchantMigration } from './014_merchant';
import { merchantCardsMigration } from './015_merchant_cards';
import { ecashMigration } from './016_ecash';
import { multisigMigration } from './017_multisig';

/** Append only. A shipped migration is never edited: add a new one instead. */
export const MIGRATIONS: readonly Migration[] = [
  coreMigration,
  walletMigration,
  electrumMigration,
  chainMigration,
  sendMigration,
  nostrMigration,
  coinsMigration,
  nostrSocialMigration,
  hardwareMigration,
  accountsMigration,
  nwcServiceMigration,
  lightningMigration,
  walletAggregatesMigration,
  merchantMigration,
  merchantCardsMigration,
  ecashMigration,
  multisigMigration,
];

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
