import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { address as btcAddress, networks, Transaction } from 'bitcoinjs-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ElectrumServer, ElectrumStatus, EventName, EventPayload, Network } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { EventBus } from '../../main/core/event-bus';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createSettingsService } from '../../main/core/settings';
import { parseHeader, serializeHeader } from '../../main/bitcoin/chain/header';
import type { ChainRepository, ProofState } from '../../main/bitcoin/chain/repository';
import { createChainRepository } from '../../main/bitcoin/chain/repository';
import type { ElectrumClient, ElectrumService, JsonValue } from '../../main/bitcoin/electrum/types';
import type { ValidatedTipEvents } from '../../main/bitcoin/wallet/confirmation';
import type { TxVerifier } from '../../main/bitcoin/wallet/sync';
import { CHANGE_CHAIN, GAP_LIMIT, RECEIVE_CHAIN } from '../../main/bitcoin/wallet/constants';
import { createAddressDeriver, deriveAccount, scriptHashOf } from '../../main/bitcoin/wallet/derivation';
import { createWalletRepository } from '../../main/bitcoin/wallet/repository';
import { createSendService } from '../../main/bitcoin/send/service';
import { createWalletService, mnemonicSecretName } from '../../main/bitcoin/wallet/service';
import type { WalletService } from '../../main/bitcoin/wallet/types';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { VaultService } from '../../main/vault/types';

const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const PASSWORD = 'correct horse battery';
const SERVER: ElectrumServer = { host: '127.0.0.1', port: 50001, transport: 'tcp' };

// --- a fake Electrum server over an in-memory chain ---------------------------------------------

/** Transactions with heights, and what the Electrum protocol derives from them. */
class FakeChain {
  tip = 100;
  private readonly txs = new Map<string, { tx: Transaction; height: number }>();

  add(tx: Transaction, height = 0): string {
    const txid = tx.getId();
    this.txs.set(txid, { tx, height });
    return txid;
  }

  drop(txid: string): void {
    this.txs.delete(txid);
  }

  /** Mines the mempool into the next block. */
  mine(): void {
    this.tip += 1;
    for (const entry of this.txs.values()) if (entry.height <= 0) entry.height = this.tip;
  }

  hex(txid: string): string | null {
    return this.txs.get(txid)?.tx.toHex() ?? null;
  }

  history(scriptHash: string): { tx_hash: string; height: number }[] {
    const out: { tx_hash: string; height: number }[] = [];
    for (const [txid, { tx, height }] of this.txs) {
      const pays = tx.outs.some((o) => scriptHashOf(o.script) === scriptHash);
      const spends = tx.ins.some((i) => {
        const prev = this.txs.get(bytesToHex(Uint8Array.from(i.hash).reverse()));
        const out = prev?.tx.outs[i.index];
        return out !== undefined && scriptHashOf(out.script) === scriptHash;
      });
      if (pays || spends) out.push({ tx_hash: txid, height });
    }
    // Protocol order: confirmed by height, then the mempool.
    const key = (h: number) => (h > 0 ? h : Number.MAX_SAFE_INTEGER);
    return out.sort((a, b) => key(a.height) - key(b.height) || a.tx_hash.localeCompare(b.tx_hash));
  }

  /** Protocol 1.4 status: sha256 of "txid:height:" for each history entry, hex. */
  status(scriptHash: string): string | null {
    const h = this.history(scriptHash);
    if (h.length === 0) return null;
    return bytesToHex(sha256(new TextEncoder().encode(h.map((e) => `${e.tx_hash}:${e.height}:`).join(''))));
  }
}

class FakeClient implements ElectrumClient {
  readonly server = SERVER;
  readonly protocolVersion = '1.4';
  readonly serverSoftware = 'fake 1.0';
  readonly certificateFingerprint = null;
  isOpen = true;
  /** Every method called, batched or not. */
  readonly calls: string[] = [];
  /** Raw transactions to answer instead of the real ones (a lying server). */
  readonly fakeTxs = new Map<string, string>();
  private readonly notified = new Map<string, string | null>();
  private notifiedTip: number;
  private readonly notificationListeners = new Set<(method: string, params: JsonValue[]) => void>();
  private readonly closeListeners = new Set<(err: Error | null) => void>();

  constructor(private readonly chain: FakeChain) {
    this.notifiedTip = chain.tip;
  }

  async request(method: string, params: JsonValue[]): Promise<JsonValue> {
    return (await this.batch([{ method, params }]))[0] ?? null;
  }

  async batch(calls: { method: string; params: JsonValue[] }[]): Promise<JsonValue[]> {
    await Promise.resolve();
    if (!this.isOpen) throw new FlashError('ELECTRUM_NOT_CONNECTED', 'closed');
    return calls.map(({ method, params }) => {
      this.calls.push(method);
      const arg = String(params[0]);
      switch (method) {
        case 'blockchain.headers.subscribe':
          return { height: this.chain.tip, hex: '00'.repeat(80) };
        case 'blockchain.scripthash.subscribe': {
          const status = this.chain.status(arg);
          this.notified.set(arg, status);
          return status;
        }
        case 'blockchain.scripthash.get_history':
          return this.chain.history(arg);
        case 'blockchain.transaction.get':
          return this.fakeTxs.get(arg) ?? this.chain.hex(arg);
        default:
          throw new Error(`fake server does not know ${method}`);
      }
    });
  }

  /** Sends the notifications a real server would after the chain changed. */
  announce(): void {
    if (this.chain.tip !== this.notifiedTip) {
      this.notifiedTip = this.chain.tip;
      this.emit('blockchain.headers.subscribe', [{ height: this.chain.tip, hex: '00'.repeat(80) }]);
    }
    for (const [sh, last] of this.notified) {
      const now = this.chain.status(sh);
      if (now !== last) {
        this.notified.set(sh, now);
        this.emit('blockchain.scripthash.subscribe', [sh, now]);
      }
    }
  }

  count(method: string): number {
    return this.calls.filter((m) => m === method).length;
  }

  emit(method: string, params: JsonValue[]): void {
    for (const l of this.notificationListeners) l(method, params);
  }

  onNotification(listener: (method: string, params: JsonValue[]) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  onClose(listener: (err: Error | null) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    for (const l of this.closeListeners) l(null);
  }
}

class FakeElectrum implements ElectrumService {
  current: FakeClient | null = null;
  private readonly listeners = new Set<(client: ElectrumClient) => void>();

  constructor(private readonly chain: FakeChain) {}

  connect(): FakeClient {
    this.current?.close();
    const client = new FakeClient(this.chain);
    this.current = client;
    client.onClose(() => {
      if (this.current === client) this.current = null;
    });
    for (const l of this.listeners) l(client);
    return client;
  }

  status(): ElectrumStatus {
    return {
      state: this.current ? 'connected' : 'idle',
      server: SERVER,
      tipHeight: this.current ? this.chain.tip : null,
      serverVersion: null,
      lastError: null,
      nextRetryAt: null,
      attempt: 0,
      certificateFingerprint: null,
    };
  }

  client(): ElectrumClient {
    if (!this.current) throw new FlashError('ELECTRUM_NOT_CONNECTED', 'not connected');
    return this.current;
  }

  onConnected(listener: (client: ElectrumClient) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setServer(): void {}
  reconnect(): ElectrumStatus {
    return this.status();
  }
  trustNewCertificate(): ElectrumStatus {
    return this.status();
  }
  start(): void {}
  stop(): void {
    this.current?.close();
  }
}

// --- the SPV layer, as far as the wallet sees it -------------------------------------------------

/**
 * Stands in for main/bitcoin/chain (tested on its own against real headers): it records proof
 * states and validated headers in the same tables, so the wallet reads them as it reads the real
 * ones. Every proof checks out unless its txid is `withheld`; our validated tip follows the fake
 * chain's, `lag` blocks behind.
 */
class FakeSpv implements TxVerifier, ValidatedTipEvents {
  /** Txids whose proof cannot be checked yet (as when our headers lag behind the server). */
  readonly withheld = new Set<string>();
  lag = 0;
  readonly requests: { txid: string; height: number }[] = [];
  private readonly repo: ChainRepository;
  private readonly tipListeners = new Set<(tip: { height: number; hash: string }) => void>();

  constructor(
    db: Db,
    private readonly chain: FakeChain,
  ) {
    this.repo = createChainRepository(db, 'regtest');
  }

  /** Stores headers up to the chain's tip (less the lag) and announces a new validated tip. */
  follow(): void {
    const target = this.chain.tip - this.lag;
    const from = (this.repo.tip()?.height ?? -1) + 1;
    if (target < from) return;
    const rows = [];
    for (let height = from; height <= target; height++) {
      const header = parseHeader(
        serializeHeader({
          version: 1,
          prevHash: '00'.repeat(32),
          merkleRoot: height.toString(16).padStart(64, '0'),
          timestamp: 1_700_000_000 + height,
          bits: 0x207fffff,
          nonce: 0,
        }),
      );
      rows.push({ height, header, chainwork: BigInt(height + 1) });
    }
    this.repo.replaceFrom(from, rows);
    const tip = rows[rows.length - 1];
    for (const l of this.tipListeners) l({ height: target, hash: tip?.header.hash ?? '' });
  }

  proof(txid: string): { state: ProofState; height: number } | null {
    return this.repo.getProof(txid);
  }

  async verifyTransactions(requests: readonly { txid: string; height: number }[]) {
    await Promise.resolve();
    this.follow();
    return requests.map(({ txid, height }) => {
      this.requests.push({ txid, height });
      const state: ProofState = height > 0 && !this.withheld.has(txid) ? 'verified' : 'unverified';
      const reason = state === 'verified' ? null : height > 0 ? 'header-unavailable' : 'unconfirmed';
      this.repo.setProof({ txid, height, state, reason, blockHash: null, pos: 0, checkedAt: Date.now() });
      return { txid, state, reason };
    });
  }

  onTip(listener: (tip: { height: number; hash: string }) => void): () => void {
    this.tipListeners.add(listener);
    return () => this.tipListeners.delete(listener);
  }
}

// --- transactions built by hand -------------------------------------------------------------------

const REGTEST = networks.regtest;
/** A script that is not ours: the first receive address of a wallet from other words. */
const FOREIGN = (() => {
  const other = deriveAccount('zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong', '', 'regtest');
  return createAddressDeriver(other.xpub, 'regtest').derive(RECEIVE_CHAIN, 0).scriptPubKey;
})();

function scriptOf(address: string): Uint8Array {
  return btcAddress.toOutputScript(address, REGTEST);
}

/** A payment from outside the wallet. */
function incoming(outputs: { script: Uint8Array; value: number }[]): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  tx.addInput(randomBytes(32), 0);
  for (const o of outputs) tx.addOutput(o.script, BigInt(o.value));
  return tx;
}

function spending(
  prevouts: { txid: string; vout: number }[],
  outputs: { script: Uint8Array; value: number }[],
): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  for (const p of prevouts) tx.addInput(Uint8Array.from(Buffer.from(p.txid, 'hex')).reverse(), p.vout);
  for (const o of outputs) tx.addOutput(o.script, BigInt(o.value));
  return tx;
}

// --- harness ----------------------------------------------------------------------------------------

interface Harness {
  db: Db;
  bus: EventBus;
  vault: VaultService;
  electrum: FakeElectrum;
  spv: FakeSpv;
  wallet: WalletService;
  events: { event: EventName; payload: unknown }[];
  deposits(): EventPayload<'deposit.detected'>[];
  close(): void;
}

let dir: string;
let chain: FakeChain;
const open: Harness[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-wallet-'));
  chain = new FakeChain();
});

afterEach(() => {
  for (const h of open.splice(0)) h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function harness(
  opts: { network?: Network; unlock?: boolean; now?: () => number } = {},
): Promise<Harness> {
  const db = openDatabase(path.join(dir, 'flash.db'));
  const bus = createEventBus();
  const events: { event: EventName; payload: unknown }[] = [];
  bus.onAny((event, payload) => events.push({ event, payload }));
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  if (opts.unlock !== false) {
    if (vault.status().state === 'uninitialized') await vault.setup(PASSWORD);
    else await vault.unlock(PASSWORD);
  }
  const settings = createSettingsService({
    db,
    bus,
    defaultNetwork: opts.network ?? 'regtest',
    electrumOverride: null,
  });
  const electrum = new FakeElectrum(chain);
  const spv = new FakeSpv(db, chain);
  const wallet = createWalletService({
    db,
    vault,
    electrum,
    bus,
    settings,
    log: silentLogger,
    verifier: spv,
    chain: spv,
    ...(opts.now ? { now: opts.now } : {}),
  });
  wallet.start();
  let closed = false;
  const h: Harness = {
    db,
    bus,
    vault,
    electrum,
    spv,
    wallet,
    events,
    deposits: () =>
      events
        .filter((e) => e.event === 'deposit.detected')
        .map((e) => e.payload as EventPayload<'deposit.detected'>),
    close() {
      if (closed) return;
      closed = true;
      wallet.stop();
      electrum.stop();
      vault.stop();
      db.close();
    },
  };
  open.push(h);
  return h;
}

/** Connects, or announces chain changes on the live connection, and waits for the wallet to settle. */
async function settle(h: Harness): Promise<FakeClient> {
  const client = h.electrum.current ?? h.electrum.connect();
  client.announce();
  await h.wallet.idle();
  h.spv.follow();
  return client;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FlashError) return err.code;
    throw err;
  }
  throw new Error('expected a FlashError');
}

async function restoreAbandon(h: Harness, name = 'Savings'): Promise<string> {
  return h.wallet.restore({ words: ABANDON.split(' '), passphrase: '', name, network: 'regtest' }).id;
}

function createFromDraft(h: Harness): string {
  const d = h.wallet.createDraft(12);
  const checks = d.confirmIndexes.map((index) => ({ index, word: d.words[index] ?? '' }));
  return h.wallet.confirmDraft({
    draftId: d.draftId,
    checks,
    name: 'Daily',
    passphrase: '',
    network: 'regtest',
  }).id;
}

function receiveScript(h: Harness, walletId: string): Uint8Array {
  return scriptOf(h.wallet.overview(walletId).receive.address);
}

function changeScript(h: Harness, walletId: string, index: number): Uint8Array {
  const xpub =
    h.db.prepare<[string], { xpub: string }>('SELECT xpub FROM wallets WHERE id = ?').get(walletId)?.xpub ??
    '';
  return createAddressDeriver(xpub, 'regtest').derive(CHANGE_CHAIN, index).scriptPubKey;
}

// --- tests ----------------------------------------------------------------------------------------

describe('onboarding', () => {
  it('needs an unlocked vault to create or restore', async () => {
    const h = await harness({ unlock: false });
    expect(codeOf(() => h.wallet.createDraft(12))).toBe('VAULT_LOCKED');
    expect(
      codeOf(() =>
        h.wallet.restore({ words: ABANDON.split(' '), passphrase: '', name: 'x', network: 'regtest' }),
      ),
    ).toBe('VAULT_LOCKED');
    expect(h.wallet.list()).toEqual([]);
  });

  it('creates a wallet from a confirmed draft, keeps the words only in the vault, then forgets the draft', async () => {
    const h = await harness();
    const d = h.wallet.createDraft(24);
    const checks = d.confirmIndexes.map((index) => ({ index, word: d.words[index] ?? '' }));
    const wrong = checks.map((c, i) => (i === 1 ? { ...c, word: c.word === 'zoo' ? 'zebra' : 'zoo' } : c));
    expect(() =>
      h.wallet.confirmDraft({
        draftId: d.draftId,
        checks: wrong,
        name: 'Daily',
        passphrase: '',
        network: 'regtest',
      }),
    ).toThrow(
      expect.objectContaining({ code: 'CONFIRMATION_MISMATCH', details: { index: d.confirmIndexes[1] } }),
    );

    const summary = h.wallet.confirmDraft({
      draftId: d.draftId,
      checks,
      name: ' Daily ',
      passphrase: '',
      network: 'regtest',
    });
    expect(summary).toMatchObject({ name: 'Daily', network: 'regtest', accountType: 'bip84' });
    expect(summary.id).toMatch(/^[0-9a-f]{16}$/);
    expect(summary.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(
      codeOf(() =>
        h.wallet.confirmDraft({
          draftId: d.draftId,
          checks,
          name: 'Again',
          passphrase: '',
          network: 'regtest',
        }),
      ),
    ).toBe('DRAFT_NOT_FOUND');

    const secret = JSON.parse(
      new TextDecoder().decode(h.vault.getSecret(mnemonicSecretName(summary.id))),
    ) as unknown;
    expect(secret).toEqual({ mnemonic: d.words.join(' '), passphrase: '' });
    expect(h.wallet.recoveryWords(summary.id)).toEqual({ words: d.words, hasPassphrase: false });

    // Nothing in plain SQLite holds the words or a private key.
    h.close();
    const file = fs.readFileSync(path.join(dir, 'flash.db'));
    const wal = fs.existsSync(path.join(dir, 'flash.db-wal'))
      ? fs.readFileSync(path.join(dir, 'flash.db-wal'))
      : Buffer.alloc(0);
    for (const bytes of [file, wal]) {
      expect(bytes.includes(d.words.slice(0, 4).join(' '))).toBe(false);
      expect(bytes.includes('xprv')).toBe(false);
      expect(bytes.includes('tprv')).toBe(false);
    }
  });

  it('restores, refuses the same words twice on one network, and tells passphrases apart', async () => {
    const h = await harness();
    const id = await restoreAbandon(h);
    expect(
      codeOf(() =>
        h.wallet.restore({
          words: ABANDON.toUpperCase().split(' '),
          passphrase: '',
          name: 'B',
          network: 'regtest',
        }),
      ),
    ).toBe('WALLET_EXISTS');
    const withPass = h.wallet.restore({
      words: ABANDON.split(' '),
      passphrase: 'TREZOR',
      name: 'C',
      network: 'regtest',
    });
    const onSignet = h.wallet.restore({
      words: ABANDON.split(' '),
      passphrase: '',
      name: 'D',
      network: 'signet',
    });
    expect(h.wallet.list().map((w) => w.id)).toEqual([id, withPass.id, onSignet.id]);
    expect(h.wallet.list()[0]?.fingerprint).toBe('73c5da0a');
    expect(h.wallet.recoveryWords(withPass.id)).toEqual({ words: ABANDON.split(' '), hasPassphrase: true });
    expect(h.wallet.activeWalletId('regtest')).toBe(id);
    expect(h.wallet.activeWalletId('signet')).toBe(onSignet.id);
    expect(h.wallet.activeWalletId('mainnet')).toBeNull();
  });

  it('reports invalid words with the offending index', async () => {
    const h = await harness();
    const words = ABANDON.split(' ');
    words[5] = 'abandonn';
    expect(() => h.wallet.restore({ words, passphrase: '', name: 'x', network: 'regtest' })).toThrow(
      expect.objectContaining({ code: 'MNEMONIC_UNKNOWN_WORD', details: { index: 5 } }),
    );
    expect(
      codeOf(() =>
        h.wallet.restore({ words: words.slice(0, 11), passphrase: '', name: 'x', network: 'regtest' }),
      ),
    ).toBe('MNEMONIC_BAD_LENGTH');
  });

  it('drops drafts when the vault locks', async () => {
    const h = await harness();
    const d = h.wallet.createDraft(12);
    h.vault.lock();
    await h.vault.unlock(PASSWORD);
    const checks = d.confirmIndexes.map((index) => ({ index, word: d.words[index] ?? '' }));
    expect(
      codeOf(() =>
        h.wallet.confirmDraft({ draftId: d.draftId, checks, name: 'x', passphrase: '', network: 'regtest' }),
      ),
    ).toBe('DRAFT_NOT_FOUND');
  });

  it('shows the first receive address offline, with its path and URI', async () => {
    const h = await harness();
    const id = await restoreAbandon(h);
    const o = h.wallet.overview(id);
    expect(o.receive.index).toBe(0);
    expect(o.receive.derivationPath).toBe("m/84'/1'/0'/0/0");
    expect(o.receive.address.startsWith('bcrt1q')).toBe(true);
    expect(o.receive.uri).toBe(`bitcoin:${o.receive.address}`);
    expect(o.balance).toEqual({ confirmed: 0, confirming: 0, unconfirmed: 0 });
    expect(o.sync.phase).toBe('offline');
    expect(o.tipHeight).toBeNull();
    expect(codeOf(() => h.wallet.overview('nope'))).toBe('WALLET_NOT_FOUND');
    const rows = h.db
      .prepare('SELECT chain, COUNT(*) AS n FROM wallet_addresses GROUP BY chain ORDER BY chain')
      .all();
    expect(rows).toEqual([
      { chain: 0, n: GAP_LIMIT[RECEIVE_CHAIN] },
      { chain: 1, n: GAP_LIMIT[CHANGE_CHAIN] },
    ]);
  });
});

describe('sync', () => {
  it('subscribes every address in one batch and asks no history while nothing is used', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    const client = await settle(h);
    expect(client.count('blockchain.scripthash.subscribe')).toBe(30);
    expect(client.count('blockchain.scripthash.get_history')).toBe(0);
    const o = h.wallet.overview(id);
    expect(o.sync).toMatchObject({ phase: 'synced', done: 30, total: 30 });
    expect(o.sync.lastSyncedAt).not.toBeNull();
    expect(o.tipHeight).toBe(100);
    const progress = h.events.filter((e) => e.event === 'sync.progress').map((e) => e.payload);
    expect(progress[0]).toMatchObject({ walletId: id, sync: { phase: 'syncing' } });
    expect(progress.at(-1)).toMatchObject({ walletId: id, sync: { phase: 'synced' } });
  });

  it('announces a deposit unconfirmed, then once at its first confirmation', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    await settle(h);
    const receive = h.wallet.overview(id).receive;
    const txid = chain.add(
      incoming([
        { script: scriptOf(receive.address), value: 50_000 },
        { script: FOREIGN, value: 7 },
      ]),
    );
    await settle(h);

    expect(h.deposits()).toEqual([{ walletId: id, txid, amountSats: 50_000, confirmed: false }]);
    let o = h.wallet.overview(id);
    expect(o.balance).toEqual({ confirmed: 0, confirming: 0, unconfirmed: 50_000 });
    expect(o.receive.index).toBe(1);
    expect(h.wallet.activity(id, 10, 0)).toEqual({
      items: [
        {
          txid,
          amountSats: 50_000,
          height: 0,
          confirmations: 0,
          firstSeenAt: expect.any(Number),
          direction: 'in',
          verification: 'mempool',
          // A stranger's payment: its input amounts are not stored, so its fee is unknown.
          feeSats: null,
          feeRate: null,
        },
      ],
      total: 1,
    });
    expect(h.events.some((e) => e.event === 'wallet.updated')).toBe(true);

    chain.mine();
    await settle(h);
    expect(h.deposits()).toEqual([
      { walletId: id, txid, amountSats: 50_000, confirmed: false },
      { walletId: id, txid, amountSats: 50_000, confirmed: true },
    ]);
    o = h.wallet.overview(id);
    expect(o.balance).toEqual({ confirmed: 50_000, confirming: 0, unconfirmed: 0 });
    expect(o.tipHeight).toBe(101);
    chain.mine();
    await settle(h);
    expect(h.wallet.activity(id, 10, 0).items[0]).toMatchObject({ height: 101, confirmations: 2 });
    expect(h.deposits()).toHaveLength(2);
  });

  it('reopens with zero history requests when nothing changed, and repeats no deposit', async () => {
    const first = await harness();
    const id = createFromDraft(first);
    await settle(first);
    chain.add(incoming([{ script: receiveScript(first, id), value: 10_000 }]));
    await settle(first);
    chain.mine();
    await settle(first);
    expect(first.deposits()).toHaveLength(2);
    const before = first.wallet.overview(id);
    first.close();

    const second = await harness();
    const client = await settle(second);
    expect(client.count('blockchain.scripthash.subscribe')).toBe(31);
    expect(client.count('blockchain.scripthash.get_history')).toBe(0);
    expect(client.count('blockchain.transaction.get')).toBe(0);
    expect(second.deposits()).toEqual([]);
    const after = second.wallet.overview(id);
    expect(after.balance).toEqual(before.balance);
    expect(after.receive).toEqual(before.receive);
  });

  it('asks no history for a notification that repeats the cached status', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    await settle(h);
    const script = receiveScript(h, id);
    chain.add(incoming([{ script, value: 1_000 }]), 100);
    const client = await settle(h);
    expect(client.count('blockchain.scripthash.get_history')).toBe(1);
    const sh = scriptHashOf(script);
    client.emit('blockchain.scripthash.subscribe', [sh, chain.status(sh)]);
    client.emit('blockchain.scripthash.subscribe', ['00'.repeat(32), null]); // not ours
    client.emit('blockchain.scripthash.subscribe', ['junk']); // malformed
    await h.wallet.idle();
    expect(client.count('blockchain.scripthash.get_history')).toBe(1);
  });

  it('refuses a transaction whose bytes do not hash to the id asked for, and retries later', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    const client = await settle(h);
    const txid = chain.add(incoming([{ script: receiveScript(h, id), value: 4_000 }]));
    client.fakeTxs.set(txid, incoming([{ script: receiveScript(h, id), value: 999_999 }]).toHex());
    await settle(h);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 0, confirming: 0, unconfirmed: 0 });
    expect(h.wallet.overview(id).sync.phase).toBe('idle');
    expect(h.deposits()).toEqual([]);

    // An honest answer on the next connection stores it.
    h.electrum.connect();
    await settle(h);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 0, confirming: 0, unconfirmed: 4_000 });
    expect(h.deposits()).toEqual([{ walletId: id, txid, amountSats: 4_000, confirmed: false }]);
  });

  it('announces a confirmation that happened while the app was closed, exactly once', async () => {
    const first = await harness();
    const id = createFromDraft(first);
    await settle(first);
    const txid = chain.add(incoming([{ script: receiveScript(first, id), value: 12_345 }]));
    await settle(first);
    expect(first.deposits()).toEqual([{ walletId: id, txid, amountSats: 12_345, confirmed: false }]);
    first.close();

    chain.mine();
    const second = await harness();
    const client = await settle(second);
    expect(client.count('blockchain.scripthash.get_history')).toBe(1);
    expect(client.count('blockchain.transaction.get')).toBe(0);
    expect(second.deposits()).toEqual([{ walletId: id, txid, amountSats: 12_345, confirmed: true }]);
    second.close();

    const third = await harness();
    await settle(third);
    expect(third.deposits()).toEqual([]);
  });

  it('imports a restored wallet’s past without announcing it', async () => {
    const probe = await harness();
    const id = await restoreAbandon(probe);
    const receive = receiveScript(probe, id);
    probe.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);

    chain.add(incoming([{ script: receive, value: 1_000 }]));
    chain.mine();
    const pending = chain.add(incoming([{ script: receive, value: 2_000 }]));
    const h = await harness();
    const restored = await restoreAbandon(h);
    await settle(h);
    expect(h.deposits()).toEqual([]);
    expect(h.wallet.overview(restored).balance).toEqual({
      confirmed: 1_000,
      confirming: 0,
      unconfirmed: 2_000,
    });
    // The one still waiting for a block is news when it gets one.
    chain.mine();
    await settle(h);
    expect(h.deposits()).toEqual([{ walletId: restored, txid: pending, amountSats: 2_000, confirmed: true }]);
  });

  it('extends the gap when a late address is used, and finds payments beyond the first window', async () => {
    const h = await harness();
    const id = await restoreAbandon(h);
    const xpub =
      h.db.prepare<[string], { xpub: string }>('SELECT xpub FROM wallets WHERE id = ?').get(id)?.xpub ?? '';
    const deriver = createAddressDeriver(xpub, 'regtest');
    // Index 19 is the last of the first window; 35 is only visible after extending to 39.
    chain.add(incoming([{ script: deriver.derive(RECEIVE_CHAIN, 19).scriptPubKey, value: 100 }]), 90);
    chain.add(incoming([{ script: deriver.derive(RECEIVE_CHAIN, 35).scriptPubKey, value: 200 }]), 91);
    const client = await settle(h);
    const counts = h.db
      .prepare(
        'SELECT chain, COUNT(*) AS n, SUM(used) AS used FROM wallet_addresses GROUP BY chain ORDER BY chain',
      )
      .all();
    expect(counts).toEqual([
      { chain: 0, n: 56, used: 2 },
      { chain: 1, n: 10, used: 0 },
    ]);
    expect(client.count('blockchain.scripthash.subscribe')).toBe(66);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 300, confirming: 0, unconfirmed: 0 });
    expect(h.wallet.overview(id).receive.index).toBe(0);
    expect(h.wallet.overview(id).sync).toMatchObject({ phase: 'synced', done: 66, total: 66 });
  });

  it('computes amounts for sends with change, self-transfers and spends of unconfirmed coins', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    await settle(h);
    const a = chain.add(incoming([{ script: receiveScript(h, id), value: 100_000 }]));
    chain.mine(); // height 101
    await settle(h);
    const b = chain.add(
      incoming([
        { script: FOREIGN, value: 1 },
        { script: receiveScript(h, id), value: 40_000 },
      ]),
    );
    chain.mine(); // height 102
    await settle(h);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 140_000, confirming: 0, unconfirmed: 0 });

    // Send 30,000 out of A, 69,000 change back, 1,000 fee.
    const send = chain.add(
      spending(
        [{ txid: a, vout: 0 }],
        [
          { script: FOREIGN, value: 30_000 },
          { script: changeScript(h, id, 0), value: 69_000 },
        ],
      ),
    );
    await settle(h);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 40_000, confirming: 0, unconfirmed: 69_000 });
    // Consolidate B and the unconfirmed change to ourselves, paying 500.
    const self = chain.add(
      spending(
        [
          { txid: b, vout: 1 },
          { txid: send, vout: 1 },
        ],
        [{ script: changeScript(h, id, 1), value: 108_500 }],
      ),
    );
    await settle(h);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 0, confirming: 0, unconfirmed: 108_500 });

    const page = h.wallet.activity(id, 10, 0);
    expect(page.total).toBe(4);
    const byTx = new Map(page.items.map((i) => [i.txid, i]));
    expect(byTx.get(send)).toMatchObject({ amountSats: -31_000, direction: 'out', confirmations: 0 });
    expect(byTx.get(self)).toMatchObject({ amountSats: -500, direction: 'self', confirmations: 0 });
    expect(byTx.get(b)).toMatchObject({ amountSats: 40_000, direction: 'in', height: 102, confirmations: 1 });
    expect(byTx.get(a)).toMatchObject({
      amountSats: 100_000,
      direction: 'in',
      height: 101,
      confirmations: 2,
    });
    // Unconfirmed first, then newest block first.
    expect(page.items.slice(2).map((i) => i.txid)).toEqual([b, a]);
    expect(new Set(page.items.slice(0, 2).map((i) => i.txid))).toEqual(new Set([send, self]));
    // Seen first in a block: one announcement each. Sends are no deposits.
    expect(h.deposits().map((d) => [d.txid, d.confirmed])).toEqual([
      [a, true],
      [b, true],
    ]);

    // Paging straight from SQL.
    expect(h.wallet.activity(id, 2, 2).items.map((i) => i.txid)).toEqual([b, a]);
    expect(h.wallet.activity(id, 2, 4)).toEqual({ items: [], total: 4 });

    chain.mine();
    await settle(h);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 108_500, confirming: 0, unconfirmed: 0 });
  });

  it('drops a transaction the server forgets (replaced or evicted) and restores the coins it spent', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    await settle(h);
    const a = chain.add(incoming([{ script: receiveScript(h, id), value: 10_000 }]), 100);
    await settle(h);
    const send = chain.add(spending([{ txid: a, vout: 0 }], [{ script: FOREIGN, value: 9_000 }]));
    await settle(h);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 0, confirming: 0, unconfirmed: 0 });
    expect(h.wallet.activity(id, 10, 0).total).toBe(2);

    chain.drop(send);
    await settle(h);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 10_000, confirming: 0, unconfirmed: 0 });
    expect(h.wallet.activity(id, 10, 0).items.map((i) => i.txid)).toEqual([a]);
  });

  it('goes offline on disconnect, keeps serving from SQLite, and resyncs on reconnect', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    await settle(h);
    chain.add(incoming([{ script: receiveScript(h, id), value: 5_000 }]), 100);
    await settle(h);
    h.electrum.current?.close();
    await h.wallet.idle();
    const offline = h.wallet.overview(id);
    expect(offline.sync.phase).toBe('offline');
    expect(offline.balance).toEqual({ confirmed: 5_000, confirming: 0, unconfirmed: 0 });
    expect(offline.tipHeight).toBe(100);
    expect(h.wallet.activity(id, 10, 0).items[0]?.confirmations).toBe(1);

    chain.add(incoming([{ script: receiveScript(h, id), value: 6_000 }]));
    const client = await settle(h);
    expect(client.count('blockchain.scripthash.get_history')).toBe(1);
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 5_000, confirming: 0, unconfirmed: 6_000 });
    expect(h.wallet.overview(id).sync.phase).toBe('synced');
  });

  it('syncs a wallet created while connected, and only wallets of the active network', async () => {
    const h = await harness();
    const client = await settle(h);
    expect(client.count('blockchain.scripthash.subscribe')).toBe(0);
    h.wallet.restore({ words: ABANDON.split(' '), passphrase: '', name: 'Signet', network: 'signet' });
    await h.wallet.idle();
    expect(client.count('blockchain.scripthash.subscribe')).toBe(0);
    const id = createFromDraft(h);
    await h.wallet.idle();
    expect(client.count('blockchain.scripthash.subscribe')).toBe(30);
    expect(h.wallet.overview(id).sync.phase).toBe('synced');
  });
});

describe('confirmed means verified', () => {
  it('counts a mined payment as confirmed only once its merkle proof checks out; until then it is confirming', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    await settle(h);
    const txid = chain.add(incoming([{ script: receiveScript(h, id), value: 50_000 }]));
    await settle(h);
    expect(h.deposits()).toEqual([{ walletId: id, txid, amountSats: 50_000, confirmed: false }]);

    // The server says it is in block 101, but the proof cannot be checked yet.
    h.spv.withheld.add(txid);
    chain.mine();
    await settle(h);
    expect(h.spv.requests).toContainEqual({ txid, height: 101 });
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 0, confirming: 50_000, unconfirmed: 0 });
    expect(h.wallet.activity(id, 10, 0).items[0]).toMatchObject({
      txid,
      height: 101,
      confirmations: 0,
      verification: 'unverified',
    });
    expect(h.wallet.transaction(id, txid)).toMatchObject({ confirmations: 0, verification: 'unverified' });
    // No "Deposit confirmed" on the server's word.
    expect(h.deposits()).toHaveLength(1);

    // Its address's status was not cached: the next connection fetches it again and checks the proof.
    h.spv.withheld.clear();
    const checks = h.spv.requests.length;
    h.electrum.connect();
    await settle(h);
    expect(h.spv.requests.slice(checks)).toContainEqual({ txid, height: 101 });
    expect(h.wallet.overview(id).balance).toEqual({ confirmed: 50_000, confirming: 0, unconfirmed: 0 });
    expect(h.wallet.activity(id, 10, 0).items[0]).toMatchObject({
      confirmations: 1,
      verification: 'verified',
    });
    expect(h.deposits()).toEqual([
      { walletId: id, txid, amountSats: 50_000, confirmed: false },
      { walletId: id, txid, amountSats: 50_000, confirmed: true },
    ]);
    // Once verified, the status is cached: a reconnect costs no history.
    const client = h.electrum.connect();
    await settle(h);
    expect(client.count('blockchain.scripthash.get_history')).toBe(0);
  });

  it('spends a stranger’s payment only once it is confirmed, verified', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    await settle(h);
    const txid = chain.add(incoming([{ script: receiveScript(h, id), value: 90_000 }]));
    h.spv.withheld.add(txid);
    chain.mine();
    await settle(h);
    expect(h.wallet.overview(id).balance.confirming).toBe(90_000);
    const send = createSendService({
      db: h.db,
      vault: h.vault,
      electrum: h.electrum,
      bus: h.bus,
      log: silentLogger,
    });
    const pay = () =>
      send.prepare({
        walletId: id,
        outputs: [{ address: btcAddress.fromOutputScript(FOREIGN, REGTEST), sats: 20_000 }],
        feeRate: 2,
      });
    expect(() => pay()).toThrow(
      expect.objectContaining({
        reason: 'INSUFFICIENT_FUNDS',
        details: expect.objectContaining({ availableSats: 0 }),
      }),
    );

    h.spv.withheld.clear();
    h.electrum.connect();
    await settle(h);
    expect(h.wallet.overview(id).balance.confirmed).toBe(90_000);
    expect(pay().inputs.map((i) => i.txid)).toEqual([txid]);
  });

  it('counts confirmations from our own validated tip, not the tip the server announces', async () => {
    const h = await harness();
    const id = createFromDraft(h);
    await settle(h);
    const txid = chain.add(incoming([{ script: receiveScript(h, id), value: 8_000 }]));
    await settle(h);
    // Our headers stop three blocks short of what the server claims.
    h.spv.lag = 3;
    for (let i = 0; i < 5; i++) chain.mine();
    await settle(h);
    expect(h.electrum.status().tipHeight).toBe(105);
    expect(h.wallet.overview(id).tipHeight).toBe(102);
    expect(h.wallet.activity(id, 10, 0).items[0]).toMatchObject({ txid, height: 101, confirmations: 2 });
    expect(h.wallet.transaction(id, txid).confirmations).toBe(2);

    // Our tip catching up is enough to refresh the screen, without any news from the server.
    const updates = () => h.events.filter((e) => e.event === 'wallet.updated').length;
    const before = updates();
    h.spv.lag = 0;
    h.spv.follow();
    expect(updates()).toBeGreaterThan(before);
    expect(h.wallet.activity(id, 10, 0).items[0]?.confirmations).toBe(5);
    expect(h.wallet.overview(id).tipHeight).toBe(105);
  });
});

describe('activity storage', () => {
  it('pages from the activity index without sorting in memory', async () => {
    const h = await harness();
    const plan = h.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT txid, net_sats AS amountSats, height, first_seen_at AS firstSeenAt, direction
         FROM wallet_txs WHERE wallet_id = ? ORDER BY sort_height DESC, first_seen_at DESC, txid DESC LIMIT ? OFFSET ?`,
      )
      .all('w', 50, 0) as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toContain('wallet_txs_activity');
    expect(details).not.toContain('TEMP B-TREE');
  });

  it('pages 100k transactions quickly', async () => {
    const h = await harness();
    const id = await restoreAbandon(h);
    const insert = h.db.prepare(
      `INSERT INTO wallet_txs (wallet_id, txid, height, output_count, net_sats, first_seen_at) VALUES (?, ?, ?, 1, ?, ?)`,
    );
    h.db.transaction(() => {
      for (let i = 0; i < 100_000; i++)
        insert.run(id, i.toString(16).padStart(64, '0'), i < 10 ? 0 : i, i, i);
    })();
    const repo = createWalletRepository(h.db);
    const t0 = performance.now();
    const last = h.wallet.activity(id, 50, 99_950);
    const first = h.wallet.activity(id, 50, 0);
    const elapsed = performance.now() - t0;
    expect(first.total).toBe(100_000);
    expect(first.items[0]?.height).toBe(0);
    expect(first.items[10]?.height).toBe(99_999);
    expect(last.items.at(-1)?.height).toBe(10);
    expect(repo.txCount(id)).toBe(100_000);
    // Generous: a figure to notice regressions by orders of magnitude, not a benchmark.
    expect(elapsed).toBeLessThan(500);
  });
});
