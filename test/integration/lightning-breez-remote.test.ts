import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { createBreezProvider } from '../../main/lightning/breez/provider';
import { createRemoteBackend } from '../../main/lightning/breez/remote';
import type { LightningPayment, ProviderEvent } from '../../main/lightning/provider';
import type { LightningError } from '../../main/lightning/provider';
import { tempDir } from '../support/core';
import { until } from '../support/wait';
import type { ControlApi } from '../stack/control-api';
import { startControlApi } from '../stack/control-api';
import type { BreezPart } from '../stack/lightning/breez-part';
import { startBreezPart } from '../stack/lightning/breez-part';
import { LightningLedger } from '../stack/lightning/ledger';

/**
 * Browser mode's --breez-stand-in path: the Breez provider on the remote SDK client, answered by
 * the stack's Breez part over the control API (every SDK call a POST, events long-polled).
 */

const WORDS = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
let ledger: LightningLedger;
let part: BreezPart;
let api: ControlApi;

beforeAll(async () => {
  ledger = new LightningLedger({ settleDelayMs: 10 });
  ledger.createNode('stack', { balanceMsat: 10_000_000_000n });
  part = startBreezPart({ ledger });
  api = await startControlApi({ routes: part.routes });
});

afterAll(async () => {
  await api.close();
  await part.stop();
  ledger.close();
});

describe('Breez provider on the stack’s stand-in over HTTP', () => {
  it('connects by fingerprint, receives with live events, pays, and reports the servers down', async () => {
    const provider = createBreezProvider({
      backend: createRemoteBackend(api.url),
      network: 'regtest',
      words: () => ({ mnemonic: WORDS, passphrase: '' }),
      apiKey: () => null,
      workingDir: tempDir('flash-breez-remote-'),
      log: silentLogger,
    });
    const events: ProviderEvent[] = [];
    provider.onEvent((e) => events.push(e));
    const info = await provider.connect();
    expect(info).toMatchObject({ kind: 'breez', network: 'regtest' });
    // The words never travel: the stand-in knows the wallet by its fingerprint only.
    expect(part.standIn.listWallets()).toEqual([
      expect.objectContaining({ fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/) }),
    ]);

    const invoice = await provider.createInvoice({ amountMsat: 40_000_000n, description: 'over http' });
    await ledger.pay('stack', invoice.bolt11);
    const paid = await until('the Paid event over the long poll', () =>
      events.find(
        (e): e is { type: 'payment'; payment: LightningPayment } =>
          e.type === 'payment' &&
          e.payment.paymentHash === invoice.paymentHash &&
          e.payment.state === 'succeeded',
      ),
    );
    expect(paid.payment.direction).toBe('incoming');
    // The claim confirms a few steps after the Paid event (stand-in steps are 400 ms on the stack).
    for (let i = 0; i < 100 && (await provider.balance()).spendableMsat === 0n; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await provider.balance()).spendableMsat).toBe(39_874_000n);

    const shop = ledger.createInvoice('stack', { amountMsat: 5_000_000n });
    const prepared = await provider.preparePayment({
      target: { kind: 'bolt11', invoice: shop.bolt11, paymentHash: shop.paymentHash, amountMsat: 5_000_000n },
    });
    const sent = await provider.sendPayment(prepared);
    expect(sent).toMatchObject({ state: 'succeeded', preimage: shop.preimage });

    part.standIn.setFault('down');
    const err = await provider
      .createInvoice({ amountMsat: 5_000_000n, description: '' })
      .catch((e: unknown) => e);
    expect((err as LightningError).kind).toBe('unreachable');
    part.standIn.setFault('none');
    await provider.disconnect();
    expect(((await provider.info().catch((e: unknown) => e)) as LightningError).kind).toBe('unreachable');
  }, 30_000);
});
