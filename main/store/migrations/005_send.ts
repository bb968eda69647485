import type { Migration } from './types';

export const sendMigration: Migration = {
  version: 5,
  name: 'send: outgoing payment journal',
  up() {},
};
