import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contract, METHOD_NAMES } from '../../shared/contract';
import { registerIpcBridge } from '../../main/app/ipc-bridge';
import type { FlashCore } from '../../main/core/container';
import { startTestCore } from '../support/core';
import type { ConnectedClient } from '../support/transports';
import { connectOverIpc, connectOverWebSocket, createFakeIpc, openSocket } from '../support/transports';

const transports: { name: string; connect: (core: FlashCore) => Promise<ConnectedClient> }[] = [
  { name: 'Electron IPC', connect: connectOverIpc },
  { name: 'loopback WebSocket', connect: connectOverWebSocket },
];

/** Inputs no method accepts: wrong types, unknown fields, and a body far over the size limit. */
const MALFORMED: { label: string; input: unknown }[] = [
  { label: 'a number', input: 42 },
  { label: 'a string', input: 'hello' },
  { label: 'an array', input: [1, 2, 3] },
  { label: 'an unknown field', input: { unexpected: true } },
  { label: 'a huge string', input: { password: 'x'.repeat(2_000_000) } },
];

describe.each(transports)('bridge contract over $name', ({ connect }) => {
  let core: FlashCore;
  let conn: ConnectedClient;

  beforeAll(async () => {
    core = startTestCore();
    conn = await connect(core);
  });
  afterAll(async () => {
    await conn.close();
    core.stop();
  });

  it('answers app.getInfo with data matching the contract', async () => {
    const result = await conn.client.app.getInfo();
    expect(result.ok).toBe(true);
    if (result.ok) expect(contract['app.getInfo'].output.parse(result.value).mode).toBe('browser');
  });

  it('rejects an unknown method with a typed error', async () => {
    const result = await conn.raw('wallet.stealEverything', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it.each(METHOD_NAMES)('%s answers malformed input with BAD_INPUT, never a crash', async (method) => {
    for (const { input } of MALFORMED) {
      const result = await conn.raw(method, input);
      expect(result.ok, `${method} accepted ${JSON.stringify(input).slice(0, 40)}`).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('BAD_INPUT');
        expect(result.error.message).not.toMatch(/\bat .*\(.*:\d+:\d+\)/); // no stack traces
      }
    }
  });

  it('runs the vault through setup, wrong password, lock and unlock with typed errors', async () => {
    const { client } = conn;
    expect((await client.vault.getStatus()).ok).toBe(true);
    const weak = await client.vault.setup({ password: 'short' });
    expect(weak).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await client.vault.setup({ password: 'correct horse battery' })).toMatchObject({
      ok: true,
      value: { state: 'unlocked' },
    });
    expect(await client.vault.setup({ password: 'another password' })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_ALREADY_SET_UP' },
    });
    expect(await client.vault.lock()).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await client.vault.unlock({ password: 'wrong password' })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_WRONG_PASSWORD' },
    });
    expect(await client.vault.unlock({ password: 'correct horse battery' })).toMatchObject({
      ok: true,
      value: { state: 'unlocked', failedAttempts: 0 },
    });
  });

  it('delivers typed events and stops after unsubscribe', async () => {
    const seen: string[] = [];
    const off = conn.client.on('vault.status', (status) => seen.push(status.state));
    await conn.client.vault.lock();
    await vi.waitFor(() => expect(seen).toContain('locked'));
    off();
    await conn.client.vault.unlock({ password: 'correct horse battery' });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).not.toContain('unlocked');
  });

  it('returns only contract fields from a wallet call and maps domain errors', async () => {
    const missing = await conn.client.wallet.getOverview({ walletId: 'nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'WALLET_NOT_FOUND' } });
    const bad = await conn.client.wallet.restore({ words: ['abandon', 'zzzz'], name: 'x' });
    expect(bad.ok).toBe(false);
  });
});

describe('Electron IPC sender checks', () => {
  it('refuses calls from a frame that is not our renderer', async () => {
    const core = startTestCore();
    const foreign = await connectOverIpc(core, 'https://evil.example/index.html');
    const result = await foreign.client.app.getInfo();
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    await foreign.close();
    core.stop();
  });

  it('registers exactly one channel per contract method and removes them all', () => {
    const core = startTestCore();
    const ipc = createFakeIpc();
    const unregister = registerIpcBridge({
      ipcMain: ipc.ipcMain,
      dispatcher: core.dispatcher,
      bus: core.bus,
      log: core.log,
      isTrustedFrame: () => true,
      targets: () => [],
    });
    expect(ipc.handlerCount()).toBe(METHOD_NAMES.length);
    unregister();
    expect(ipc.handlerCount()).toBe(0);
    core.stop();
  });

  it('the preload exposes only window.flash, with every contract method', async () => {
    const exposed = new Map<string, unknown>();
    const ipc = createFakeIpc();
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: ipc.ipcRenderer,
    }));
    vi.resetModules();
    await import('../../preload/index');
    vi.doUnmock('electron');
    expect([...exposed.keys()]).toEqual(['flash']);
    const flash = exposed.get('flash') as Record<string, Record<string, unknown>>;
    for (const method of METHOD_NAMES) {
      const [area, name] = method.split('.') as [string, string];
      expect(typeof flash[area]?.[name], method).toBe('function');
    }
  });
});

describe('loopback WebSocket access checks', () => {
  let core: FlashCore;
  let conn: ConnectedClient & { port: number; token: string };
  beforeAll(async () => {
    core = startTestCore();
    conn = await connectOverWebSocket(core);
  });
  afterAll(async () => {
    await conn.close();
    core.stop();
  });

  it('rejects a wrong token', async () => {
    await expect(openSocket(`ws://127.0.0.1:${conn.port}/bridge?token=wrong`)).rejects.toThrow('HTTP 401');
  });

  it('rejects a missing token', async () => {
    await expect(openSocket(`ws://127.0.0.1:${conn.port}/bridge`)).rejects.toThrow('HTTP 401');
  });

  it('rejects a foreign Origin even with the right token', async () => {
    await expect(
      openSocket(`ws://127.0.0.1:${conn.port}/bridge?token=${conn.token}`, 'https://evil.example'),
    ).rejects.toThrow('HTTP 403');
  });

  it('closes a socket that sends a frame over the cap, and keeps serving others', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${conn.port}/bridge?token=${conn.token}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(5 * 1024 * 1024));
    expect(await closed).toBe(1009); // "message too big"
    expect(await conn.client.app.getInfo()).toMatchObject({ ok: true });
  });

  it('answers a frame that is not JSON with a typed error', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${conn.port}/bridge?token=${conn.token}`);
    const reply = await new Promise<string>((resolve) => {
      ws.once('message', (d) => resolve(d.toString()));
      ws.send('{not json');
    });
    expect(JSON.parse(reply)).toMatchObject({ id: -1, result: { ok: false, error: { code: 'BAD_INPUT' } } });
    ws.close();
  });
});
