import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { IdentityRow, MessageStore } from './message-store';
import type { RelayPool } from './relay-pool';
import type { SocialStore } from './social-store';
import type { NostrEvent } from './verify';

/** What the social parts (channels, contacts, people, merchant) need from the NOSTR service. */
export interface SocialContext {
  store: MessageStore;
  social: SocialStore;
  log: Logger;
  emit: EventBus['emit'];
  now(): number;
  nowSec(): number;
  identity(): IdentityRow | null;
  requireIdentity(): IdentityRow;
  sign(template: { kind: number; created_at: number; tags: string[][]; content: string }): NostrEvent;
  /** Throws when the service is not started. */
  pool(): RelayPool;
  poolOrNull(): RelayPool | null;
  writeRelays(): string[];
  /** Read, write and DM relays together. */
  allRelays(): string[];
  queryTimeoutMs: number;
}
