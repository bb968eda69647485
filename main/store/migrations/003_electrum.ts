import type { Migration } from './types';

export const electrumMigration: Migration = {
  version: 3,
  name: 'electrum: pinned TLS certificates',
  up() {},
};
