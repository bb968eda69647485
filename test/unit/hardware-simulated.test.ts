import { Psbt } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { networkParams } from '../../main/bitcoin/wallet/networks';
import { createSimulatedLedgerDriver, SIMULATED_LEDGER_ID } from '../../main/hardware/simulated/ledger';
import { createSimulatedTrezorDriver, SIMULATED_TREZOR_ID } from '../../main/hardware/simulated/trezor';
import { buildTestPsbt, finalizeToTx, TEST_FINGERPRINT, verifyAnySig } from '../fixtures/hardware/psbt';

const drivers = [
  ['Ledger', () => createSimulatedLedgerDriver({ approve: true }), SIMULATED_LEDGER_ID],
  ['Trezor', () => createSimulatedTrezorDriver({ approve: true }), SIMULATED_TREZOR_ID],
] as const;

describe.each(drivers)('simulated %s (test-only) through the real adapter', (_name, make, id) => {
  it('opens on regtest only', async () => {
    await expect(make().open(id, 'mainnet')).rejects.toMatchObject({ code: 'HW_WRONG_NETWORK' });
    await expect(make().open(id, 'testnet')).rejects.toMatchObject({ code: 'HW_WRONG_NETWORK' });
    const opened = await make().open(id, 'regtest');
    expect(opened.info.fingerprint).toBe(TEST_FINGERPRINT);
  });

  it.each(['wpkh', 'tr', 'sh-wpkh', 'pkh'] as const)('signs a %s PSBT that finalizes', async (scriptType) => {
    const { signer } = await make().open(id, 'regtest');
    const t = buildTestPsbt(scriptType);
    const signed = Psbt.fromBase64(await signer.signPsbt(t.psbt.toBase64(), t.account), {
      network: networkParams('regtest').btc,
    });
    expect(signed.validateSignaturesOfAllInputs(verifyAnySig)).toBe(true);
    expect(finalizeToTx(signed).outs.map((o) => Number(o.value))).toEqual([60_000, 39_000]);
  });

  it('shows the same receive address the account derives', async () => {
    const { signer } = await make().open(id, 'regtest');
    const t = buildTestPsbt('wpkh');
    expect(await signer.showAddress(t.changePath, t.account)).toBe(t.changeAddress);
  });
});

describe('rejection on the simulated devices', () => {
  it.each(drivers)('%s: a rejected signature is HW_REJECTED', async (_name, _make, id) => {
    const control = { approve: false };
    const driver =
      id === SIMULATED_LEDGER_ID
        ? createSimulatedLedgerDriver(control)
        : createSimulatedTrezorDriver(control);
    const { signer } = await driver.open(id, 'regtest');
    const t = buildTestPsbt('wpkh');
    await expect(signer.signPsbt(t.psbt.toBase64(), t.account)).rejects.toMatchObject({
      code: 'HW_REJECTED',
    });
  });
});
