import { payments, networks } from 'bitcoinjs-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/contract';
import type { FlashCore } from '../../main/core/container';
import type { Stack } from '../stack';
import { startStack } from '../stack';
import { startTestCore, tempDir } from '../support/core';

const OUTSIDE = payments.p2wpkh({ hash: new Uint8Array(20).fill(0x42), network: networks.regtest }).address!;

let stack: Stack;
let core: FlashCore | null = null;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => {
  core?.stop();
  core = null;
});

/** A real core in browser mode on regtest with the test-only simulated devices, against the stack. */
function startCore(): FlashCore {
  core = startTestCore({
    dataDir: tempDir('flash-hw-it-'),
    electrum: stack.electrum,
    simulatedDevices: true,
  });
  return core;
}

async function call<T = Record<string, unknown>>(
  c: FlashCore,
  method: MethodName,
  input: unknown = {},
): Promise<T> {
  const result = await c.dispatcher.dispatch(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Overview = { balance: { confirmed: number }; receive: { address: string } };

describe.each([
  ['simulated:ledger-1', 'bip49', /^2/],
  ['simulated:trezor-1', 'bip44', /^[mn]/],
] as const)('%s %s account through the bridge', (deviceId, accountType, addressShape) => {
  it('imports, receives, signs on the device, broadcasts and confirms', async () => {
    const c = startCore();
    await call(c, 'vault.setup', { password: 'correct horse battery' });
    await call(c, 'hardware.connect', { deviceId });
    const account = await call<{ id: string; signer: string; fingerprint: string; accountPath: string }>(
      c,
      'hardware.importAccount',
      { deviceId, accountType, accountIndex: 0, name: 'Device' },
    );
    expect(account).toMatchObject({
      signer: deviceId.includes('ledger') ? 'ledger' : 'trezor',
      fingerprint: '73c5da0a',
      accountPath: `m/${accountType.slice(3)}'/1'/0'`,
    });
    const walletId = account.id;

    const first = await call<Overview>(c, 'wallet.getOverview', { walletId });
    expect(first.receive.address).toMatch(addressShape);
    await expect(
      call(c, 'hardware.verifyAddress', { walletId, address: first.receive.address }),
    ).resolves.toEqual({
      address: first.receive.address,
      verified: true,
    });

    stack.chain.send(first.receive.address, 100_000);
    stack.chain.mine(1);
    await until(
      () => call<Overview>(c, 'wallet.getOverview', { walletId }),
      (o) => o.balance.confirmed === 100_000,
    );

    const draft = await call<{ draftId: string }>(c, 'send.prepare', {
      walletId,
      outputs: [{ address: OUTSIDE, sats: 30_000 }],
      feeRate: 2,
    });
    // The vault cannot sign a device account's draft: only the device's signature sends it.
    await expect(call(c, 'send.confirm', { draftId: draft.draftId })).rejects.toThrow();
    const signed = await call<{ draftId: string }>(c, 'hardware.signDraft', { draftId: draft.draftId });
    const sent = await call<{ txid: string; state: string }>(c, 'send.confirm', { draftId: signed.draftId });
    expect(sent.state).toBe('broadcast');
    stack.chain.mine(1);
    const page = await until(
      () =>
        call<{ items: { txid: string; confirmations: number }[] }>(c, 'wallet.listActivity', { walletId }),
      (p) => p.items.some((i) => i.txid === sent.txid && i.confirmations >= 1),
    );
    expect(page.items.find((i) => i.txid === sent.txid)?.confirmations).toBe(1);
  });
});
