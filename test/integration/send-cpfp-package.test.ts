import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../main/bitcoin/electrum/types';
import type { ElectrumClient, ElectrumService } from '../../main/bitcoin/electrum/types';
import { compareProtocolVersions } from '../../main/bitcoin/electrum/version';
import { FlashError } from '../../shared/errors';
import { fundedWallet, startStackApp, useRegtestStack } from '../support/stack-app';
import { until } from '../support/wait';

const suite = useRegtestStack('flash-send-cpfp-', { perTest: true });

/** What broadcast_package answers instead of the server: a fake reply, or null to ask the server. */
type PackageAnswer = (hexes: string[], client: ElectrumClient) => Promise<JsonValue> | null;

/**
 * The app's Electrum connection, with every request recorded; `answer` stands in for the server's
 * broadcast_package where a test needs a reply the stack does not give.
 */
function recording(calls: string[], answer: { current: PackageAnswer | null }) {
  return (inner: ElectrumService): ElectrumService => ({
    ...inner,
    client(): ElectrumClient {
      const client = inner.client();
      return new Proxy(client, {
        get(target, prop) {
          if (prop === 'request') {
            return (method: string, params: JsonValue[]) => {
              calls.push(method);
              const fake =
                method === 'blockchain.transaction.broadcast_package' && answer.current
                  ? answer.current((params[0] as string[]) ?? [], target)
                  : null;
              return fake ?? target.request(method, params);
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  });
}

async function stuckDeposit() {
  const calls: string[] = [];
  const answer: { current: PackageAnswer | null } = { current: null };
  const app = await startStackApp(suite.stack, suite.dir, {
    send: 'online',
    sendRetry: { baseMs: 100, maxMs: 400 },
    wrapElectrum: recording(calls, answer),
    cleanup: suite.cleanup,
  });
  const { id } = await fundedWallet(app, [50_000], 'CPFP');
  // A stranger pays us at the stack's 2 sat/vB; we lift the package to 20 sat/vB.
  const deposit = suite.stack.chain.send(app.wallet.overview(id).receive.address, 60_000);
  await until('deposit seen', () =>
    app.wallet.activity(id, 20, 0).items.find((t) => t.txid === deposit.txid),
  );
  await app.wallet.idle();
  const child = await app.send.cpfp({ walletId: id, txid: deposit.txid, feeRate: 20 });
  const modern = compareProtocolVersions(app.electrum.client().protocolVersion ?? '0', '1.6') >= 0;
  calls.length = 0;
  return { app, id, deposit, child, calls, answer, modern };
}

const broadcasts = (calls: string[]) => calls.filter((m) => m.startsWith('blockchain.transaction.broadcast'));

describe('CPFP: parent and child go out as one package on protocol 1.6', () => {
  it('uses broadcast_package when the server speaks 1.6, and broadcasts one by one on 1.4', async () => {
    const { app, child, calls, modern } = await stuckDeposit();
    const sent = await app.send.signAndBroadcast(child.draftId);
    expect(sent.state).toBe('broadcast');
    expect(suite.stack.chain.mempoolTxids()).toContain(sent.txid);
    expect(broadcasts(calls)).toEqual(
      modern
        ? ['blockchain.transaction.broadcast_package']
        : ['blockchain.transaction.broadcast', 'blockchain.transaction.broadcast'],
    );
  });

  it('falls back to one by one when the server does not know the method (-32601)', async () => {
    const { app, child, calls, answer, modern } = await stuckDeposit();
    answer.current = () =>
      Promise.reject(
        new FlashError(
          'ELECTRUM_PROTOCOL',
          'blockchain.transaction.broadcast_package failed: unknown method',
          {
            rpcCode: -32601,
          },
        ),
      );
    const sent = await app.send.signAndBroadcast(child.draftId);
    expect(sent.state).toBe('broadcast');
    expect(suite.stack.chain.mempoolTxids()).toContain(sent.txid);
    expect(broadcasts(calls)).toEqual([
      ...(modern ? ['blockchain.transaction.broadcast_package'] : []),
      'blockchain.transaction.broadcast',
      'blockchain.transaction.broadcast',
    ]);
  });

  it("keeps the child pending when the package is refused for now, with the node's reason", async () => {
    const { app, id, child, answer, modern } = await stuckDeposit();
    if (!modern) return; // only a 1.6 server answers packages
    answer.current = (hexes) => {
      expect(hexes).toHaveLength(2);
      return Promise.resolve({
        success: false,
        errors: [
          { txid: Transaction.fromHex(hexes[1]!).getId(), error: 'mempool min fee not met, 300 < 900' },
        ],
      });
    };
    const sent = await app.send.signAndBroadcast(child.draftId);
    expect(sent.state).toBe('broadcasting');
    expect(app.send.pending(id)[0]?.lastError).toBe('mempool min fee not met, 300 < 900');
    // The server takes it on a later try.
    answer.current = null;
    await until('broadcast', () => app.send.getDraft(child.draftId).state === 'broadcast', 5_000);
    expect(suite.stack.chain.mempoolTxids()).toContain(sent.txid);
  });
});
