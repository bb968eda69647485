import { expect, it } from 'vitest';
import type { LieEvent } from '../../main/bitcoin/chain/service';
import { checkProofOfWork, parseHeaderHex } from '../../main/bitcoin/chain/header';
import { CHAIN_PARAMS } from '../../main/bitcoin/chain/params';
import { connectElectrum } from '../../main/bitcoin/electrum/client';
import { startStackApp, useRegtestStack } from '../support/stack-app';
import { until } from '../support/wait';

// A fresh stack per test: each leaves its server lying and marked bad.
const suite = useRegtestStack('flash-header-time-', { perTest: true });

/** The SPV chain against the stack, in step with its tip, collecting every lie it catches. */
async function startInStep() {
  const app = await startStackApp(suite.stack, suite.dir, {
    spv: { lieCooldownMs: 0 },
    backoff: { baseMs: 50, maxMs: 200 },
    cleanup: suite.cleanup,
  });
  const lies: LieEvent[] = [];
  app.chain.onLie((e) => lies.push(e));
  await until('headers in step', () => app.chain.tip()?.hash === suite.stack.chain.tip().hash);
  return { ...app, lies };
}

it.each([
  ['old-timestamp', /not after \d+, the median time of the 11 blocks before it/],
  ['future-timestamp', /minutes ahead of this computer's clock \(at most 120 allowed\)/],
] as const)(
  "drops a server whose new tip breaks a time rule ('%s') and keeps its own tip",
  async (mode, detail) => {
    const app = await startInStep();
    const before = app.chain.tip();
    suite.stack.setLie(mode);
    suite.stack.chain.mine(1);

    await until('the lie caught', () => app.lies.length > 0);
    expect(app.lies).toHaveLength(1);
    expect(app.lies[0]).toMatchObject({ reason: 'bad-header', network: 'regtest' });
    expect(app.lies[0]?.detail).toMatch(detail);
    // Nothing from the liar was kept.
    expect(app.chain.tip()).toEqual(before);
    // The wallet stops using it and says why.
    await until('the liar dropped', () => app.electrum.status().warning?.code === 'SERVER_MARKED_BAD');
    expect(app.electrum.status().warning?.message).toMatch(detail);
  },
);

it('the lying headers are validly mined: only their time is wrong', async () => {
  const chain = suite.stack.chain;
  chain.mine(1);
  const honest = chain.tip();
  for (const mode of ['old-timestamp', 'future-timestamp'] as const) {
    suite.stack.setLie(mode);
    const { headerHex } = await headerFromServer();
    const header = parseHeaderHex(headerHex);
    expect(checkProofOfWork(header, CHAIN_PARAMS.regtest.powLimit)).toBe(true);
    expect(header.prevHash).toBe(parseHeaderHex(honest.headerHex).prevHash);
    expect(header.merkleRoot).toBe(parseHeaderHex(honest.headerHex).merkleRoot);
    expect(header.hash).not.toBe(honest.hash);
    const now = Math.floor(Date.now() / 1000);
    if (mode === 'future-timestamp') expect(header.timestamp).toBeGreaterThan(now + 2 * 3600);
    else expect(header.timestamp).toBeLessThan(parseHeaderHex(honest.headerHex).timestamp);
  }
  suite.stack.setLie('none');
  expect((await headerFromServer()).headerHex).toBe(honest.headerHex);
});

/** The tip header exactly as the stack's Electrum server sends it to any client. */
async function headerFromServer(): Promise<{ height: number; headerHex: string }> {
  const client = await connectElectrum(suite.stack.electrum, { timeoutMs: 5_000 });
  try {
    const tip = (await client.request('blockchain.headers.subscribe', [])) as { height: number; hex: string };
    return { height: tip.height, headerHex: tip.hex };
  } finally {
    client.close();
  }
}
