import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createEcashService } from '../../main/ecash/service';
import { createEcashSocialService } from '../../main/ecash/social-service';
import { createNostrService } from '../../main/nostr/service';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { LightningLedger } from '../stack/lightning/ledger';

/**
 * One person of the eCash-with-others tests: a profile (SQLite file, vault) holding a NOSTR
 * identity on the given relays and an eCash wallet on its own recovery words, with the social
 * service between them, as the app's core wires them.
 */
export async function ecashPerson(
  ledger: LightningLedger,
  relays: string[],
  opts: { words: string; nsec?: string; dir?: string; fetch?: typeof fetch; backupDebounceMs?: number },
) {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flash-ecash-social-'));
  const db = openDatabase(path.join(dir, 'flash.db'));
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  if (vault.status().state === 'uninitialized') await vault.setup('ecash social password');
  else await vault.unlock('ecash social password');
  const nostr = createNostrService({
    db,
    vault,
    bus,
    log: silentLogger,
    ncryptsecLogN: 8,
    relay: {
      backoff: { baseMs: 100, maxMs: 400 },
      connectTimeoutMs: 2000,
      publishTimeoutMs: 4000,
      queryTimeoutMs: 2000,
    },
  });
  nostr.start();
  if (!nostr.getIdentity()) {
    if (opts.nsec) nostr.importIdentity({ kind: 'nsec', nsec: opts.nsec });
    else nostr.createIdentity();
    await nostr.setRelays(relays.map((url) => ({ url, read: true, write: true, dm: true })));
  }
  const ecash = createEcashService({
    db,
    vault,
    bus,
    log: silentLogger,
    network: () => 'regtest',
    words: () => ({ mnemonic: opts.words, passphrase: '' }),
    lightning: {
      pay: async ({ text }) => {
        const p = await ledger.pay('stack', text);
        return { state: p.state };
      },
    },
    recheckEveryMs: 3_600_000,
  });
  ecash.start();
  const social = createEcashSocialService({
    ecash,
    nostr,
    bus,
    log: silentLogger,
    queryTimeoutMs: 2000,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.backupDebounceMs !== undefined ? { backupDebounceMs: opts.backupDebounceMs } : {}),
  });
  social.start();
  const identity = nostr.getIdentity();
  if (!identity) throw new Error('no identity');
  return {
    dir,
    db,
    bus,
    vault,
    nostr,
    ecash,
    social,
    pubkey: identity.pubkey,
    npub: identity.npub,
    async fund(mintUrl: string, amount: number) {
      await ecash.addMint(mintUrl).catch(() => undefined);
      const q = await ecash.mintQuote({ mintUrl, unit: 'sat', amount });
      return ecash.payMintQuote(q.id);
    },
    spendable(mintUrl: string): number {
      return ecash.balances().find((b) => b.mintUrl === mintUrl && b.unit === 'sat')?.spendable ?? 0;
    },
    async close(removeDir = true) {
      social.stop();
      await ecash.stop();
      nostr.stop();
      vault.stop();
      db.close();
      if (removeDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type EcashPerson = Awaited<ReturnType<typeof ecashPerson>>;
