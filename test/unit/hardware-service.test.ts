import path from 'node:path';
import { Psbt } from 'bitcoinjs-lib';
import { afterEach, describe, expect, it } from 'vitest';
import type { SendDraft, WalletSummary } from '../../shared/contract';
import { networkParams } from '../../main/bitcoin/wallet/networks';
import { silentLogger } from '../../main/core/logger';
import type { HardwareService, ImportAccountInput } from '../../main/hardware/service';
import { createHardwareService } from '../../main/hardware/service';
import { createSimulatedLedgerDriver, SIMULATED_LEDGER_ID } from '../../main/hardware/simulated/ledger';
import { createSoftwareSigner } from '../../main/hardware/software-signer';
import type { HardwareDriver, Signer } from '../../main/hardware/types';
import type { HardwareAccount } from '../../main/hardware/wallet-lookup';
import { openDatabase } from '../../main/store/database';
import { tempDir } from '../support/core';
import {
  buildTestPsbt,
  finalizeToTx,
  TEST_FINGERPRINT,
  testRoot,
  verifyAnySig,
} from '../fixtures/hardware/psbt';

const OTHER_WORDS = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

/** A second device: a "Trezor" holding other words, behind the software signer. */
function otherDevice(overrides: Partial<Signer> = {}): HardwareDriver {
  const signer = {
    ...createSoftwareSigner({
      network: 'regtest',
      getSecret: () => ({ mnemonic: OTHER_WORDS, passphrase: '' }),
    }),
    ...overrides,
  };
  return {
    simulated: false,
    vendor: 'trezor',
    list: () =>
      Promise.resolve([{ id: 'trezor:1', vendor: 'trezor', model: 'Trezor Safe 3', simulated: false }]),
    open: async () => ({
      signer,
      info: { fingerprint: await signer.fingerprint(), appVersion: '2.8.1', model: 'Trezor Safe 3' },
    }),
    dispose: () => Promise.resolve(),
  };
}

/** The other device, paired for import, that never answers a signing request; counts cancels. */
async function hangingOtherDevice() {
  const other = createSoftwareSigner({
    network: 'regtest',
    getSecret: () => ({ mnemonic: OTHER_WORDS, passphrase: '' }),
  });
  const fingerprint = await other.fingerprint();
  const xpub = await other.getXpub("m/84'/1'/0'", 'regtest');
  let cancelled = 0;
  const hanging = otherDevice({
    signPsbt: () => new Promise<string>(() => undefined),
    cancel: () => {
      cancelled++;
      return Promise.resolve();
    },
  });
  return { hanging, fingerprint, xpub, cancelled: () => cancelled };
}

function setup(
  opts: { drivers?: HardwareDriver[]; account?: Partial<HardwareAccount>; timeouts?: { sign?: number } } = {},
) {
  const db = openDatabase(path.join(tempDir('hw-svc-'), 'flash.db'));
  const control = { approve: true };
  const imported: ImportAccountInput[] = [];
  const signedDrafts: string[] = [];
  const t = buildTestPsbt('wpkh');
  const account: HardwareAccount = {
    id: 'w1',
    network: 'regtest',
    xpub: testRoot().derive("m/84'/1'/0'").publicExtendedKey,
    fingerprint: TEST_FINGERPRINT,
    accountPath: "m/84'/1'/0'",
    accountType: 'bip84',
    signer: 'ledger',
    ...opts.account,
  };
  const service = createHardwareService({
    db,
    log: silentLogger,
    network: () => 'regtest',
    wallets: {
      account: (id) => (id === account.id ? account : null),
      // The recipient is placed at …/0/0 on purpose: the device derives another address there.
      addressPosition: (_id, address) =>
        address === t.changeAddress
          ? { chain: 1, index: 2 }
          : address === t.recipient
            ? { chain: 0, index: 0 }
            : null,
    },
    importAccount: (input) => {
      imported.push(input);
      return { id: 'new' } as WalletSummary;
    },
    drafts: {
      psbt: (draftId) => ({
        walletId: 'w1',
        psbtBase64: t.psbt.toBase64(),
        state: draftId === 'sent' ? 'broadcast' : 'drafted',
      }),
      importSigned: (_walletId, psbt) => {
        signedDrafts.push(psbt);
        return { draftId: 'signed', psbtBase64: psbt } as SendDraft;
      },
    },
    drivers: opts.drivers ?? [createSimulatedLedgerDriver(control), otherDevice()],
    timeouts: { sign: opts.timeouts?.sign ?? 5_000 },
    inaccessibleDevice: () => false,
  });
  return { service, control, imported, signedDrafts, t, db };
}

let current: HardwareService | null = null;
afterEach(async () => {
  await current?.stop();
  current = null;
});

describe('hardware service', () => {
  it('lists several devices at once and connects each', async () => {
    const { service } = setup();
    current = service;
    const list = await service.listDevices();
    expect(list.devices.map((d) => [d.id, d.vendor, d.state])).toEqual([
      [SIMULATED_LEDGER_ID, 'ledger', 'detected'],
      ['trezor:1', 'trezor', 'detected'],
    ]);
    const ledger = await service.connect(SIMULATED_LEDGER_ID);
    const trezor = await service.connect('trezor:1');
    expect(ledger).toMatchObject({ state: 'ready', fingerprint: TEST_FINGERPRINT, simulated: true });
    expect(trezor.fingerprint).not.toBe(TEST_FINGERPRINT);
  });

  it('imports the chosen account type and number with fingerprint, path and xpub from the device', async () => {
    const { service, imported } = setup();
    current = service;
    await service.listDevices();
    await service.importAccount({
      deviceId: SIMULATED_LEDGER_ID,
      accountType: 'bip86',
      accountIndex: 2,
      name: 'Savings',
    });
    expect(imported).toEqual([
      {
        name: 'Savings',
        network: 'regtest',
        key: testRoot().derive("m/86'/1'/2'").publicExtendedKey,
        type: 'bip86',
        fingerprint: TEST_FINGERPRINT,
        path: "m/86'/1'/2'",
        signer: 'ledger',
      },
    ]);
  });

  it('signs a draft on the device holding the account and imports the signed PSBT', async () => {
    const { service, signedDrafts } = setup();
    current = service;
    const draft = await service.signDraft('d1');
    expect(draft.draftId).toBe('signed');
    const psbt = Psbt.fromBase64(signedDrafts[0]!, { network: networkParams('regtest').btc });
    expect(psbt.validateSignaturesOfAllInputs(verifyAnySig)).toBe(true);
    expect(finalizeToTx(psbt).outs).toHaveLength(2);
  });

  it('refuses to sign a draft that was already sent', async () => {
    const { service, signedDrafts } = setup();
    current = service;
    await expect(service.signDraft('sent')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      details: { reason: 'DRAFT_STATE' },
    });
    expect(signedDrafts).toHaveLength(0);
  });

  it('a rejection on the device loses nothing and a retry works', async () => {
    const { service, control, signedDrafts } = setup();
    current = service;
    control.approve = false;
    await expect(service.signDraft('d1')).rejects.toMatchObject({ code: 'HW_REJECTED' });
    expect(signedDrafts).toHaveLength(0);
    control.approve = true;
    await expect(service.signDraft('d1')).resolves.toMatchObject({ draftId: 'signed' });
  });

  it('verifies an address on the device, and refuses one the device derives differently', async () => {
    const { service, t } = setup();
    current = service;
    await expect(service.verifyAddress('w1', t.changeAddress)).resolves.toEqual({
      address: t.changeAddress,
      verified: true,
    });
    await expect(service.verifyAddress('w1', t.recipient)).rejects.toMatchObject({
      code: 'HW_ADDRESS_MISMATCH',
    });
    await expect(service.verifyAddress('w1', 'bcrt1qnotours')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('a device with other keys gets HW_FINGERPRINT_MISMATCH, none at all HW_NO_DEVICE', async () => {
    const mismatch = setup({ account: { signer: 'trezor' } });
    current = mismatch.service;
    await expect(mismatch.service.signDraft('d1')).rejects.toMatchObject({ code: 'HW_FINGERPRINT_MISMATCH' });
    await mismatch.service.stop();
    const none = setup({ drivers: [otherDevice()] });
    current = none.service;
    await expect(none.service.signDraft('d1')).rejects.toMatchObject({ code: 'HW_NO_DEVICE' });
  });

  it('same fingerprint but another account key (e.g. passphrase) is refused before signing', async () => {
    const { service, signedDrafts } = setup({
      account: { xpub: testRoot().derive("m/84'/1'/1'").publicExtendedKey },
    });
    current = service;
    await expect(service.signDraft('d1')).rejects.toMatchObject({ code: 'HW_FINGERPRINT_MISMATCH' });
    expect(signedDrafts).toHaveLength(0);
  });

  it('times out a device that never answers, cancels it, and nothing is imported', async () => {
    const { hanging, fingerprint, xpub, cancelled } = await hangingOtherDevice();
    const { service, signedDrafts } = setup({
      drivers: [hanging],
      account: { signer: 'trezor', fingerprint, xpub },
      timeouts: { sign: 50 },
    });
    current = service;
    await expect(service.signDraft('d1')).rejects.toMatchObject({ code: 'HW_TIMEOUT' });
    expect(cancelled()).toBe(1);
    expect(signedDrafts).toHaveLength(0);
  });

  it('Cancel in Flash ends a request the device never answers, and a retry is possible', async () => {
    const { hanging, fingerprint, xpub, cancelled } = await hangingOtherDevice();
    const { service, signedDrafts } = setup({
      drivers: [hanging],
      account: { signer: 'trezor', fingerprint, xpub },
    });
    current = service;
    const pending = service.signDraft('d1');
    await new Promise((r) => setTimeout(r, 50));
    await service.cancel();
    await expect(pending).rejects.toMatchObject({ code: 'HW_CANCELLED' });
    expect(cancelled()).toBe(1);
    expect(signedDrafts).toHaveLength(0);
    // The device is free again: the next request is not refused as busy.
    const again = service.signDraft('d1');
    await new Promise((r) => setTimeout(r, 50));
    await service.cancel();
    await expect(again).rejects.toMatchObject({ code: 'HW_CANCELLED' });
  });

  it('remembers "always verify"', async () => {
    const { service } = setup();
    current = service;
    expect(service.preferences()).toEqual({ alwaysVerify: false });
    expect(service.setPreferences({ alwaysVerify: true })).toEqual({ alwaysVerify: true });
    expect(service.preferences()).toEqual({ alwaysVerify: true });
  });
});
