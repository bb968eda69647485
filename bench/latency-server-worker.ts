import { parentPort } from 'node:worker_threads';
import { createAddressDeriver, deriveAccount } from '../main/bitcoin/wallet/derivation';
import { RegtestChain } from '../test/stack/chain';
import { createElectrumServer, FULCRUM_LATENCY } from '../test/stack/electrum-server';
import { fundChained } from './chained-payments';
import { BENCH_WORDS, PAYMENTS, USED_ADDRESSES } from './onchain-latency';

/**
 * The latency bench's Electrum server on its own thread (see startLatencyServer): builds the
 * chain, listens, answers, and closes when told.
 */
const port = parentPort;
if (!port) throw new Error('latency-server-worker runs as a worker thread');

const chain = new RegtestChain();
const xpub = deriveAccount(BENCH_WORDS, '', 'regtest').xpub;
const deriver = createAddressDeriver(xpub, 'regtest');
const addresses = Array.from({ length: USED_ADDRESSES }, (_, i) => deriver.derive(0, i).address);
const amount = (i: number) => 10_000 + i;
fundChained(chain, addresses, PAYMENTS, { perAddress: PAYMENTS / USED_ADDRESSES, amount });
let expectedSats = 0;
for (let i = 0; i < PAYMENTS; i++) expectedSats += amount(i);
const server = createElectrumServer({ chain, latency: FULCRUM_LATENCY });
const tcp = await server.listen({ transport: 'tcp' });
port.on('message', (msg: string) => {
  if (msg !== 'stop') return;
  void server.close().then(() => {
    port.postMessage('stopped');
    port.close();
  });
});
port.postMessage({ host: tcp.host, port: tcp.port, xpub, expectedSats, tipHeight: chain.tipHeight });
