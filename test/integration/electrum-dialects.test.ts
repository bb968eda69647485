import { describe, expect, it } from 'vitest';
import { fetchFeeEstimates } from '../../main/bitcoin/send/fees';
import type { LieEvent } from '../../main/bitcoin/chain/service';
import type { DialectQuirk, ProtocolOffer } from '../stack/electrum-methods';
import { createElectrumServer } from '../stack/electrum-server';
import { startStackApp, useRegtestStack } from '../support/stack-app';
import { until } from '../support/wait';

/**
 * The wallet against servers that speak the protocol each in their own way, as real ones do. Each
 * must end in a synced, verified balance with a clear status, and no server may be called a liar
 * for its dialect: a lie is only what a proof of work, merkle proof, txid hash or header chain
 * proves false.
 */

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const suite = useRegtestStack('flash-dialect-it-', { perTest: true });

async function walletOnStack(opts: { fallbacks?: boolean } = {}) {
  const app = await startStackApp(suite.stack, suite.dir, {
    spv: { lieCooldownMs: 0 },
    backoff: { baseMs: 50, maxMs: 300 },
    cleanup: suite.cleanup,
    ...(opts.fallbacks ? { fallbackServers: [healthy] } : {}),
  });
  const lies: LieEvent[] = [];
  app.chain.onLie((l) => lies.push(l));
  const id = app.wallet.restore({
    words: WORDS.split(' '),
    passphrase: '',
    name: 'Dialect',
    network: 'regtest',
  }).id;
  return { ...app, id, lies };
}

/** Pays the wallet, mines it, and waits for a verified confirmed balance. */
async function receiveAndConfirm(
  app: Awaited<ReturnType<typeof walletOnStack>>,
  sats: number,
  total = sats,
): Promise<string> {
  await until('first sync', () => app.wallet.overview(app.id).sync.phase === 'synced', 20_000);
  const { txid } = suite.stack.chain.send(app.wallet.overview(app.id).receive.address, sats);
  suite.stack.chain.mine(1);
  await until(
    'verified confirmation',
    () =>
      app.wallet.overview(app.id).balance.confirmed === total &&
      app.wallet.activity(app.id, 10, 0).items.find((i) => i.txid === txid)?.verification === 'verified',
    20_000,
  );
  return txid;
}

let healthy = { host: '127.0.0.1', port: 0, transport: 'tcp' as const };

const QUIRKS: DialectQuirk[] = [
  'no-batch',
  'close-on-error',
  'estimatefee-unavailable',
  'ignore-cp-height',
  'rate-limit',
  'electrumx-errors',
];

describe.each(QUIRKS)('a server with the "%s" dialect', (quirk) => {
  it('syncs, verifies and estimates fees, and is never marked as lying', async () => {
    suite.stack.electrumServer.setQuirks([quirk]);
    const app = await walletOnStack();
    if (quirk === 'rate-limit') {
      // Enough subscriptions in one flight to run over the server's budget.
      app.wallet.setGapLimit(app.id, { receive: 200, change: 50 });
    }
    await receiveAndConfirm(app, 61_000);
    // An error reply of the ordinary kind (a transaction the server does not have): some servers
    // hang up after one. The wallet reconnects and goes on; nothing about it is a lie.
    const err = await app.electrum
      .client()
      .request('blockchain.transaction.get', ['00'.repeat(32)])
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toMatchObject({ code: 'ELECTRUM_PROTOCOL', details: { rpcKind: 'refused' } });
    await until(
      'connected again',
      () => app.electrum.status().state === 'connected' && app.electrum.client().isOpen,
    );
    await receiveAndConfirm(app, 61_000, 122_000);
    const fees = await fetchFeeEstimates(app.electrum.client());
    expect(fees.fast).toBeGreaterThanOrEqual(fees.minimum);
    if (quirk === 'estimatefee-unavailable') expect(fees.source).not.toBe('estimatefee');
    else expect(fees.source).toBe('estimatefee');
    expect(app.lies).toEqual([]);
    expect(app.electrum.status()).toMatchObject({ state: 'connected' });
    expect(app.electrum.status().warning ?? null).toBeNull();
  });
});

describe('protocol versions the server may choose', () => {
  it.each<[ProtocolOffer, string]>([
    ['1.4', '1.4.2'],
    ['1.5', '1.5'],
    ['1.6', '1.6'],
  ])('offer %s: negotiates %s, syncs and shows it in the status', async (offer, version) => {
    suite.stack.electrumServer.setProtocol(offer);
    const app = await walletOnStack();
    await receiveAndConfirm(app, 42_000);
    expect(app.electrum.status()).toMatchObject({
      state: 'connected',
      protocolVersion: version,
      features: { software: 'flash-stack 0.2', protocolMax: expect.any(String) },
    });
    const fees = await fetchFeeEstimates(app.electrum.client());
    expect(fees.minimum).toBe(1);
    expect(app.lies).toEqual([]);
  });
});

describe('a server that breaks its negotiated version', () => {
  it('is a protocol fault: asked again, then dropped for another server, never marked as lying', async () => {
    // A second, healthy server on the same chain to fail over to.
    const second = createElectrumServer({ chain: suite.stack.chain });
    const listening = await second.listen({ transport: 'tcp', port: 0 });
    suite.cleanup.add(() => second.close());
    healthy = { host: listening.host, port: listening.port, transport: 'tcp' };
    suite.stack.electrumServer.setQuirks(['mixed-shapes']);
    const app = await walletOnStack({ fallbacks: true });
    await receiveAndConfirm(app, 55_000);
    expect(app.electrum.status().server.port).toBe(healthy.port);
    expect(app.lies).toEqual([]);
    expect(app.electrum.status().warning ?? null).toBeNull();
    // The fault was reported as one: a protocol error, with the method and version in it.
    expect(app.events.some((e) => e.event === 'electrum.status' && isProtocolFault(e.payload))).toBe(true);
  });

  it('with no other server: keeps retrying with the reason shown, and recovers when the server does', async () => {
    suite.stack.electrumServer.setQuirks(['mixed-shapes']);
    const app = await walletOnStack();
    await until(
      'a protocol error in the status',
      () => app.electrum.status().lastError?.code === 'ELECTRUM_PROTOCOL',
      20_000,
    );
    expect(app.electrum.status().lastError?.message).toMatch(
      /blockchain\.block\.headers reply does not fit protocol/,
    );
    expect(app.electrum.status().warning ?? null).toBeNull();
    expect(app.lies).toEqual([]);
    suite.stack.electrumServer.setQuirks([]);
    await receiveAndConfirm(app, 23_000);
  });
});

function isProtocolFault(payload: unknown): boolean {
  const p = payload as { lastError?: { code?: string; message?: string } | null };
  return p.lastError?.code === 'ELECTRUM_PROTOCOL' && /does not fit protocol/.test(p.lastError.message ?? '');
}
