import path from 'node:path';
import { createEventBus, type EventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import type { CounterEcashPort } from '../../main/merchant/counter-ecash';
import type { RewardEcashPort } from '../../main/merchant/rewards/ecash-rewards';
import type { NfcReaders } from '../../main/merchant/nfc/readers';
import type { MerchantService } from '../../main/merchant/service';
import { createMerchantService } from '../../main/merchant/service';
import { openDatabase, type Db } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { VaultService } from '../../main/vault/types';
import type { BtcpayStack } from '../stack/btcpay';
import { startBtcpayStack } from '../stack/btcpay';
import { ledgerPort } from '../stack/btcpay/ledger-port';
import { RegtestChain } from '../stack/chain';
import { LightningLedger, STACK_NODE } from '../stack/lightning';
import { tempDir } from './core';

export const MERCHANT_PASSWORD = 'correct horse battery';

export interface CounterProfile {
  dataDir: string;
  db: Db;
  bus: EventBus;
  vault: VaultService;
}

/** A counter's own profile: a fresh SQLite file and a vault set up and unlocked. */
export async function openCounterProfile(prefix: string): Promise<CounterProfile> {
  const dataDir = tempDir(prefix);
  const db = openDatabase(path.join(dataDir, 'flash.db'));
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  await vault.setup(MERCHANT_PASSWORD);
  return { dataDir, db, bus, vault };
}

/** The merchant service's deps every test counter shares (receipts in the profile's folder). */
export function counterDeps(p: CounterProfile) {
  return {
    db: p.db,
    vault: p.vault,
    bus: p.bus,
    log: silentLogger,
    receiptsDir: path.join(p.dataDir, 'receipts'),
    pollMs: 200,
  };
}

export interface MerchantHarness {
  chain: RegtestChain;
  ledger: LightningLedger;
  btcpay: BtcpayStack;
  db: Db;
  vault: VaultService;
  bus: EventBus;
  merchant: MerchantService;
  dataDir: string;
  /** Sends from the stack node: pays a BOLT11 like a customer's wallet would. */
  payBolt11(bolt11: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The merchant service on a real SQLite file and vault, against the BTCPay stand-in paid from a
 * regtest chain and the shared Lightning ledger.
 */
export async function startMerchantHarness(
  opts: {
    pollMs?: number;
    timeoutMs?: number;
    openNfcReaders?: () => NfcReaders;
    /** What the counter's HTTP goes through (a test can lose an answer on the way back). */
    fetch?: typeof fetch;
    sendNostrMessage?: (input: { to: string[]; text: string }) => Promise<unknown>;
    /** The wallet's eCash service, made on the harness's own database, vault and bus. */
    ecash?: (core: { db: Db; vault: VaultService; bus: EventBus }) => CounterEcashPort & RewardEcashPort;
  } = {},
): Promise<MerchantHarness> {
  const chain = new RegtestChain();
  const ledger = new LightningLedger({ settleDelayMs: 20 });
  ledger.createNode(STACK_NODE, { balanceMsat: 100_000_000_000n });
  const btcpay = await startBtcpayStack({
    chain,
    lightning: ledgerPort(ledger),
    payLightning: async (b) => {
      const p = await ledger.pay(STACK_NODE, b);
      if (p.state !== 'succeeded') throw new Error(`payment ${p.state}`);
    },
    customerInvoice: (amountMsat, description) =>
      ledger.createInvoice(STACK_NODE, { amountMsat, description }).bolt11,
  });
  const { dataDir, db, bus, vault } = await openCounterProfile('flash-merchant-');
  const merchant = createMerchantService({
    ...counterDeps({ dataDir, db, bus, vault }),
    pollMs: opts.pollMs ?? 200,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.openNfcReaders ? { openNfcReaders: opts.openNfcReaders } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.sendNostrMessage ? { sendNostrMessage: opts.sendNostrMessage } : {}),
    ...(opts.ecash ? { ecash: opts.ecash({ db, vault, bus }) } : {}),
  });
  merchant.start();
  return {
    chain,
    ledger,
    btcpay,
    db,
    vault,
    bus,
    merchant,
    dataDir,
    async payBolt11(bolt11) {
      const p = await ledger.pay(STACK_NODE, bolt11);
      if (p.state !== 'succeeded') throw new Error(`payment ${p.state}`);
    },
    async stop() {
      merchant.stop();
      vault.stop();
      await btcpay.stop();
      ledger.close();
      db.close();
    },
  };
}

/** Connects the counter to the demo store and its POS app with the all-permissions key. */
export async function connectDemoShop(h: MerchantHarness): Promise<void> {
  await h.merchant.connect(h.btcpay.url, h.btcpay.seed.adminKey.apiKey);
  await h.merchant.selectApp(h.btcpay.seed.store.id, h.btcpay.seed.app.id);
}
