import type { Migration } from './types';

export const walletMigration: Migration = {
  version: 2,
  name: 'wallet: wallets, addresses, transactions',
  up() {},
};
