import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import type { BindingLiquidSdk, Config, ConnectRequest } from '@breeztech/breez-sdk-liquid/node';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { createBreezProvider } from '../../main/lightning/breez/provider';
import { createSdkBackend } from '../../main/lightning/breez/sdk';
import { LightningError } from '../../main/lightning/provider';
import { tempDir } from '../support/core';
import { LightningLedger } from '../stack/lightning/ledger';

/**
 * The real Breez SDK Liquid (its Node WebAssembly build) on regtest, for what works with no
 * network: connecting without an API key, getInfo, listPayments and parse. Payments need Breez's
 * servers (the swapper, the explorers), which this machine cannot reach: those flows are tested on
 * the stand-in (lightning-breez.test.ts), and what the real SDK says when its servers are out of
 * reach is checked here.
 */

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const CONNECT_TIMEOUT_MS = 60_000;

interface BreezModule {
  defaultConfig(network: 'regtest'): Config;
  connect(req: ConnectRequest): Promise<BindingLiquidSdk>;
}
const dir = tempDir('flash-breez-real-');
const ledger = new LightningLedger();
ledger.createNode('shop');

afterAll(() => {
  ledger.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the real Breez SDK on regtest, offline', () => {
  const provider = createBreezProvider({
    backend: createSdkBackend(),
    network: 'regtest',
    words: () => ({ mnemonic: WORDS, passphrase: '' }),
    apiKey: () => null,
    workingDir: path.join(dir, 'breez'),
    log: silentLogger,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  });

  it(
    'connects without an API key, on the wallet’s words, and answers getInfo, listPayments and parse',
    async () => {
      const started = performance.now();
      const info = await provider.connect();
      const connectMs = performance.now() - started;
      console.warn(`real Breez SDK connect on regtest: ${connectMs.toFixed(0)} ms`);
      expect(info).toMatchObject({ kind: 'breez', network: 'regtest', alias: 'Breez' });
      expect(info.pubkey).toMatch(/^0[23][0-9a-f]{64}$/);

      const balance = await provider.balance();
      expect(balance).toMatchObject({ spendableMsat: 0n, pendingSendMsat: 0n, pendingReceiveMsat: 0n });
      expect(await provider.listPayments({ limit: 20, offset: 0 })).toEqual([]);
      expect(await provider.lookupPayment('00'.repeat(32))).toBeNull();
      expect(await provider.listRefundables()).toEqual([]);
    },
    CONNECT_TIMEOUT_MS + 10_000,
  );

  it(
    'is the wallet of the recovery words: the SDK’s fingerprint is the words’ BIP32 fingerprint',
    async () => {
      const sdkModule = createRequire(import.meta.url)('@breeztech/breez-sdk-liquid/node') as BreezModule;
      const config = sdkModule.defaultConfig('regtest');
      config.workingDir = path.join(dir, 'direct');
      const sdk = await sdkModule.connect({ config, mnemonic: WORDS });
      try {
        const info = await sdk.getInfo();
        const root = HDKey.fromMasterSeed(mnemonicToSeedSync(WORDS));
        expect(info.walletInfo.fingerprint).toBe(root.fingerprint.toString(16).padStart(8, '0'));
        // parse works offline for a Bitcoin address and a BOLT11 invoice of the shared ledger.
        const address = await sdk.parse('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080');
        expect(address.type).toBe('bitcoinAddress');
        const invoice = ledger.createInvoice('shop', { amountMsat: 21_000n, description: 'parse me' });
        const parsed = await sdk.parse(invoice.bolt11);
        expect(parsed).toMatchObject({
          type: 'bolt11',
          invoice: { paymentHash: invoice.paymentHash, amountMsat: 21_000, description: 'parse me' },
        });
        await expect(sdk.parse('not a payment')).rejects.toThrow(/Unrecognized input/);
      } finally {
        await sdk.disconnect();
      }
    },
    CONNECT_TIMEOUT_MS,
  );

  it('says "unreachable" in Flash’s words for what needs Breez’s servers', async () => {
    const err = await provider.limits().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LightningError);
    expect((err as LightningError).kind).toBe('unreachable');
    const invoice = await provider
      .createInvoice({ amountMsat: 50_000_000n, description: 'x' })
      .catch((e: unknown) => e);
    expect((invoice as LightningError).kind).toBe('unreachable');
    await provider.disconnect();
    const after = await provider.info().catch((e: unknown) => e);
    expect((after as LightningError).kind).toBe('unreachable');
  }, 60_000);
});
