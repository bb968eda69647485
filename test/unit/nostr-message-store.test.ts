import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { generateKeyPair } from '../../main/nostr/identity';
import { conversationId, createMessageStore, MESSAGES_KEY_SECRET } from '../../main/nostr/message-store';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { VaultService } from '../../main/vault/types';

let dir: string;
let db: Db;
let vault: VaultService;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-nostr-store-'));
  db = openDatabase(path.join(dir, 'flash.db'));
  vault = createVaultService({
    db,
    bus: createEventBus(),
    log: silentLogger,
    kdf: { N: 2 ** 10, r: 8, p: 1 },
  });
  vault.start();
  await vault.setup('correct horse battery');
  vault.putSecret(MESSAGES_KEY_SECRET, crypto.getRandomValues(new Uint8Array(32)));
});

afterEach(() => {
  vault.stop();
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const hex = (n: number) => n.toString(16).padStart(64, '0');

describe('nostr message store', () => {
  it('never writes message text in plain: not in the db file, not in the WAL', () => {
    const store = createMessageStore(db, () => vault.getSecret(MESSAGES_KEY_SECRET));
    const me = generateKeyPair().pubkey;
    const bob = generateKeyPair().pubkey;
    store.insertIdentity('id1', me, 1);
    const secretText = 'PLAINTEXT-CANARY-7d1e4 meet at the old mill';
    store.saveMessage({
      id: hex(1),
      identityId: 'id1',
      members: [me, bob],
      sender: bob,
      createdAt: 10,
      direction: 'in',
      legacy: false,
      text: secretText,
      subject: 'CANARY-SUBJECT',
    });
    const scan = () => {
      for (const f of fs.readdirSync(dir)) {
        const bytes = fs.readFileSync(path.join(dir, f));
        expect(bytes.includes(Buffer.from('PLAINTEXT-CANARY')), f).toBe(false);
        expect(bytes.includes(Buffer.from('CANARY-SUBJECT')), f).toBe(false);
      }
    };
    expect(fs.existsSync(path.join(dir, 'flash.db-wal'))).toBe(true);
    scan();
    db.pragma('wal_checkpoint(TRUNCATE)');
    scan();
    expect(store.messages(conversationId([me, bob]))[0]?.text).toBe(secretText);
    db.close();
    scan();
  });

  it('counts unread, marks read, dedupes, searches in memory, and refuses when locked', () => {
    const store = createMessageStore(db, () => vault.getSecret(MESSAGES_KEY_SECRET));
    const me = generateKeyPair().pubkey;
    const bob = generateKeyPair().pubkey;
    const carol = generateKeyPair().pubkey;
    store.insertIdentity('id1', me, 1);
    const base = { identityId: 'id1', legacy: false } as const;
    store.saveMessage({
      ...base,
      id: hex(1),
      members: [me, bob],
      sender: bob,
      createdAt: 10,
      direction: 'in',
      text: 'Lunch tomorrow?',
    });
    store.saveMessage({
      ...base,
      id: hex(2),
      members: [bob, me],
      sender: bob,
      createdAt: 11,
      direction: 'in',
      text: 'at noon',
    });
    const dup = store.saveMessage({
      ...base,
      id: hex(2),
      members: [bob, me],
      sender: bob,
      createdAt: 11,
      direction: 'in',
      text: 'at noon',
    });
    expect(dup.inserted).toBe(false);
    store.saveMessage({
      ...base,
      id: hex(3),
      members: [me, bob],
      sender: me,
      createdAt: 12,
      direction: 'out',
      text: 'Sure, LUNCH it is',
    });
    store.saveMessage({
      ...base,
      id: hex(4),
      members: [me, carol, bob],
      sender: carol,
      createdAt: 13,
      direction: 'in',
      text: 'group hello',
    });

    const convs = store.conversations('id1');
    expect(convs).toHaveLength(2);
    expect(convs[0]?.members).toEqual([me, bob, carol].sort());
    const direct = convs.find((c) => c.members.length === 2)!;
    expect(direct.id).toBe(conversationId([bob, me]));
    expect(direct.unread).toBe(2);
    expect(direct.lastMessage?.text).toBe('Sure, LUNCH it is');
    store.markRead(direct.id);
    expect(store.conversation(direct.id)?.unread).toBe(0);

    expect(store.search('id1', 'lunch').map((m) => m.id)).toEqual([hex(3), hex(1)]);
    expect(store.search('id1', 'nothing like this')).toEqual([]);

    vault.lock();
    expect(() => store.search('id1', 'lunch')).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }));
  });

  it('a sealed row moved to another message id does not open', () => {
    const store = createMessageStore(db, () => vault.getSecret(MESSAGES_KEY_SECRET));
    const me = generateKeyPair().pubkey;
    store.insertIdentity('id1', me, 1);
    store.saveMessage({
      id: hex(1),
      identityId: 'id1',
      members: [me],
      sender: me,
      createdAt: 1,
      direction: 'out',
      legacy: false,
      text: 'a',
    });
    store.saveMessage({
      id: hex(2),
      identityId: 'id1',
      members: [me],
      sender: me,
      createdAt: 2,
      direction: 'out',
      legacy: false,
      text: 'b',
    });
    db.prepare(
      'UPDATE nostr_messages SET sealed = (SELECT sealed FROM nostr_messages WHERE id = ?), nonce = (SELECT nonce FROM nostr_messages WHERE id = ?) WHERE id = ?',
    ).run(hex(1), hex(1), hex(2));
    expect(() => store.message(hex(2))).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
  });
});
