import fs from 'node:fs';
import path from 'node:path';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { HDKey } from '@scure/bip32';
import { base64, hex } from '@scure/base';
import { getPublicKey, nip19 } from 'nostr-tools';
import type { MethodName } from '../../../shared/contract';
import type { Result } from '../../../shared/errors';
import type { FlashCore } from '../../../main/core/container';
import { createFlashCore } from '../../../main/core/container';
import { createLogger } from '../../../main/core/logger';
import type { Stack } from '../../stack';
import { testCoreConfig } from '../../support/core';

/**
 * A real core (real dispatcher, SQLite, vault, Electrum client, NOSTR relays, simulated devices)
 * against the local regtest stack, with a wallet that has coins, drafts, labels, an identity, a
 * channel and a conversation. `pool` holds real ids and payloads for the fuzzer to reuse and
 * mutate; `restore()` puts back what a random call changed, so every run starts from one state.
 */
export const FUZZ_PASSWORD = 'fuzzing is believing';

export interface Pool {
  walletIds: string[];
  draftIds: string[];
  mnemonicDraftIds: string[];
  txids: string[];
  addresses: string[];
  outpoints: string[];
  psbtTexts: string[];
  keys: string[];
  jsonl: string[];
  pubkeys: string[];
  channelIds: string[];
  channelRefs: string[];
  conversationIds: string[];
  deviceIds: string[];
  signatures: string[];
  messages: string[];
  relays: string[];
  nsecs: string[];
  mnemonics: string[];
  /** The merchant counter on the stack's BTCPay: a settled sale with a reward, an open one. */
  invoiceIds: string[];
  storeIds: string[];
  appIds: string[];
  serverUrls: string[];
  apiKeys: string[];
  pins: string[];
}

export const FUZZ_CASHIER_PIN = '2468';

/** Calls that change which store the counter is connected to: the restore connects it back. */
const MERCHANT_CONNECTION = new Set<MethodName>([
  'merchant.connect',
  'merchant.disconnect',
  'merchant.selectApp',
]);

const UNDO: Partial<Record<MethodName, (value: unknown) => { method: MethodName; input: unknown } | null>> = {
  'nwcService.create': (v) => ({
    method: 'nwcService.revoke',
    input: { id: (v as { connection: { id: string } }).connection.id },
  }),
  'lightning.connectProvider': (v) => ({
    method: 'lightning.removeProvider',
    input: { providerId: (v as { id: string }).id },
  }),
  'merchant.startAuthorize': () => ({ method: 'merchant.cancelAuthorize', input: {} }),
};

export interface Harness {
  core: FlashCore;
  pool: Pool;
  password(): string;
  /** Calls through the real dispatcher, exactly as a transport does. */
  call(method: MethodName, input: unknown): Promise<Result<unknown>>;
  /** The vault locked or unlocked, as the next run wants it. */
  setLocked(locked: boolean): Promise<void>;
  /** Undoes what the last call changed (password, network, proxy, wallets, relays...). */
  restore(method: MethodName, input: unknown, result: Result<unknown>): Promise<void>;
  /** The last "handler failed" line of the log: what an INTERNAL answer hid. */
  lastHandlerFailure(): string | null;
  stop(): void;
}

const must = async <T>(h: { call: Harness['call'] }, method: MethodName, input: unknown = {}): Promise<T> => {
  const r = await h.call(method, input);
  if (!r.ok) throw new Error(`setup ${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};

async function poll<T>(what: string, read: () => Promise<T | null>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`fuzz setup: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Overview {
  balance: { confirmed: number; unconfirmed: number };
  receive: { address: string };
  sync: { phase: string };
}

export async function startBridgeHarness(stack: Stack, dataDir: string): Promise<Harness> {
  const logFile = path.join(dataDir, 'logs', 'main.log');
  const core = createFlashCore(
    testCoreConfig(dataDir, {
      electrumOverride: stack.electrum,
      nostrRelays: stack.relays,
      simulatedDevices: true,
      // Flash Cards on the stack's simulated reader, so the card methods reach a card.
      simulatedNfc: stack.nfc.url,
      defaultNetwork: 'regtest',
    }),
    createLogger({ file: logFile }),
  );
  core.start();
  let password = FUZZ_PASSWORD;
  const call: Harness['call'] = (method, input) => core.dispatcher.dispatch(method, input);
  const h = { call };

  await must(h, 'vault.setup', { password });
  const words = entropyToMnemonic(new Uint8Array(16).fill(0x5a), wordlist);
  const seed = await must<{ id: string }>(h, 'wallet.restore', {
    words: words.split(' '),
    name: 'Fuzz savings',
  });
  const taproot = await must<{ id: string }>(h, 'wallet.addAccount', {
    seedWalletId: seed.id,
    accountType: 'bip86',
    accountIndex: 0,
    name: 'Fuzz taproot',
  });
  const watchRoot = HDKey.fromMasterSeed(new Uint8Array(32).fill(9), {
    public: 0x043587cf,
    private: 0x04358394,
  });
  const watchKey = watchRoot.derive("m/84'/1'/0'").publicExtendedKey;
  const watch = await must<{ id: string }>(h, 'wallet.importWatchOnly', {
    name: 'Fuzz watch',
    key: watchKey,
  });
  const devices = await must<{ devices: { id: string }[] }>(h, 'hardware.listDevices');
  const deviceIds = devices.devices.map((d) => d.id);
  const ledger = deviceIds.find((d) => d.includes('ledger')) ?? deviceIds[0];
  if (!ledger) throw new Error('fuzz setup: no simulated device listed');
  await must(h, 'hardware.connect', { deviceId: ledger });
  const device = await must<{ id: string }>(h, 'hardware.importAccount', {
    deviceId: ledger,
    accountType: 'bip84',
    accountIndex: 0,
    name: 'Fuzz ledger',
  });

  // Coins: three payments to the seed account, confirmed and synced.
  const overview = (id: string) => must<Overview>(h, 'wallet.getOverview', { walletId: id });
  await poll('first sync', async () => ((await overview(seed.id)).sync.phase === 'synced' ? true : null));
  const receive = (await overview(seed.id)).receive.address;
  for (const sats of [2_000_000, 3_000_000, 5_000_000]) stack.chain.send(receive, sats);
  stack.chain.mine(1);
  await poll('funds', async () => ((await overview(seed.id)).balance.confirmed >= 10_000_000 ? true : null));
  const taprootAddress = (await overview(taproot.id)).receive.address;

  const pool: Pool = {
    walletIds: [seed.id, taproot.id, watch.id, device.id],
    draftIds: [],
    mnemonicDraftIds: [],
    txids: [],
    addresses: [receive, taprootAddress, (await overview(device.id)).receive.address],
    outpoints: [],
    psbtTexts: [],
    keys: [watchKey],
    jsonl: [],
    pubkeys: [],
    channelIds: [],
    channelRefs: [],
    conversationIds: [],
    deviceIds,
    signatures: [],
    messages: ['hello from the fuzzer'],
    relays: [...stack.relays],
    nsecs: [nip19.nsecEncode(new Uint8Array(32).fill(0x11))],
    mnemonics: [words],
    invoiceIds: [],
    storeIds: [stack.btcpay.seed.store.id],
    appIds: [stack.btcpay.seed.app.id],
    serverUrls: [stack.btcpay.url],
    apiKeys: [stack.btcpay.seed.adminKey.apiKey],
    pins: [FUZZ_CASHIER_PIN],
  };

  const prepareDraft = () =>
    call('send.prepare', {
      walletId: seed.id,
      outputs: [{ address: taprootAddress, sats: 25_000 }],
      feeRate: 2,
    });
  /** A fresh draft for the pool; when fuzzed spends or freezes left no coin to use, the stack pays in more. */
  const newDraft = async (): Promise<string> => {
    let prepared = await prepareDraft();
    if (!prepared.ok) {
      const before = (await overview(seed.id)).balance.confirmed;
      stack.chain.send(receive, 5_000_000);
      stack.chain.mine(1);
      await poll('top-up', async () =>
        (await overview(seed.id)).balance.confirmed >= before + 5_000_000 ? true : null,
      );
      prepared = await prepareDraft();
    }
    if (!prepared.ok) throw new Error(`setup send.prepare: ${prepared.error.code} ${prepared.error.message}`);
    const d = prepared.value as { draftId: string; psbtBase64: string };
    pool.draftIds.push(d.draftId);
    const bytes = base64.decode(d.psbtBase64);
    const ur = await must<{ parts: string[] }>(h, 'send.exportPsbtUr', {
      draftId: d.draftId,
      maxFragmentLength: 80,
    });
    pool.psbtTexts.splice(0, pool.psbtTexts.length, d.psbtBase64, hex.encode(bytes), ur.parts.join('\n'));
    return d.draftId;
  };
  await newDraft();
  const mnemonicDraft = await must<{ draftId: string }>(h, 'wallet.createDraft', { wordCount: 12 });
  pool.mnemonicDraftIds.push(mnemonicDraft.draftId);

  const exported = await must<{ xpub: string; displayKey: string; descriptors: Record<string, string> }>(
    h,
    'wallet.exportAccount',
    { walletId: seed.id },
  );
  pool.keys.push(exported.xpub, exported.displayKey, ...Object.values(exported.descriptors));
  const coins = await must<{ outpoint: string; txid: string }[]>(h, 'coins.list', { walletId: seed.id });
  pool.outpoints.push(...coins.map((c) => c.outpoint));
  pool.txids.push(...new Set(coins.map((c) => c.txid)));
  await must(h, 'coins.setLabel', { walletId: seed.id, type: 'addr', ref: receive, label: 'Fuzz label' });
  pool.jsonl.push((await must<{ jsonl: string }>(h, 'coins.exportLabels', { walletId: seed.id })).jsonl);
  const signed = await must<{ signature: string }>(h, 'send.signMessage', {
    walletId: seed.id,
    address: receive,
    message: pool.messages[0],
  });
  pool.signatures.push(signed.signature);

  const me = await must<{ pubkey: string; npub: string }>(h, 'nostr.createIdentity');
  await must(h, 'nostr.setRelays', {
    relays: stack.relays.map((url) => ({ url, read: true, write: true, dm: true })),
  });
  const alice = getPublicKey(new Uint8Array(32).fill(0x22));
  pool.pubkeys.push(me.pubkey, me.npub, alice, nip19.npubEncode(alice));
  const channel = await must<{ channel: { id: string; nevent: string } }>(h, 'nostr.createChannel', {
    name: 'Fuzz channel',
  });
  pool.channelIds.push(channel.channel.id);
  pool.channelRefs.push(channel.channel.nevent, channel.channel.id);
  const sent = await must<{ message: { conversationId: string } }>(h, 'nostr.sendMessage', {
    to: [alice],
    text: 'hello alice',
  });
  pool.conversationIds.push(sent.message.conversationId);

  // The merchant counter, connected to the stack's BTCPay with rewards on: a sale paid over
  // Lightning (settled, with its reward) and one still open, so sale, receipt, refund, reward and
  // card calls reach real invoices.
  const connectMerchant = async (): Promise<void> => {
    await must(h, 'merchant.connect', {
      serverUrl: stack.btcpay.url,
      apiKey: stack.btcpay.seed.adminKey.apiKey,
    });
    await must(h, 'merchant.selectApp', {
      storeId: stack.btcpay.seed.store.id,
      appId: stack.btcpay.seed.app.id,
    });
  };
  await connectMerchant();
  await must(h, 'merchant.setRewardRules', {
    enabled: true,
    kind: 'fixed',
    sats: 50,
    percent: '1',
    minimumSale: '0',
    expiryDays: 7,
  });
  await must(h, 'merchant.setCashierPin', { pin: FUZZ_CASHIER_PIN });
  const latte = {
    lines: [{ itemId: 'latte', count: 1 }],
    discountPercent: null,
    tipAmount: null,
    tipPercent: null,
  };
  const paidSale = await must<{ invoiceId: string }>(h, 'merchant.charge', latte);
  await stack.btcpay.payLightning(paidSale.invoiceId);
  await poll('the sale settled', async () =>
    (await must<{ state: string }>(h, 'merchant.getSale', { invoiceId: paidSale.invoiceId })).state === 'paid'
      ? true
      : null,
  );
  await poll('its reward', async () =>
    (await must<unknown>(h, 'merchant.getReward', { invoiceId: paidSale.invoiceId })) ? true : null,
  );
  const openSale = await must<{ invoiceId: string }>(h, 'merchant.charge', latte);
  pool.invoiceIds.push(paidSale.invoiceId, openSale.invoiceId);

  const baseline = new Set(pool.walletIds);
  /** How to bring back each fixture account of pool.walletIds (same order) after a fuzzed removal. */
  const recreate: (() => Promise<string>)[] = [
    async () => seed.id, // holds the words: cannot be removed
    async () =>
      (
        await must<{ id: string }>(h, 'wallet.addAccount', {
          seedWalletId: seed.id,
          accountType: 'bip86',
          accountIndex: 0,
          name: 'Fuzz taproot',
        })
      ).id,
    async () =>
      (await must<{ id: string }>(h, 'wallet.importWatchOnly', { name: 'Fuzz watch', key: watchKey })).id,
    async () => {
      await must(h, 'hardware.connect', { deviceId: ledger });
      return (
        await must<{ id: string }>(h, 'hardware.importAccount', {
          deviceId: ledger,
          accountType: 'bip84',
          accountIndex: 0,
          name: 'Fuzz ledger',
        })
      ).id;
    },
  ];
  const autoLock = (await must<{ autoLockMinutes: number }>(h, 'vault.getStatus')).autoLockMinutes;

  const relaysChanged = new Set<MethodName>([
    'nostr.setRelays',
    'nostr.importIdentity',
    'nostr.createIdentity',
  ]);

  const setLocked = async (locked: boolean): Promise<void> => {
    const state = (await must<{ state: string }>(h, 'vault.getStatus')).state;
    if (locked && state === 'unlocked') await must(h, 'vault.lock');
    if (!locked && state === 'locked') await must(h, 'vault.unlock', { password });
  };

  return {
    core,
    pool,
    password: () => password,
    call,
    setLocked,
    async restore(method, input, result) {
      if (result.ok && method === 'vault.changePassword') password = (input as { next: string }).next;
      // Cashier mode refuses everything but the counter, the restore's own calls included: leave it first.
      if (result.ok && method === 'merchant.enterCashierMode') {
        await setLocked(false);
        await must(h, 'merchant.leaveCashierMode', { password });
      }
      await setLocked(false);
      // Automatic backups turned on by a run are turned off again, so later runs do not write files.
      if (result.ok && method === 'backup.setAuto') await must(h, 'backup.setAuto', { enabled: false });
      let status = await must<{ autoLockMinutes: number; failedAttempts: number }>(h, 'vault.getStatus');
      if (status.failedAttempts > 0) {
        // A right password clears the wrong-password count the call left, so later runs never
        // meet the rate limit (each run adds at most one failure, three are free).
        await must(h, 'vault.lock');
        await must(h, 'vault.unlock', { password });
        status = await must<{ autoLockMinutes: number; failedAttempts: number }>(h, 'vault.getStatus');
      }
      if (status.autoLockMinutes !== autoLock) await must(h, 'vault.setAutoLock', { minutes: autoLock });
      const settings = await must<{
        network: string;
        electrumProxy: unknown;
        electrumFallbacks: Record<string, unknown[]>;
      }>(h, 'settings.get');
      if (
        settings.network !== 'regtest' ||
        settings.electrumProxy !== null ||
        (settings.electrumFallbacks.regtest ?? []).length > 0
      ) {
        await must(h, 'settings.update', { network: 'regtest', electrumProxy: null, electrumFallbacks: [] });
      }
      const wallets = await must<{ id: string }[]>(h, 'wallet.list');
      for (const w of wallets) {
        if (baseline.has(w.id)) continue;
        const removed = await call('wallet.remove', { walletId: w.id });
        // A restored or confirmed seed account holds its words and cannot be removed: it stays.
        if (!removed.ok && removed.error.code === 'ACCOUNT_HOLDS_WORDS') baseline.add(w.id);
        else if (!removed.ok) throw new Error(`restore: wallet.remove ${removed.error.code}`);
      }
      // A removed fixture account comes back (under a new id), so later runs still reach it.
      const present = new Set(wallets.map((w) => w.id));
      for (const [i, id] of pool.walletIds.entries()) {
        if (present.has(id)) continue;
        const again = await recreate[i]?.();
        if (!again) continue;
        baseline.add(again);
        pool.walletIds[i] = again;
      }
      if (!result.ok) return;
      if (method === 'send.confirm') {
        // Left unconfirmed on purpose: a payment in the mempool is what bumpFee and cpfp act on.
        pool.draftIds = pool.draftIds.filter((id) => id !== (input as { draftId: string }).draftId);
        pool.txids.push((result.value as { txid: string }).txid);
      }
      // Things a fuzzed call may add that every later run would pay for: the connection's own
      // undo call takes them away again (NWC connections republish their info on every unlock).
      const undo = UNDO[method]?.(result.value);
      if (undo) await call(undo.method, undo.input);
      if (MERCHANT_CONNECTION.has(method)) await connectMerchant();
      if (method === 'hardware.simulatorSetApproval')
        await must(h, 'hardware.simulatorSetApproval', { approve: true });
      if (relaysChanged.has(method)) {
        await must(h, 'nostr.setRelays', {
          relays: stack.relays.map((url) => ({ url, read: true, write: true, dm: true })),
        });
      }
      if (method === 'coins.setFrozen' || method === 'coins.importLabels') {
        // Frozen coins are never picked: thaw the fixture's, or later drafts run dry.
        for (const walletId of pool.walletIds) {
          const coins = await must<{ outpoint: string; frozen: boolean }[]>(h, 'coins.list', { walletId });
          const frozen = coins.filter((c) => c.frozen).map((c) => c.outpoint);
          if (frozen.length > 0)
            await must(h, 'coins.setFrozen', { walletId, outpoints: frozen, frozen: false });
        }
      }
      if (pool.draftIds.length === 0) await newDraft();
    },
    lastHandlerFailure() {
      const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n') : [];
      for (let i = lines.length - 1; i >= 0; i--)
        if (lines[i]?.includes('handler failed')) return lines[i] ?? null;
      return null;
    },
    stop() {
      core.stop();
    },
  };
}
