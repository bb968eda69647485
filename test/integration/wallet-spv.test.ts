import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createChainService } from '../../main/bitcoin/chain/service';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import { createWalletService } from '../../main/bitcoin/wallet/service';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createSettingsService } from '../../main/core/settings';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { Stack } from '../stack';
import { startStack } from '../stack';

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
let stack: Stack;
let dir: string;
let stopAll: (() => void) | null = null;

beforeEach(async () => {
  stack = await startStack();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-spv-it-'));
});

afterEach(async () => {
  stopAll?.();
  stopAll = null;
  await stack.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The wallet as the container builds it: Electrum, then the SPV chain, then the wallet that asks it. */
async function startWallet() {
  const db = openDatabase(path.join(dir, 'flash.db'));
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  await vault.setup('correct horse battery');
  const settings = createSettingsService({
    db,
    bus,
    defaultNetwork: 'regtest',
    electrumOverride: stack.electrum,
  });
  const electrum = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer: stack.electrum,
    backoff: { baseMs: 50, maxMs: 200 },
  });
  const chain = createChainService({ db, electrum, log: silentLogger, network: 'regtest', lieCooldownMs: 0 });
  const wallet = createWalletService({
    db,
    vault,
    electrum,
    bus,
    settings,
    log: silentLogger,
    verifier: chain,
  });
  electrum.start();
  chain.start();
  wallet.start();
  stopAll = () => {
    wallet.stop();
    chain.stop();
    electrum.stop();
    vault.stop();
    db.close();
  };
  const summary = wallet.restore({
    words: WORDS.split(' '),
    passphrase: '',
    name: 'SPV',
    network: 'regtest',
  });
  return { wallet, electrum, id: summary.id };
}

it('marks confirmed transactions verified only after their merkle proof checks out', async () => {
  const { wallet, id } = await startWallet();
  const address = wallet.overview(id).receive.address;
  const { txid } = stack.chain.send(address, 30_000);
  await expect
    .poll(() => wallet.activity(id, 10, 0).items[0]?.verification, { timeout: 15_000 })
    .toBe('mempool');
  stack.chain.mine(1);
  await expect
    .poll(() => wallet.activity(id, 10, 0).items.find((i) => i.txid === txid)?.verification, {
      timeout: 15_000,
    })
    .toBe('verified');
});

it('refuses a confirmed transaction whose merkle branch is wrong, and takes it once an honest answer comes', async () => {
  const { wallet, electrum, id } = await startWallet();
  await expect.poll(() => wallet.overview(id).sync.phase, { timeout: 15_000 }).toBe('synced');
  const address = wallet.overview(id).receive.address;
  stack.setLie('bad-merkle');
  const { txid } = stack.chain.send(address, 45_000);
  stack.chain.mine(1);
  // The liar's history is never stored as confirmed: no verified row, and no confirmed balance.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(wallet.overview(id).balance.confirmed).toBe(0);
  expect(wallet.activity(id, 10, 0).items.find((i) => i.txid === txid)?.verification ?? 'absent').not.toBe(
    'verified',
  );
  // Its only server caught lying, the wallet stops using it and says so until the user retries.
  expect(electrum.status().warning?.code).toBe('SERVER_MARKED_BAD');
  stack.setLie('none');
  electrum.reconnect();
  await expect
    .poll(() => wallet.activity(id, 10, 0).items.find((i) => i.txid === txid)?.verification, {
      timeout: 20_000,
    })
    .toBe('verified');
  expect(wallet.overview(id).balance.confirmed).toBe(45_000);
});
