import { z } from 'zod';
import { Empty, Id, Void } from './common';
import { SendDraft } from './send';
import { WalletName, WalletSummary } from './wallet';

export const HardwareVendor = z.enum(['ledger', 'trezor']);
export type HardwareVendor = z.infer<typeof HardwareVendor>;

export const HardwareAccountType = z.enum(['bip44', 'bip49', 'bip84', 'bip86']);
export type HardwareAccountType = z.infer<typeof HardwareAccountType>;

/**
 * One device as the Devices screen sees it. `state` says what the user must do next:
 * 'detected' (not opened yet), 'ready', 'locked' (enter the PIN), 'wrong_app' (open the Bitcoin
 * app), 'app_too_old', 'not_accessible' (Linux udev rules missing), 'busy' (another program has it).
 */
export const HardwareDevice = z.object({
  id: z.string(),
  vendor: HardwareVendor,
  model: z.string(),
  state: z.enum(['detected', 'ready', 'locked', 'wrong_app', 'app_too_old', 'not_accessible', 'busy']),
  /** Master key fingerprint (8 hex digits) once connected. */
  fingerprint: z.string().nullable(),
  /** e.g. "Bitcoin Test 2.2.3" for a Ledger, "2.8.1" firmware for a Trezor. */
  appVersion: z.string().nullable(),
  /** True only for the test-only simulated device of browser mode with --simulated-devices. */
  simulated: z.boolean(),
});
export type HardwareDevice = z.infer<typeof HardwareDevice>;

export const HardwareDeviceList = z.object({
  devices: z.array(HardwareDevice),
  /** Linux: a Ledger or Trezor is plugged in but this user may not open it (udev rules missing). */
  udevHint: z.boolean(),
});
export type HardwareDeviceList = z.infer<typeof HardwareDeviceList>;

export const HardwarePreferences = z.object({
  /** Show every receive address on the device before its QR code is shown. */
  alwaysVerify: z.boolean(),
});
export type HardwarePreferences = z.infer<typeof HardwarePreferences>;

const DeviceId = z.string().min(1).max(300);

export const hardwareMethods = {
  'hardware.listDevices': { input: Empty, output: HardwareDeviceList },
  'hardware.connect': { input: z.object({ deviceId: DeviceId }).strict(), output: HardwareDevice },
  /** Reads the account xpub from the device and stores a watch-only account signed by it. */
  'hardware.importAccount': {
    input: z
      .object({
        deviceId: DeviceId,
        accountType: HardwareAccountType.default('bip84'),
        accountIndex: z.number().int().min(0).max(1000).default(0),
        name: WalletName,
      })
      .strict(),
    output: WalletSummary,
  },
  /** Shows `address` on the device of this account and checks the device derived the same one. */
  'hardware.verifyAddress': {
    input: z.object({ walletId: Id, address: z.string().trim().min(14).max(120) }).strict(),
    output: z.object({ address: z.string(), verified: z.literal(true) }),
  },
  /** Signs a draft on the account's device and returns the signed (imported) draft, ready to send. */
  'hardware.signDraft': { input: z.object({ draftId: Id }).strict(), output: SendDraft },
  /** Stops whatever the devices are asked to do right now (the user pressed Cancel in Flash). */
  'hardware.cancel': { input: Empty, output: Void },
  'hardware.getPreferences': { input: Empty, output: HardwarePreferences },
  'hardware.setPreferences': { input: HardwarePreferences.strict(), output: HardwarePreferences },
  /**
   * Test-only: whether the simulated device approves or rejects the next requests. Refused with
   * UNKNOWN_METHOD unless browser mode runs on regtest with --simulated-devices.
   */
  'hardware.simulatorSetApproval': {
    input: z.object({ approve: z.boolean() }).strict(),
    output: z.object({ approve: z.boolean() }),
  },
} as const;
