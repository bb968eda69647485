import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../main/core/config';
import type { FlashCore } from '../../main/core/container';
import { createFlashCore } from '../../main/core/container';
import { silentLogger } from '../../main/core/logger';
import { ArgsError, parseHeadlessArgs } from '../../main/headless/args';
import { openRemoteReaders } from '../../main/merchant/nfc/remote-readers';
import type { PcscServer } from '../stack/nfc/pcsc-server';
import { startPcscServer } from '../stack/nfc/pcsc-server';
import { tempDir, testCoreConfig } from '../support/core';
import { until } from '../support/wait';

/**
 * The stack's simulated NFC reader reaches the app only where the simulated Ledger and Trezor
 * do: browser mode, regtest, --simulated-devices (and its address given with --simulated-nfc).
 */

const URL_ARGS = ['--simulated-nfc', 'ws://127.0.0.1:4567/pcsc'];

describe('--simulated-nfc is a test flag held by the simulated-devices gate', () => {
  it('is off unless given', () => {
    expect(parseHeadlessArgs(['--network', 'regtest', '--simulated-devices']).simulatedNfc).toBeNull();
  });

  it('is accepted with --simulated-devices on regtest', () => {
    expect(parseHeadlessArgs(['--network', 'regtest', '--simulated-devices', ...URL_ARGS]).simulatedNfc).toBe(
      'ws://127.0.0.1:4567/pcsc',
    );
  });

  it('is refused without --simulated-devices, off regtest, or for an address not on this machine', () => {
    expect(() => parseHeadlessArgs(['--network', 'regtest', ...URL_ARGS])).toThrow(/--simulated-devices/);
    expect(() => parseHeadlessArgs(['--network', 'signet', '--simulated-devices', ...URL_ARGS])).toThrow(
      ArgsError,
    );
    expect(() =>
      parseHeadlessArgs([
        '--network',
        'regtest',
        '--simulated-devices',
        '--simulated-nfc',
        'ws://10.0.0.2:1/pcsc',
      ]),
    ).toThrow(/127\.0\.0\.1/);
    expect(() => openRemoteReaders('ws://192.168.1.2:80/pcsc')).toThrow(/this machine/);
  });
});

describe('the simulated reader exists only in a core built for it', () => {
  let pcsc: PcscServer;
  let core: FlashCore | null = null;
  beforeAll(async () => {
    pcsc = await startPcscServer();
  });
  afterEach(() => {
    core?.stop();
    core = null;
  });
  afterAll(async () => {
    await pcsc.stop();
  });

  function build(overrides: Partial<AppConfig>): FlashCore {
    core = createFlashCore(testCoreConfig(tempDir('nfc-gate-'), overrides), silentLogger);
    return core;
  }

  const readers = async (c: FlashCore) => {
    const r = await c.dispatcher.dispatch('merchant.cardStatus', {});
    if (!r.ok) throw new Error(r.error.code);
    return r.value as { problem: string | null; readers: string[]; cardPresent: boolean };
  };

  it.each<[string, Partial<AppConfig>]>([
    ['browser mode with the address but without --simulated-devices', { simulatedNfc: 'x' }],
    ['Electron, even with both', { mode: 'electron', simulatedDevices: true, simulatedNfc: 'x' }],
    [
      'browser mode with both on mainnet',
      { defaultNetwork: 'mainnet', simulatedDevices: true, simulatedNfc: 'x' },
    ],
  ])('%s: Flash Cards use PC/SC, never the stack', async (_label, overrides) => {
    const status = await readers(
      build({ ...overrides, ...(overrides.simulatedNfc ? { simulatedNfc: pcsc.url } : {}) }),
    );
    expect(status.readers).not.toContain(pcsc.reader.name);
  });

  it('browser mode on regtest with both: the stack’s reader and its card are seen', async () => {
    const c = build({ simulatedDevices: true, simulatedNfc: pcsc.url });
    let status = await readers(c); // opens the readers; the stack's status arrives over the socket
    const events: unknown[] = [];
    c.bus.on('merchant.card', (s) => events.push(s));
    await until('the reader shows up', () => events.length > 0 || null);
    status = await readers(c);
    expect(status).toEqual({ problem: null, readers: [pcsc.reader.name], cardPresent: true });
  });
});
