import { describe, expect, it } from 'vitest';
import { createLedgerSigner } from '../../main/hardware/ledger/adapter';
import type { BtcTransport } from '../../main/hardware/ledger/driver';
import { sessionFromTransport } from '../../main/hardware/ledger/driver';
import { descriptorOf } from '../../main/bitcoin/multisig/policy';
import { addressOfScript, multisigScriptsAt } from '../../main/bitcoin/multisig/scripts';
import { toWalletPolicy } from '../../main/bitcoin/multisig/wallet-policy';
import type { MultisigDeviceRequest } from '../../main/hardware/types';
import { LEDGER_WORDS, testPolicy } from '../fixtures/multisig/keys';
import { PolicyDeviceTransport } from '../support/ledger-policy-device';

/**
 * Flash's Ledger multisig code (adapter + driver) through ledger-bitcoin's real AppClient, over
 * APDUs answered by a device-side simulation of the Bitcoin app's documented protocol
 * (REGISTER_WALLET, GET_WALLET_ADDRESS and the client commands), not the AppClient fake.
 */
async function open(device: PolicyDeviceTransport) {
  const session = await sessionFromTransport(device as unknown as BtcTransport, 'regtest');
  const signer = createLedgerSigner(session, 'regtest');
  if (!signer.multisig) throw new Error('ledger-bitcoin did not load');
  return { signer, multisig: signer.multisig };
}

describe.each(['wsh', 'sh-wsh'] as const)('Ledger wallet policy over APDUs (%s 2-of-3)', (script) => {
  const policy = testPolicy(script, 2);
  const request = (hmac: string | null): MultisigDeviceRequest => ({
    network: 'regtest',
    name: 'Flash vault',
    ...toWalletPolicy(policy),
    hmac,
  });
  const flashAddress = (chain: 0 | 1, index: number) =>
    addressOfScript(multisigScriptsAt(descriptorOf(policy), chain, index).scriptPubKey, 'regtest');

  it('registers the policy (id and HMAC), then shows addresses equal to Flash’s own', async () => {
    const device = new PolicyDeviceTransport({ words: LEDGER_WORDS, network: 'regtest' });
    const { multisig } = await open(device);
    const { policyId, hmac } = await multisig.register(request(null));
    expect(policyId).toMatch(/^[0-9a-f]{64}$/);
    expect(hmac).toMatch(/^[0-9a-f]{64}$/);
    // The device fetched the template and each key (with its Merkle proof) from the client.
    expect(device.log.clientCommands).toContain(0x40);
    const proofs = device.log.clientCommands.filter((c) => c === 0x41).length;
    expect(proofs).toBeGreaterThanOrEqual(3);
    expect(proofs % 3).toBe(0);
    expect(device.log.screens[0]).toContain('Register Flash vault');
    expect(device.log.apdus.some((a) => a.startsWith('e102'))).toBe(true);

    expect(await multisig.showAddress(request(hmac), 0, 0)).toBe(flashAddress(0, 0));
    expect(await multisig.showAddress(request(hmac), 0, 7)).toBe(flashAddress(0, 7));
    expect(await multisig.showAddress(request(hmac), 1, 3)).toBe(flashAddress(1, 3));
    expect(device.log.screens.at(-1)).toBe(`Address ${flashAddress(1, 3)}`);

    // The same words give the same HMAC on a second registration (the key is the device's own).
    const again = await multisig.register(request(null));
    expect(again).toEqual({ policyId, hmac });
  });

  it('a tampered HMAC is refused by the device, and so is a wallet without the device’s key', async () => {
    const device = new PolicyDeviceTransport({ words: LEDGER_WORDS, network: 'regtest' });
    const { multisig } = await open(device);
    const { hmac } = await multisig.register(request(null));
    const tampered = (hmac.startsWith('0') ? '1' : '0') + hmac.slice(1);
    const before = device.log.screens.length;
    await expect(multisig.showAddress(request(tampered), 0, 0)).rejects.toMatchObject({
      code: expect.stringMatching(/^HW_/),
    });
    expect(device.log.apdus.at(-1)?.startsWith('e103')).toBe(true);
    expect(device.log.screens.length).toBe(before);
    await expect(multisig.showAddress(request(null), 0, 0)).rejects.toMatchObject({
      code: 'MULTISIG_NOT_REGISTERED',
    });

    const stranger = new PolicyDeviceTransport({
      words: 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo',
      network: 'regtest',
    });
    const other = await open(stranger);
    await expect(other.multisig.register(request(null))).rejects.toMatchObject({
      code: expect.stringMatching(/^HW_/),
    });
  });

  it('the user pressing Reject on the device is a typed refusal', async () => {
    const device = new PolicyDeviceTransport({ words: LEDGER_WORDS, network: 'regtest' });
    const { multisig } = await open(device);
    device.approve = false;
    await expect(multisig.register(request(null))).rejects.toMatchObject({ code: 'HW_REJECTED' });
  });
});
