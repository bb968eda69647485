import * as bitcoin from 'bitcoinjs-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegtestChain } from '../../test/stack/chain';
import type { ElectrumTestServer } from '../../test/stack/electrum-server';
import { SERVER_SOFTWARE } from '../../test/stack/electrum-methods';
import type { Json } from '../support/raw-electrum-client';
import { RawClient } from '../support/raw-electrum-client';
import { createElectrumServer } from '../../test/stack/electrum-server';
import { fromDisplayHex, hash256, rootFromBranch, toDisplayHex } from '../../test/stack/merkle';

const ALICE = 'bcrt1qn7d2x7272lznt5hhk9s07q3cqnrqljnwladrd3';

let chain: RegtestChain;
let server: ElectrumTestServer;
let port: number;
const clients: RawClient[] = [];

/** A connection that has negotiated `version` (1.4's shapes unless a test asks for another). */
async function client(version: string | null = '1.4'): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  if (version !== null) await c.call('server.version', ['test', [version, version]]);
  return c;
}

beforeEach(async () => {
  chain = new RegtestChain();
  server = createElectrumServer({ chain });
  ({ port } = await server.listen({ transport: 'tcp', port: 0 }));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.destroy();
  await server.close();
});

describe('stack Electrum server', () => {
  it('negotiates versions as the docs describe', async () => {
    const c = await client(null);
    expect(await c.call('server.version', ['test', ['1.2', '1.6']])).toEqual([SERVER_SOFTWARE, '1.6']);
    await expect(c.call('server.version', ['test', '1.4'])).rejects.toThrow(/already/);

    const old = await client(null);
    old.send({ jsonrpc: '2.0', id: 7, method: 'server.version', params: ['old', '1.2'] });
    expect(await old.next()).toMatchObject({
      id: 7,
      error: { message: expect.stringMatching(/unsupported/) },
    });
    await expect(old.nextLine()).rejects.toThrow('closed');
  });

  it('answers a batch with an array, and errors per JSON-RPC', async () => {
    const c = await client();
    c.send([
      { jsonrpc: '2.0', id: 1, method: 'server.ping', params: [] },
      { jsonrpc: '2.0', id: 2, method: 'nope', params: [] },
      { jsonrpc: '2.0', id: 3, method: 'blockchain.block.header', params: [0] },
    ]);
    const replies = (await c.next()) as { id: number; result?: Json; error?: { code: number } }[];
    expect(replies.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(replies[0]!.result).toBeNull();
    expect(replies[1]!.error?.code).toBe(-32601);
    expect(replies[2]!.result).toBe(chain.blockAt(0)!.headerHex);

    c.send('{not json');
    expect(await c.next()).toMatchObject({ id: null, error: { code: -32700 } });
    c.send([]);
    expect(await c.next()).toMatchObject({ id: null, error: { code: -32600 } });
    await expect(c.call('blockchain.scripthash.get_history', ['xyz'])).rejects.toThrow(/script hash/);
  });

  it('serves headers, checkpoint proofs and fee information', async () => {
    const c = await client();
    const tip = (await c.call('blockchain.headers.subscribe')) as { height: number; hex: string };
    expect(tip).toEqual({ height: 101, hex: chain.tip().headerHex });
    const chunk = (await c.call('blockchain.block.headers', [100, 10])) as { count: number; hex: string };
    expect(chunk.count).toBe(2);
    expect(chunk.hex).toBe(chain.blockAt(100)!.headerHex + chain.blockAt(101)!.headerHex);

    const proof = (await c.call('blockchain.block.header', [5, 100])) as {
      header: string;
      branch: string[];
      root: string;
    };
    const leaf = hash256(fromDisplayHex(proof.header).reverse());
    expect(toDisplayHex(rootFromBranch(leaf, proof.branch.map(fromDisplayHex), 5))).toBe(proof.root);

    expect(await c.call('blockchain.estimatefee', [2])).toBe(0.00002);
    expect(await c.call('blockchain.relayfee')).toBe(0.00001);
    chain.send(ALICE, 10_000);
    const histogram = (await c.call('mempool.get_fee_histogram')) as [number, number][];
    expect(histogram).toHaveLength(1);
    expect(histogram[0]![0]).toBe(2);
    expect(await c.call('server.features')).toMatchObject({
      genesis_hash: chain.genesisHash,
      hash_function: 'sha256',
      hosts: { '127.0.0.1': { tcp_port: port, ssl_port: null } },
    });
  });

  it('reports history, balance and unspent outputs, and notifies status changes', async () => {
    const c = await client();
    const sh = chain.scriptHashOfAddress(ALICE);
    expect(await c.call('blockchain.scripthash.subscribe', [sh])).toBeNull();

    const { txid } = chain.send(ALICE, 77_000);
    const note = (await c.next()) as { method: string; params: Json[]; id?: number };
    expect(note.id).toBeUndefined();
    expect(note.method).toBe('blockchain.scripthash.subscribe');
    expect(note.params).toEqual([sh, chain.status(sh)]);

    expect(await c.call('blockchain.scripthash.get_history', [sh])).toEqual([
      { tx_hash: txid, height: 0, fee: expect.any(Number) },
    ]);
    expect(await c.call('blockchain.scripthash.get_balance', [sh])).toEqual({
      confirmed: 0,
      unconfirmed: 77_000,
    });
    expect(await c.call('blockchain.scripthash.listunspent', [sh])).toEqual([
      { tx_hash: txid, tx_pos: 0, height: 0, value: 77_000 },
    ]);
    const raw = (await c.call('blockchain.transaction.get', [txid])) as string;
    expect(bitcoin.Transaction.fromHex(raw).getId()).toBe(txid);
    await expect(c.call('blockchain.transaction.get', ['00'.repeat(32)])).rejects.toThrow(/No such/);

    chain.mine(1);
    const confirmed = (await c.next()) as { params: Json[] };
    expect(confirmed.params).toEqual([sh, chain.status(sh)]);
    expect(await c.call('blockchain.scripthash.get_history', [sh])).toEqual([{ tx_hash: txid, height: 102 }]);
    expect(await c.call('blockchain.transaction.id_from_pos', [102, 1])).toBe(txid);
    expect(await c.call('blockchain.scripthash.unsubscribe', [sh])).toBe(true);
  });

  it('fault modes: garbage, silent, down', async () => {
    const c = await client();
    server.setFault('garbage');
    c.send({ jsonrpc: '2.0', id: 1, method: 'server.ping', params: [] });
    const line = await c.nextLine();
    expect(() => JSON.parse(line) as unknown).toThrow();

    server.setFault('silent');
    c.send({ jsonrpc: '2.0', id: 2, method: 'server.ping', params: [] });
    await expect(c.nextLine(150)).rejects.toThrow('no line');

    server.setFault('down');
    await expect(c.nextLine(500)).rejects.toThrow('closed');
    const refused = await RawClient.connect(port).catch(() => null);
    // (no server.version: the connection is refused before anything is said)
    if (refused) {
      clients.push(refused);
      await expect(refused.nextLine(500)).rejects.toThrow('closed');
    }
    server.setFault('none');
    expect(await (await client()).call('server.ping')).toBeNull();
  });
});
