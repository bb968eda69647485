import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { policyDescriptor, descriptorOf } from '../main/bitcoin/multisig/policy';
import { createMultisigRepository } from '../main/bitcoin/multisig/repository';
import { createMultisigAddressDeriver } from '../main/bitcoin/multisig/scripts';
import { createAddressDeriver, deriveAccount } from '../main/bitcoin/wallet/derivation';
import type { WalletService } from '../main/bitcoin/wallet/types';
import type { Db } from '../main/store/database';
import { startBitcoinStack } from '../test/stack/bitcoin';
import { testPolicy } from '../test/fixtures/multisig/keys';
import { fmtMs, printTable, ratio } from './stats';
import type { SyncRun } from './wallet-sync';
import {
  BENCH_WORDS,
  CHANGE_USED,
  fundUsed,
  RECEIVE_USED,
  restoreBenchWallet,
  usedAddresses,
  walletSyncRun,
} from './wallet-sync';

const TXS = 2_000;

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
    const single = createAddressDeriver(deriveAccount(BENCH_WORDS, '', 'regtest').xpub, 'regtest');
    const policy = testPolicy('wsh', 2);
    const multi = createMultisigAddressDeriver(descriptorOf(policy), 'regtest');
    const deriveMs = (d: { derive(chain: 0 | 1, i: number): unknown }, offset: number) => {
      const t = performance.now();
      for (let i = 0; i < 1_000; i++) d.derive(0, offset + i);
      return (performance.now() - t) / 1_000;
    };
    const singleDerive = deriveMs(
      createAddressDeriver(deriveAccount(BENCH_WORDS, '', 'regtest').xpub, 'regtest'),
      5_000,
    );
    const multiDerive = deriveMs(createMultisigAddressDeriver(descriptorOf(policy), 'regtest'), 5_000);
    for (const used of [usedAddresses(single), usedAddresses(multi)]) fundUsed(stack.chain, used, TXS);
    console.log(
      `\nMultisig sync (issue 14): 2-of-3 P2WSH vs single-key BIP84, each ${RECEIVE_USED + CHANGE_USED} used addresses ` +
        `and ${TXS} transactions, tip ${stack.chain.tipHeight}`,
    );
    const runs: SyncRun[] = [];
    for (const kind of ['single', 'multisig'] as const) {
      const file = path.join(dir, `${kind}.db`);
      runs.push(await run(`${kind}: first sync`, kind, file, stack.electrum, true, policy));
      runs.push(await run(`${kind}: unchanged reopen`, kind, file, stack.electrum, false, policy));
    }
    const [sFirst, sReopen, mFirst, mReopen] = runs as [SyncRun, SyncRun, SyncRun, SyncRun];
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

/** The app's services on `dbFile`: a first sync adds the `kind` wallet, a reopen finds it there. */
function run(
  name: string,
  kind: Kind,
  dbFile: string,
  server: { host: string; port: number; transport: 'tcp' },
  create: boolean,
  policy: ReturnType<typeof testPolicy>,
): Promise<SyncRun> {
  const addWallet = ({ wallet, db }: { wallet: WalletService; db: Db }) =>
    kind === 'single' ? restoreBenchWallet(wallet) : addBenchVault(wallet, db, policy);
  return walletSyncRun({ name, dbFile, server, ...(create ? { addWallet } : {}), timeoutMs: 180_000 });
}

/** The 2-of-3 vault as watch-only cosigners, written as the multisig service writes it. */
function addBenchVault(wallet: WalletService, db: Db, policy: ReturnType<typeof testPolicy>): string {
  const id = randomBytes(8).toString('hex');
  const repo = createMultisigRepository(db);
  return wallet.addMultisig({
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

if (process.argv[1] && /multisig-sync\.ts$/.test(process.argv[1])) {
  benchMultisigSync().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
