import { dialectOf, parseHeadersReply, parseRelayFee } from '../../main/bitcoin/electrum/dialect';
import { negotiatedVersion } from '../support/protocol';
import * as bitcoin from 'bitcoinjs-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectElectrum } from '../../main/bitcoin/electrum/client';
import { scriptHash } from '../../main/bitcoin/electrum/script-hash';
import type { ElectrumClient, JsonValue } from '../../main/bitcoin/electrum/types';
import { FlashError } from '../../shared/errors';
import { REGTEST_GENESIS_HASH } from '../stack/chain';
import { createElectrumServer } from '../stack/electrum-server';
import type { Stack } from '../stack/index';
import { startStack } from '../stack/index';
import { fromDisplayHex, rootFromBranch, toDisplayHex } from '../stack/merkle';
import { generateTlsCredentials } from '../stack/tls';

const ALICE = 'bcrt1qn7d2x7272lznt5hhk9s07q3cqnrqljnwladrd3';
const ALICE_SH = scriptHash(bitcoin.address.toOutputScript(ALICE, bitcoin.networks.regtest));

let stack: Stack;
const open: ElectrumClient[] = [];

async function connect(which: 'tcp' | 'tls' = 'tcp', opts: Parameters<typeof connectElectrum>[1] = {}) {
  const client = await connectElectrum(which === 'tcp' ? stack.electrum : stack.electrumTls, {
    timeoutMs: 2_000,
    ...opts,
  });
  open.push(client);
  return client;
}

async function failure(p: Promise<unknown>): Promise<FlashError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FlashError);
  return err as FlashError;
}

function nextNotification(client: ElectrumClient, method: string): Promise<JsonValue[]> {
  return new Promise((resolve) => {
    const off = client.onNotification((m, params) => {
      if (m !== method) return;
      off();
      resolve(params);
    });
  });
}

beforeAll(async () => {
  stack = await startStack();
});

afterEach(() => {
  for (const c of open.splice(0)) c.close();
  stack.setFault('none');
});

afterAll(async () => {
  await stack.stop();
});

describe('Electrum client against the regtest stack', () => {
  it('negotiates the version and reads the tip over TCP', async () => {
    const client = await connect();
    expect(client.protocolVersion).toBe(negotiatedVersion());
    expect(client.serverSoftware).toMatch(/flash-stack/);
    expect(client.certificateFingerprint).toBeNull();
    const tip = (await client.request('blockchain.headers.subscribe', [])) as { height: number; hex: string };
    expect(tip.height).toBe(stack.chain.tipHeight);
    expect(tip.hex).toHaveLength(160);
    const features = (await client.request('server.features', [])) as { genesis_hash: string };
    expect(features.genesis_hash).toBe(REGTEST_GENESIS_HASH);
  });

  it('pins nothing itself but reports the TLS fingerprint, and accepts the matching pin', async () => {
    const first = await connect('tls');
    expect(first.certificateFingerprint).toBe(stack.electrumTlsFingerprint);
    expect(await first.request('server.ping', [])).toBeNull();
    const pinned = await connect('tls', { pinnedFingerprint: stack.electrumTlsFingerprint.toLowerCase() });
    expect(pinned.protocolVersion).toBe(negotiatedVersion());
  });

  it('fails with ELECTRUM_CERT_CHANGED when the certificate no longer matches the pin', async () => {
    // Same chain, a second TLS server with its own certificate; the client pinned the first one.
    const other = createElectrumServer({ chain: stack.chain });
    try {
      const creds = await generateTlsCredentials();
      const { port } = await other.listen({ transport: 'tls', port: 0, tls: creds });
      const err = await failure(
        connectElectrum(
          { host: '127.0.0.1', port, transport: 'tls' },
          { pinnedFingerprint: stack.electrumTlsFingerprint, timeoutMs: 2_000 },
        ),
      );
      expect(err.code).toBe('ELECTRUM_CERT_CHANGED');
      expect(err.details).toMatchObject({
        pinned: stack.electrumTlsFingerprint,
        offered: creds.fingerprint256,
      });
      // The client closed its side; the server sees no lingering connection.
      await waitFor(() => other.connectionCount === 0);
    } finally {
      await other.close();
    }
  });

  it('sends batches in one round trip', async () => {
    const client = await connect();
    const [header, balance, history, fee] = await client.batch([
      { method: 'blockchain.block.header', params: [1] },
      { method: 'blockchain.scripthash.get_balance', params: [ALICE_SH] },
      { method: 'blockchain.scripthash.get_history', params: [ALICE_SH] },
      { method: dialectOf(client).relayFee, params: [] },
    ]);
    expect(header).toBe(stack.chain.blockAt(1)!.headerHex);
    expect(balance).toEqual(stack.chain.balance(ALICE_SH));
    expect(history).toEqual(stack.chain.history(ALICE_SH));
    expect(parseRelayFee(fee ?? null, dialectOf(client))).toBe(0.00001);
  });

  it('rejects a failing call with the server message and keeps the connection', async () => {
    const client = await connect();
    const err = await failure(client.request('no.such.method', []));
    expect(err.code).toBe('ELECTRUM_PROTOCOL');
    expect(err.message).toMatch(/unknown method/i);
    expect(err.details?.rpcKind).toBe('unsupported');
    const bad = await failure(client.request('blockchain.transaction.broadcast', ['00']));
    expect(bad.message).toContain('TX decode failed');
    expect(client.isOpen).toBe(true);
  });

  it('notifies a script hash subscription after send and after mining, with a real merkle proof', async () => {
    const client = await connect();
    const initial = await client.request('blockchain.scripthash.subscribe', [ALICE_SH]);
    expect(initial).toBe(stack.chain.status(ALICE_SH));
    await client.request('blockchain.headers.subscribe', []);

    const sent = nextNotification(client, 'blockchain.scripthash.subscribe');
    const { txid } = stack.chain.send(ALICE, 123_456);
    const [sh, status] = await sent;
    expect(sh).toBe(ALICE_SH);
    expect(status).toBe(stack.chain.status(ALICE_SH));
    expect(status).not.toBe(initial);
    const mempool = (await client.request('blockchain.scripthash.get_mempool', [ALICE_SH])) as {
      tx_hash: string;
    }[];
    expect(mempool.map((m) => m.tx_hash)).toContain(txid);

    const confirmed = nextNotification(client, 'blockchain.scripthash.subscribe');
    const newTip = nextNotification(client, 'blockchain.headers.subscribe');
    stack.chain.mine(1);
    await confirmed;
    const [header] = (await newTip) as [{ height: number; hex: string }];
    expect(header.height).toBe(stack.chain.tipHeight);

    const proof = (await client.request('blockchain.transaction.get_merkle', [txid, header.height])) as {
      merkle: string[];
      pos: number;
      block_height: number;
    };
    const root = rootFromBranch(fromDisplayHex(txid), proof.merkle.map(fromDisplayHex), proof.pos);
    const parsed = bitcoin.Block.fromHex(header.hex);
    expect(toDisplayHex(root)).toBe(toDisplayHex(parsed.merkleRoot!));
    const raw = (await client.request('blockchain.transaction.get', [txid])) as string;
    expect(bitcoin.Transaction.fromHex(raw).getId()).toBe(txid);
  });

  it('broadcasts a transaction the wallet built', async () => {
    const client = await connect();
    const { txid } = stack.chain.send(ALICE, 60_000);
    stack.chain.mine(1);
    const spend = new bitcoin.Transaction();
    spend.addInput(fromDisplayHex(txid), 0);
    spend.addOutput(
      bitcoin.address.toOutputScript(stack.chain.stackAddress, bitcoin.networks.regtest),
      59_000n,
    );
    expect(await client.request('blockchain.transaction.broadcast', [spend.toHex()])).toBe(spend.getId());
    const again = await failure(client.request('blockchain.transaction.broadcast', [spend.toHex()]));
    expect(again.message).toContain('txn-already-in-mempool');
  });

  it('serves header chunks with count and max', async () => {
    const client = await connect();
    const chunk = parseHeadersReply(
      await client.request('blockchain.block.headers', [0, 5000]),
      dialectOf(client),
    );
    expect(chunk.max).toBe(2016);
    expect(chunk.count).toBe(stack.chain.tipHeight + 1);
    expect(chunk.headers[0]).toBe(stack.chain.blockAt(0)!.headerHex);
  });

  it('fails with ELECTRUM_PROTOCOL on garbage, ELECTRUM_TIMEOUT on silence, ELECTRUM_UNREACHABLE when down', async () => {
    stack.setFault('garbage');
    expect((await failure(connect('tcp', { timeoutMs: 1_000 }))).code).toBe('ELECTRUM_PROTOCOL');
    stack.setFault('silent');
    expect((await failure(connect('tcp', { timeoutMs: 200 }))).code).toBe('ELECTRUM_TIMEOUT');
    stack.setFault('down');
    expect((await failure(connect('tcp', { timeoutMs: 1_000 }))).code).toBe('ELECTRUM_UNREACHABLE');
    expect((await failure(connect('tls', { timeoutMs: 1_000 }))).code).toBe('ELECTRUM_UNREACHABLE');
    stack.setFault('none');
    expect((await connect()).protocolVersion).toBe(negotiatedVersion());
  });

  it('closes a live connection when the server turns to garbage', async () => {
    const client = await connect();
    const closed = new Promise<Error | null>((r) => client.onClose(r));
    stack.setFault('garbage');
    await failure(client.request('server.ping', []));
    expect((await closed) as FlashError).toMatchObject({ code: 'ELECTRUM_PROTOCOL' });
  });

  it('reports a refused port as ELECTRUM_UNREACHABLE', async () => {
    const probe = createElectrumServer({ chain: stack.chain });
    const { port } = await probe.listen({ transport: 'tcp', port: 0 });
    await probe.close();
    const err = await failure(
      connectElectrum({ host: '127.0.0.1', port, transport: 'tcp' }, { timeoutMs: 1_000 }),
    );
    expect(err.code).toBe('ELECTRUM_UNREACHABLE');
  });

  it('can be cancelled while connecting', async () => {
    stack.setFault('silent');
    const controller = new AbortController();
    const pending = connectElectrum(stack.electrum, { timeoutMs: 5_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await failure(pending);
    expect(err.code).toBe('ELECTRUM_NOT_CONNECTED');
  });
});

async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
