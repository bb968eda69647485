import * as ecc from '@bitcoinerlab/secp256k1';
import * as bitcoin from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { afterEach, describe, expect, it } from 'vitest';
import { RegtestChain } from '../../test/stack/chain';
import type { DialectQuirk, ProtocolOffer } from '../../test/stack/electrum-methods';
import { MAX_HEADERS } from '../../test/stack/electrum-methods';
import type { ElectrumTestServer } from '../../test/stack/electrum-server';
import { createElectrumServer, RATE_LIMIT_PER_SECOND } from '../../test/stack/electrum-server';
import { statusHash } from '../../test/stack/electrum-status';
import type { Json } from '../support/raw-electrum-client';
import { RawClient } from '../support/raw-electrum-client';

/**
 * The stand-in against the protocol documents (spesmilo/electrum-protocol), version by version,
 * with a raw line client that knows nothing of the wallet's own client.
 */

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);
const REGTEST = bitcoin.networks.regtest;
const KEY = ECPair.fromPrivateKey(Buffer.alloc(32, 7), { network: REGTEST });
const P2WPKH = bitcoin.payments.p2wpkh({ pubkey: Buffer.from(KEY.publicKey), network: REGTEST });
const ADDRESS = P2WPKH.address as string;
const SCRIPT = P2WPKH.output as Uint8Array;

let chain: RegtestChain;
let server: ElectrumTestServer;
let port: number;
const open: RawClient[] = [];

async function start(protocol: ProtocolOffer, quirks: DialectQuirk[] = []): Promise<void> {
  chain = new RegtestChain();
  server = createElectrumServer({ chain, protocol, quirks });
  ({ port } = await server.listen({ transport: 'tcp', port: 0 }));
}

async function connect(): Promise<RawClient> {
  const c = await RawClient.connect(port);
  open.push(c);
  return c;
}

let nextId = 100;
/** One request; the whole reply (result or error) comes back. */
async function ask(
  c: RawClient,
  method: string,
  params: Json[] = [],
): Promise<{ result?: Json; error?: { code: number; message: string } }> {
  const id = nextId++;
  c.send({ jsonrpc: '2.0', id, method, params });
  const reply = (await c.next()) as { id: number; result?: Json; error?: { code: number; message: string } };
  expect(reply.id).toBe(id);
  return reply;
}

async function negotiated(range: Json): Promise<{ c: RawClient; version: string }> {
  const c = await connect();
  const reply = await ask(c, 'server.version', ['flash-test', range]);
  expect(reply.error).toBeUndefined();
  return { c, version: (reply.result as string[])[1] as string };
}

afterEach(async () => {
  for (const c of open.splice(0)) c.socket.destroy();
  await server.close();
});

/** A coin of our test key, confirmed, to build packages from. */
function fundedCoin(sats: number): { txid: string; vout: number; value: number } {
  const { txid, vout } = chain.send(ADDRESS, sats);
  chain.mine(1);
  return { txid, vout, value: sats };
}

function spend(
  inputs: { txid: string; vout: number; value: number }[],
  outValue: number,
): bitcoin.Transaction {
  const psbt = new bitcoin.Psbt({ network: REGTEST });
  for (const i of inputs) {
    psbt.addInput({
      hash: i.txid,
      index: i.vout,
      sequence: 0xfffffffd,
      witnessUtxo: { script: SCRIPT, value: BigInt(i.value) },
    });
  }
  psbt.addOutput({ script: SCRIPT, value: BigInt(outValue) });
  psbt.signAllInputs({
    publicKey: Buffer.from(KEY.publicKey),
    sign: (h: Uint8Array) => Buffer.from(KEY.sign(h)),
  });
  psbt.finalizeAllInputs();
  return psbt.extractTransaction(true);
}

describe('protocol negotiation (server.version)', () => {
  it('picks min(client max, server max) for each offer, and 1.4.2 for a server that stops there', async () => {
    const cases: [ProtocolOffer, Json, string][] = [
      ['1.4-1.6', ['1.4', '1.6'], '1.6'],
      ['1.4-1.6', '1.4', '1.4'],
      ['1.4', ['1.4', '1.6'], '1.4.2'],
      ['1.5', ['1.4', '1.6'], '1.5'],
      ['1.6', ['1.4', '1.6'], '1.6'],
    ];
    for (const [offer, range, expected] of cases) {
      await start(offer);
      expect((await negotiated(range)).version).toBe(expected);
      for (const c of open.splice(0)) c.socket.destroy();
      await server.close();
    }
    await start('1.4-1.6');
  });

  it('1.6 only: a 1.4-only client is refused and the connection closed', async () => {
    await start('1.6');
    const c = await connect();
    const reply = await ask(c, 'server.version', ['old', '1.4']);
    expect(reply.error?.message).toMatch(/unsupported protocol version/);
    await expect(c.nextLine(500)).rejects.toThrow('closed');
  });

  it('1.6: server.version must be the first message (else error and close)', async () => {
    await start('1.4-1.6');
    const c = await connect();
    const reply = await ask(c, 'server.ping');
    expect(reply.error).toMatchObject({ code: 1, message: 'use server.version to identify client' });
    await expect(c.nextLine(500)).rejects.toThrow('closed');
  });

  it('before 1.6: other messages may come first, spoken in the lowest version', async () => {
    await start('1.4');
    const c = await connect();
    expect((await ask(c, 'server.ping')).result).toBeNull();
    const headers = (await ask(c, 'blockchain.block.headers', [0, 2])).result as { hex: string };
    expect(typeof headers.hex).toBe('string');
  });

  it('1.6 tolerates and ignores extra server.version arguments; a 1.4 server checks its signature', async () => {
    await start('1.4-1.6');
    const c = await connect();
    // The spec's own example of trailing garbage.
    const reply = await ask(c, 'server.version', [
      'electrum/4.6.2',
      ['1.4', '1.6'],
      'trailing_garbage1',
      9999.9,
      { dd: {} },
    ]);
    expect(reply.result).toEqual([expect.any(String), '1.6']);
    server.setProtocol('1.4');
    const old = await connect();
    expect((await ask(old, 'server.version', ['x', ['1.4', '1.6'], 'extra'])).error?.code).toBe(-32602);
  });
});

describe('shapes by negotiated version', () => {
  it('blockchain.block.headers: one hex string up to 1.5, a list from 1.6', async () => {
    await start('1.4-1.6');
    const { c: modern } = await negotiated(['1.4', '1.6']);
    const { c: old } = await negotiated('1.4');
    const list = (await ask(modern, 'blockchain.block.headers', [99, 5])).result as Record<string, Json>;
    expect(list).toEqual({
      count: 3,
      headers: [99, 100, 101].map((h) => chain.blockAt(h)?.headerHex),
      max: MAX_HEADERS,
    });
    const hex = (await ask(old, 'blockchain.block.headers', [99, 5])).result as Record<string, Json>;
    expect(hex).toEqual({
      count: 3,
      hex: list.headers && (list.headers as string[]).join(''),
      max: MAX_HEADERS,
    });
    // 1.5 was skipped by the spec: a server that negotiates it answers as 1.4 does (ElectrumX).
    server.setProtocol('1.5');
    const { c: skipped, version } = await negotiated(['1.4', '1.6']);
    expect(version).toBe('1.5');
    expect((await ask(skipped, 'blockchain.block.headers', [99, 1])).result).toHaveProperty('hex');
  });

  it('relay fee: blockchain.relayfee before 1.6, mempool.get_info from 1.6', async () => {
    await start('1.4-1.6');
    const { c: modern } = await negotiated(['1.4', '1.6']);
    const { c: old } = await negotiated('1.4');
    expect((await ask(old, 'blockchain.relayfee')).result).toBe(0.00001);
    expect((await ask(old, 'mempool.get_info')).error?.code).toBe(-32601);
    expect((await ask(modern, 'blockchain.relayfee')).error?.code).toBe(-32601);
    expect((await ask(modern, 'mempool.get_info')).result).toEqual({
      mempoolminfee: 0.00001,
      minrelaytxfee: 0.00001,
      incrementalrelayfee: 0.00001,
    });
  });

  it('blockchain.estimatefee takes a mode from 1.6 only', async () => {
    await start('1.4-1.6');
    const { c: modern } = await negotiated(['1.4', '1.6']);
    const { c: old } = await negotiated('1.4');
    expect((await ask(modern, 'blockchain.estimatefee', [2, 'CONSERVATIVE'])).result).toBe(0.00002);
    expect((await ask(modern, 'blockchain.estimatefee', [2, 'economical'])).result).toBe(0.00002);
    expect((await ask(modern, 'blockchain.estimatefee', [2, 'WILD'])).error?.message).toMatch(
      /unknown estimatefee mode/,
    );
    expect((await ask(old, 'blockchain.estimatefee', [2, 'CONSERVATIVE'])).error?.code).toBe(-32602);
    expect((await ask(old, 'blockchain.estimatefee', [2])).result).toBe(0.00002);
  });

  it('mempool order: canonical (-height, txid) in 1.6 statuses and get_mempool; another order in 1.4', async () => {
    await start('1.4-1.6');
    const coin = fundedCoin(200_000);
    const sh = chain.scriptHashOfAddress(ADDRESS);
    // Three unconfirmed txs touching our script: two with confirmed inputs (height 0), one child (-1).
    chain.send(ADDRESS, 30_000);
    chain.send(ADDRESS, 40_000);
    const parent = spend([coin], 199_000);
    chain.broadcast(parent.toHex());
    const child = spend([{ txid: parent.getId(), vout: 0, value: 199_000 }], 198_000);
    chain.broadcast(child.toHex());

    const { c: modern } = await negotiated(['1.4', '1.6']);
    const { c: old } = await negotiated('1.4');
    const mempool16 = (await ask(modern, 'blockchain.scripthash.get_mempool', [sh])).result as {
      tx_hash: string;
      height: number;
      fee: number;
    }[];
    const zero = mempool16.filter((e) => e.height === 0).map((e) => e.tx_hash);
    expect(mempool16.map((e) => e.height)).toEqual([0, 0, 0, -1]);
    expect(zero).toEqual([...zero].sort());
    expect(mempool16.every((e) => typeof e.fee === 'number' && e.fee > 0)).toBe(true);

    const history16 = (await ask(modern, 'blockchain.scripthash.get_history', [sh])).result as {
      tx_hash: string;
      height: number;
    }[];
    const status16 = (await ask(modern, 'blockchain.scripthash.subscribe', [sh])).result;
    expect(status16).toBe(statusHash(history16));

    const history14 = (await ask(old, 'blockchain.scripthash.get_history', [sh])).result as {
      tx_hash: string;
      height: number;
    }[];
    const status14 = (await ask(old, 'blockchain.scripthash.subscribe', [sh])).result;
    // Each version's status is the hash of the history that version serves...
    expect(status14).toBe(statusHash(history14));
    // ...and 1.4's order is not the canonical one, so the two statuses differ.
    expect(history14.map((e) => e.tx_hash)).not.toEqual(history16.map((e) => e.tx_hash));
    expect(status14).not.toBe(status16);
  });
});

describe('blockchain.transaction.broadcast_package (1.6)', () => {
  it('takes a parent below the relay floor with a child that pays for both', async () => {
    await start('1.4-1.6');
    const { c: modern } = await negotiated(['1.4', '1.6']);
    const coin = fundedCoin(100_000);
    const parent = spend([coin], 100_000); // no fee at all
    expect(() => chain.broadcast(parent.toHex())).toThrow(/min relay fee/);
    const child = spend([{ txid: parent.getId(), vout: 0, value: 100_000 }], 99_000);
    const reply = await ask(modern, 'blockchain.transaction.broadcast_package', [
      [parent.toHex(), child.toHex()],
    ]);
    expect(reply.result).toEqual({ success: true });
    expect(chain.mempoolTxids()).toEqual(expect.arrayContaining([parent.getId(), child.getId()]));
    expect(await ask(modern, 'server.features')).toMatchObject({ result: { broadcast_package: true } });
  });

  it('says which transaction failed, and refuses a package that is not child-with-parents', async () => {
    await start('1.4-1.6');
    const { c: modern } = await negotiated(['1.4', '1.6']);
    const coin = fundedCoin(100_000);
    const parent = spend([coin], 100_000);
    const stingy = spend([{ txid: parent.getId(), vout: 0, value: 100_000 }], 100_000);
    const low = (
      await ask(modern, 'blockchain.transaction.broadcast_package', [[parent.toHex(), stingy.toHex()]])
    ).result as {
      success: boolean;
      errors: { txid: string; error: string }[];
    };
    expect(low.success).toBe(false);
    expect(low.errors.map((e) => e.txid)).toContain(stingy.getId());
    const other = spend([fundedCoin(50_000)], 49_000);
    const bad = await ask(modern, 'blockchain.transaction.broadcast_package', [
      [other.toHex(), stingy.toHex()],
    ]);
    expect(bad.error?.message).toMatch(/package topology disallowed/);
    const { c: old } = await negotiated('1.4');
    expect((await ask(old, 'blockchain.transaction.broadcast_package', [[other.toHex()]])).error?.code).toBe(
      -32601,
    );
  });
});

describe('dialect quirks', () => {
  it('no-batch: an array gets one "Invalid request" error without an id', async () => {
    await start('1.4-1.6', ['no-batch']);
    const { c } = await negotiated(['1.4', '1.6']);
    c.send([{ jsonrpc: '2.0', id: 1, method: 'server.ping', params: [] }]);
    expect(await c.next()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: 'Invalid request' },
    });
    expect((await ask(c, 'server.ping')).result).toBeNull();
  });

  it('close-on-error: the first error reply ends the connection', async () => {
    await start('1.4-1.6', ['close-on-error']);
    const { c } = await negotiated(['1.4', '1.6']);
    expect((await ask(c, 'blockchain.transaction.get', ['00'.repeat(32)])).error?.code).toBe(2);
    await expect(c.nextLine(500)).rejects.toThrow('closed');
  });

  it('estimatefee-unavailable answers -1; ignore-cp-height answers as if cp_height were 0', async () => {
    await start('1.4-1.6', ['estimatefee-unavailable', 'ignore-cp-height']);
    const { c } = await negotiated(['1.4', '1.6']);
    expect((await ask(c, 'blockchain.estimatefee', [1])).result).toBe(-1);
    expect((await ask(c, 'blockchain.block.header', [5, 100])).result).toBe(chain.blockAt(5)?.headerHex);
    const headers = (await ask(c, 'blockchain.block.headers', [5, 2, 100])).result as Record<string, Json>;
    expect(headers).not.toHaveProperty('root');
  });

  it('rate-limit: past its budget a request gets -101 "excessive resource usage"', async () => {
    await start('1.4-1.6', ['rate-limit']);
    const { c } = await negotiated(['1.4', '1.6']);
    const calls = Array.from({ length: RATE_LIMIT_PER_SECOND + 10 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'server.ping',
      params: [],
    }));
    c.send(calls);
    const replies = (await c.next()) as { error?: { code: number; message: string } }[];
    const refused = replies.filter((r) => r.error);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(refused[0]?.error).toEqual({ code: -101, message: 'excessive resource usage' });
  });

  it('error texts as ElectrumX words them, with the same codes', async () => {
    await start('1.4-1.6', ['electrumx-errors']);
    const { c } = await negotiated(['1.4', '1.6']);
    expect((await ask(c, 'blockchain.nope')).error).toEqual({
      code: -32601,
      message: 'unknown method "blockchain.nope"',
    });
    expect((await ask(c, 'blockchain.transaction.get', ['00'.repeat(32)])).error?.message).toMatch(
      /^daemon error: .*No such mempool or blockchain transaction/,
    );
    server.setQuirks([]);
    expect((await ask(c, 'blockchain.nope')).error).toEqual({ code: -32601, message: 'Unknown method' });
  });
});
