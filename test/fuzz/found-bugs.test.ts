import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { FlashCore } from '../../main/core/container';
import type { Stack } from '../stack';
import { startStack } from '../stack';
import { startTestCore, tempDir } from '../support/core';

/**
 * Failures the fuzzers found, kept with their shrunk counterexample as plain regression tests
 * once fixed at the root.
 */

let stack: Stack;
let core: FlashCore;
let dataDir = '';

const call = (method: MethodName, input: unknown): Promise<Result<unknown>> =>
  core.dispatcher.dispatch(method, input);
async function must<T>(method: MethodName, input: unknown = {}): Promise<T> {
  const r = await call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

let walletId = '';
let address = '';
let outpoint = '';

beforeAll(async () => {
  stack = await startStack();
  dataDir = tempDir('flash-fuzz-open-bugs-');
  core = startTestCore({ dataDir, electrum: stack.electrum });
  await must('vault.setup', { password: 'fuzzing is believing' });
  const words =
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
  walletId = (await must<{ id: string }>('wallet.restore', { words: words.split(' '), name: 'Open bugs' }))
    .id;
  const overview = () =>
    must<{ receive: { address: string }; balance: { confirmed: number } }>('wallet.getOverview', {
      walletId,
    });
  address = (await overview()).receive.address;
  stack.chain.send(address, 1_000_000);
  stack.chain.mine(1);
  for (let i = 0; i < 300 && (await overview()).balance.confirmed < 1_000_000; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  outpoint = (await must<{ outpoint: string }[]>('coins.list', { walletId }))[0]?.outpoint ?? '';
  expect(outpoint).not.toBe('');
});

afterAll(async () => {
  core?.stop();
  await stack?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('bugs the fuzzers found', () => {
  // bridge.send.prepare, FUZZ_SEED=1128591044 (long run): coin control naming the same coin twice
  // reached bitcoinjs, which threw "Duplicate input detected." -> INTERNAL.
  it('send.prepare with the same coin twice in `coins` spends it once', async () => {
    const r = await call('send.prepare', {
      walletId,
      outputs: [{ address, sats: 10_000 }],
      feeRate: 2,
      coins: [outpoint, outpoint],
    });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    expect((r.value as { inputs: unknown[] }).inputs).toHaveLength(1);
  });
});
