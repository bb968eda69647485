import { expect, it } from 'vitest';
import { startStackApp, useRegtestStack } from '../support/stack-app';

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
// A fresh stack per test: a test leaves it lying, and the server marked bad.
const suite = useRegtestStack('flash-spv-it-', { perTest: true });

/** The wallet as the container builds it: Electrum, then the SPV chain, then the wallet that asks it. */
async function startWallet() {
  const { wallet, electrum } = await startStackApp(suite.stack, suite.dir, {
    spv: { lieCooldownMs: 0 },
    backoff: { baseMs: 50, maxMs: 200 },
    cleanup: suite.cleanup,
  });
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
  const { txid } = suite.stack.chain.send(address, 30_000);
  await expect
    .poll(() => wallet.activity(id, 10, 0).items[0]?.verification, { timeout: 15_000 })
    .toBe('mempool');
  suite.stack.chain.mine(1);
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
  suite.stack.setLie('bad-merkle');
  const { txid } = suite.stack.chain.send(address, 45_000);
  suite.stack.chain.mine(1);
  // The liar's history is never stored as confirmed: no verified row, and no confirmed balance.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(wallet.overview(id).balance.confirmed).toBe(0);
  expect(wallet.activity(id, 10, 0).items.find((i) => i.txid === txid)?.verification ?? 'absent').not.toBe(
    'verified',
  );
  // Its only server caught lying, the wallet stops using it and says so until the user retries.
  expect(electrum.status().warning?.code).toBe('SERVER_MARKED_BAD');
  suite.stack.setLie('none');
  electrum.reconnect();
  await expect
    .poll(() => wallet.activity(id, 10, 0).items.find((i) => i.txid === txid)?.verification, {
      timeout: 20_000,
    })
    .toBe('verified');
  expect(wallet.overview(id).balance.confirmed).toBe(45_000);
});

it('counts confirmations from headers it validated: a lying server’s new tip adds none', async () => {
  const { wallet, electrum, id } = await startWallet();
  await expect.poll(() => wallet.overview(id).sync.phase, { timeout: 15_000 }).toBe('synced');
  const { txid } = suite.stack.chain.send(wallet.overview(id).receive.address, 21_000);
  suite.stack.chain.mine(1);
  const height = suite.stack.chain.tipHeight;
  await expect
    .poll(() => wallet.activity(id, 10, 0).items.find((i) => i.txid === txid)?.confirmations, {
      timeout: 15_000,
    })
    .toBe(1);
  expect(wallet.overview(id).tipHeight).toBe(height);

  // The server announces a next block whose header fails proof of work: it is dropped, and the
  // block it claimed counts for nothing here.
  suite.stack.setLie('bad-pow-header');
  suite.stack.chain.mine(1);
  await expect.poll(() => electrum.status().warning?.code, { timeout: 15_000 }).toBe('SERVER_MARKED_BAD');
  await wallet.idle();
  expect(wallet.overview(id).tipHeight).toBe(height);
  expect(wallet.activity(id, 10, 0).items.find((i) => i.txid === txid)?.confirmations).toBe(1);
  expect(wallet.transaction(id, txid).confirmations).toBe(1);
  expect(wallet.overview(id).balance).toEqual({ confirmed: 21_000, confirming: 0, unconfirmed: 0 });

  // Honest again: the real block is validated and counted.
  suite.stack.setLie('none');
  electrum.reconnect();
  await expect
    .poll(() => wallet.activity(id, 10, 0).items.find((i) => i.txid === txid)?.confirmations, {
      timeout: 15_000,
    })
    .toBe(2);
});
