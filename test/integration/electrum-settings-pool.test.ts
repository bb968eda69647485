import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ElectrumStatus, Settings } from '../../shared/contract';
import type { FlashCore } from '../../main/core/container';
import type { Stack } from '../stack/index';
import { startStack } from '../stack/index';
import type { Socks5Server } from '../stack/socks5';
import { startSocks5Server } from '../stack/socks5';
import { startTestCore, tempDir } from '../support/core';

let stack: Stack;
let proxy: Socks5Server;
const cores: FlashCore[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  proxy = await startSocks5Server();
});
afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
afterAll(async () => {
  await proxy.close();
  await stack.stop();
});

async function call<T>(core: FlashCore, method: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatcher.dispatch(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function until<T>(what: string, fn: () => Promise<T | null | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const connectedTo = (core: FlashCore, port: number) =>
  until(`connected to port ${port}`, async () => {
    const s = await call<ElectrumStatus>(core, 'electrum.getStatus');
    return s.state === 'connected' && s.server.port === port ? s : null;
  });

function start(dataDir: string, electrum = stack.electrum): FlashCore {
  const core = startTestCore({ dataDir, electrum });
  cores.push(core);
  return core;
}

describe('Electrum server settings', () => {
  it('sends every Electrum connection through the configured SOCKS5 proxy, now and after a restart', async () => {
    const dataDir = tempDir('flash-proxy-');
    dirs.push(dataDir);
    const target = `${stack.electrum.host}:${stack.electrum.port}`;
    const core = start(dataDir);
    await connectedTo(core, stack.electrum.port);
    const direct = proxy.targets.filter((t) => t === target).length;

    const saved = await call<Settings>(core, 'settings.update', {
      electrumProxy: { host: proxy.host, port: proxy.port },
    });
    expect(saved.electrumProxy).toEqual({ host: proxy.host, port: proxy.port });
    // The service reconnects through the proxy: the proxy sees a CONNECT to the Electrum server.
    await until('a CONNECT through the proxy', async () =>
      proxy.targets.filter((t) => t === target).length > direct ? true : null,
    );
    const status = await connectedTo(core, stack.electrum.port);
    expect(status.tipHeight).toBe(stack.chain.tipHeight);
    core.stop();
    cores.splice(cores.indexOf(core), 1);

    // A new start reads the proxy from the settings before its first connection.
    const before = proxy.connections;
    const again = start(dataDir);
    await connectedTo(again, stack.electrum.port);
    expect(proxy.connections).toBeGreaterThan(before);
    expect(proxy.targets.at(-1)).toBe(target);

    // Turning it off connects directly again.
    await call<Settings>(again, 'settings.update', { electrumProxy: null });
    const afterOff = proxy.connections;
    await call(again, 'electrum.reconnect');
    await connectedTo(again, stack.electrum.port);
    expect(proxy.connections).toBe(afterOff);
  });

  it('fails over to a configured fallback when the primary cannot be reached', async () => {
    const dataDir = tempDir('flash-fallback-');
    dirs.push(dataDir);
    // The primary (from the command line) is the discard port: nothing answers there.
    const core = start(dataDir, { host: '127.0.0.1', port: 9, transport: 'tcp' });
    const saved = await call<Settings>(core, 'settings.update', { electrumFallbacks: [stack.electrum] });
    expect(saved.electrumFallbacks.regtest).toEqual([stack.electrum]);
    await call(core, 'electrum.reconnect');
    const status = await connectedTo(core, stack.electrum.port);
    expect(status.server).toEqual(stack.electrum);

    const refused = await core.dispatcher.dispatch('settings.update', {
      electrumFallbacks: [stack.electrum, { ...stack.electrum }],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});
