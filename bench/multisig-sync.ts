import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createChainService } from '../main/bitcoin/chain/service';
import { createElectrumService } from '../main/bitcoin/electrum/service';
import type { ClientStats } from '../main/bitcoin/electrum/types';
import { policyDescriptor, descriptorOf } from '../main/bitcoin/multisig/policy';
import { createMultisigRepository } from '../main/bitcoin/multisig/repository';
import { createMultisigAddressDeriver } from '../main/bitcoin/multisig/scripts';
import { createAddressDeriver, deriveAccount } from '../main/bitcoin/wallet/derivation';
import { createWalletService } from '../main/bitcoin/wallet/service';
import { createEventBus } from '../main/core/event-bus';
import { silentLogger } from '../main/core/logger';
import { createSettingsService } from '../main/core/settings';
import { openDatabase } from '../main/store/database';
import { createVaultService } from '../main/vault/service';
import { startBitcoinStack } from '../test/stack/bitcoin';
import { fundMany } from '../test/stack/bulk';
import { testPolicy } from '../test/fixtures/multisig/keys';
import { fmtMs, printTable, ratio } from './stats';

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const RECEIVE_USED = 800;
const CHANGE_USED = 200;
const TXS = 2_000;
const PASSWORD = 'bench password';

interface Run {
  name: string;
  stats: ClientStats;
  ms: number;
  txs: number;
}

type Kind = 'single' | 'multisig';

/**
 * Issue 14's figure: the first sync and an unchanged reopen of a 2-of-3 P2WSH multisig wallet with
 * 1,000 used addresses (800 receive, 200 change) and 2,000 transactions, against a single-key
 * BIP84 wallet of the same shape on the same stack, in the same run. Both go through the real
 * wallet, chain and Electrum services on real SQLite; the multisig one derives three keys and a
 * witness script per address. Also the bare derivation cost per address of each.
 */
export async function benchMultisigSync(): Promise<void> {
  const stack = await startBitcoinStack();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-bench-multisig-'));
  try {
    const single = createAddressDeriver(deriveAccount(WORDS, '', 'regtest').xpub, 'regtest');
    const policy = testPolicy('wsh', 2);
    const multi = createMultisigAddressDeriver(descriptorOf(policy), 'regtest');
    const usedOf = (d: { derive(chain: 0 | 1, i: number): { address: string } }) => [
      ...Array.from({ length: RECEIVE_USED }, (_, i) => d.derive(0, i).address),
      ...Array.from({ length: CHANGE_USED }, (_, i) => d.derive(1, i).address),
    ];
    const deriveMs = (d: { derive(chain: 0 | 1, i: number): unknown }, offset: number) => {
      const t = performance.now();
      for (let i = 0; i < 1_000; i++) d.derive(0, offset + i);
      return (performance.now() - t) / 1_000;
    };
    const singleDerive = deriveMs(
      createAddressDeriver(deriveAccount(WORDS, '', 'regtest').xpub, 'regtest'),
      5_000,
    );
    const multiDerive = deriveMs(createMultisigAddressDeriver(descriptorOf(policy), 'regtest'), 5_000);
    for (const used of [usedOf(single), usedOf(multi)]) {
      fundMany(
        stack.chain,
        Array.from({ length: TXS }, (_, i) => ({
          address: used[i % used.length] as string,
          sats: 10_000 + i,
        })),
        { perBlock: 500 },
      );
    }
    console.log(
      `\nMultisig sync (issue 14): 2-of-3 P2WSH vs single-key BIP84, each ${RECEIVE_USED + CHANGE_USED} used addresses ` +
        `and ${TXS} transactions, tip ${stack.chain.tipHeight}`,
    );
    const runs: Run[] = [];
    for (const kind of ['single', 'multisig'] as const) {
      const file = path.join(dir, `${kind}.db`);
      runs.push(await run(`${kind}: first sync`, kind, file, stack.electrum, true, policy));
      runs.push(await run(`${kind}: unchanged reopen`, kind, file, stack.electrum, false, policy));
    }
    const [sFirst, sReopen, mFirst, mReopen] = runs as [Run, Run, Run, Run];
    printTable(
      'Multisig vs single-key sync (same stack, same run)',
      ['run', 'txs', 'round trips', 'requests', 'wall', 'wall / single-key'],
      runs.map((r) => {
        const base = r.name.endsWith('first sync') ? sFirst : sReopen;
        return [
          r.name,
          String(r.txs),
          String(r.stats.roundTrips),
          String(r.stats.requests),
          fmtMs(r.ms),
          ratio(r.ms, base.ms),
        ];
      }),
    );
    console.log(
      `Address derivation: single-key ${fmtMs(singleDerive)} per address, 2-of-3 ${fmtMs(multiDerive)} per address ` +
        `(${ratio(multiDerive, singleDerive)}). Multisig first sync ${ratio(mFirst.ms, sFirst.ms)} of single-key, ` +
        `reopen ${ratio(mReopen.ms, sReopen.ms)}.`,
    );
  } finally {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function run(
  name: string,
  kind: Kind,
  dbFile: string,
  server: { host: string; port: number; transport: 'tcp' },
  create: boolean,
  policy: ReturnType<typeof testPolicy>,
): Promise<Run> {
  const db = openDatabase(dbFile);
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  if (create) await vault.setup(PASSWORD);
  const settings = createSettingsService({ db, bus, defaultNetwork: 'regtest', electrumOverride: server });
  const electrum = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer: settings.electrumServer('regtest'),
  });
  const chain = createChainService({ db, electrum, log: silentLogger, network: 'regtest' });
  const wallet = createWalletService({
    db,
    vault,
    electrum,
    bus,
    settings,
    log: silentLogger,
    verifier: chain,
  });
  let walletId: string | null = create ? null : (wallet.list()[0]?.id ?? null);
  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not synced within 180 s`)), 180_000);
    bus.on('sync.progress', (p) => {
      if (p.sync.phase === 'synced' && (walletId === null || p.walletId === walletId)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const t0 = performance.now();
  electrum.start();
  chain.start();
  wallet.start();
  if (create) {
    await new Promise<void>((resolve) => {
      if (electrum.status().state === 'connected') resolve();
      const off = bus.on('electrum.status', (s) => {
        if (s.state === 'connected') {
          off();
          resolve();
        }
      });
    });
    if (kind === 'single') {
      walletId = wallet.restore({
        words: WORDS.split(' '),
        passphrase: '',
        name: 'Bench',
        network: 'regtest',
      }).id;
    } else {
      const id = randomBytes(8).toString('hex');
      const repo = createMultisigRepository(db);
      walletId = wallet.addMultisig({
        id,
        name: 'Bench vault',
        network: 'regtest',
        descriptor: policyDescriptor(policy),
        writeDetails: () =>
          repo.insert({
            walletId: id,
            script: policy.script,
            threshold: policy.threshold,
            cosigners: policy.keys.map((k, i) => ({
              ...k,
              label: `Key ${i + 1}`,
              kind: 'watch',
              seedWalletId: null,
            })),
          }),
      }).id;
    }
  }
  await synced;
  await wallet.idle();
  const ms = performance.now() - t0;
  const stats = electrum.stats?.() ?? { roundTrips: 0, requests: 0, bytesSent: 0, bytesReceived: 0 };
  const txs = walletId ? wallet.activity(walletId, 1, 0).total : 0;
  wallet.stop();
  chain.stop();
  electrum.stop();
  vault.stop();
  db.close();
  return { name, stats, ms, txs };
}

if (process.argv[1] && /multisig-sync\.ts$/.test(process.argv[1])) {
  benchMultisigSync().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
