import type { Migration } from './types';

export const nostrMigration: Migration = {
  version: 6,
  name: 'nostr: identities, relays, events, messages',
  up() {},
};
