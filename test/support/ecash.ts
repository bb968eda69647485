import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createEcashService } from '../../main/ecash/service';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { LightningLedger } from '../stack/lightning/ledger';

export const TEST_WORDS = 'half depart obvious quality work element tank gorilla view sugar picture humble';

/** An eCash service on its own SQLite file and vault, paying mint quotes from the ledger's `stack` node. */
export async function ecashWallet(
  ledger: LightningLedger,
  opts: { dir?: string; words?: string; recheckEveryMs?: number } = {},
) {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flash-ecash-'));
  const db = openDatabase(path.join(dir, 'flash.db'));
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  if (vault.status().state === 'uninitialized') await vault.setup('ecash test password');
  else await vault.unlock('ecash test password');
  const events: { name: string; payload: unknown }[] = [];
  for (const name of ['ecash.operation', 'ecash.tokenClaimed', 'ecash.balance', 'ecash.mint'] as const)
    bus.on(name, (payload) => void events.push({ name, payload }));
  const ecash = createEcashService({
    db,
    vault,
    bus,
    log: silentLogger,
    network: () => 'regtest',
    words: () => ({ mnemonic: opts.words ?? TEST_WORDS, passphrase: '' }),
    lightning: {
      pay: async ({ text }) => {
        const p = await ledger.pay('stack', text);
        return { state: p.state };
      },
    },
    recheckEveryMs: opts.recheckEveryMs ?? 3_600_000,
  });
  return {
    dir,
    db,
    vault,
    ecash,
    events,
    async close(removeDir = true) {
      await ecash.stop();
      vault.stop();
      db.close();
      if (removeDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until<T>(
  fn: () => Promise<T | null | false> | T | null | false,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
