import type { Migration } from './types';

export const chainMigration: Migration = {
  version: 4,
  name: 'chain: block headers and transaction proofs',
  up() {},
};
