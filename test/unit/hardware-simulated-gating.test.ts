import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../main/core/config';
import type { FlashCore } from '../../main/core/container';
import { createFlashCore } from '../../main/core/container';
import { silentLogger } from '../../main/core/logger';
import { defaultDrivers } from '../../main/hardware/service';
import { ArgsError, parseHeadlessArgs } from '../../main/headless/args';
import { tempDir, testCoreConfig } from '../support/core';

describe('--simulated-devices is a browser-mode, regtest-only test flag', () => {
  it('is off unless given', () => {
    expect(parseHeadlessArgs(['--network', 'regtest']).simulatedDevices).toBe(false);
  });

  it('is accepted with --network regtest', () => {
    expect(parseHeadlessArgs(['--network', 'regtest', '--simulated-devices']).simulatedDevices).toBe(true);
  });

  it.each(['mainnet', 'testnet', 'signet'])('is refused on %s', (network) => {
    expect(() => parseHeadlessArgs(['--network', network, '--simulated-devices'])).toThrow(ArgsError);
  });

  it('is refused when no network is given (the default is mainnet)', () => {
    expect(() => parseHeadlessArgs(['--simulated-devices'])).toThrow(/regtest/);
  });
});

describe('driver registration', () => {
  it('without the simulator only the real Ledger and Trezor drivers exist', () => {
    const drivers = defaultDrivers(null);
    expect(drivers.map((d) => [d.vendor, d.simulated])).toEqual([
      ['ledger', false],
      ['trezor', false],
    ]);
  });

  it('with it, a simulated Ledger and Trezor are added next to the real ones', () => {
    expect(
      defaultDrivers({ approve: true })
        .filter((d) => d.simulated)
        .map((d) => d.vendor),
    ).toEqual(['ledger', 'trezor']);
  });
});

describe('the simulated device exists only in a core built for it', () => {
  let core: FlashCore | null = null;
  afterEach(() => {
    core?.stop();
    core = null;
  });

  function build(overrides: Partial<AppConfig>): FlashCore {
    const dataDir = tempDir('hw-gate-');
    core = createFlashCore(testCoreConfig(dataDir, overrides), silentLogger);
    return core;
  }

  it.each<[string, Partial<AppConfig>]>([
    ['browser mode without the flag', {}],
    ['Electron, even with the flag', { mode: 'electron', simulatedDevices: true }],
    ['browser mode with the flag on mainnet', { defaultNetwork: 'mainnet', simulatedDevices: true }],
  ])('%s: the test-only bridge method is unknown', async (_label, overrides) => {
    const result = await build(overrides).dispatcher.dispatch('hardware.simulatorSetApproval', {
      approve: false,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('browser mode on regtest with the flag: the test can make the device reject', async () => {
    const result = await build({ simulatedDevices: true }).dispatcher.dispatch(
      'hardware.simulatorSetApproval',
      {
        approve: false,
      },
    );
    expect(result).toEqual({ ok: true, value: { approve: false } });
  });
});
