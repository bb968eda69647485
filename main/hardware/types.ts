import type { Network } from '../../shared/contract';
import type { HardwareDevice, HardwareVendor } from '../../shared/contract/hardware';

/** Output script kinds of the single-key accounts a device signs for (descriptor function names). */
export type HwScriptType = 'pkh' | 'sh-wpkh' | 'wpkh' | 'tr';

/** What a signer needs to know about the account behind a request. */
export interface AccountContext {
  network: Network;
  scriptType: HwScriptType;
  /** `m/84'/1'/0'` */
  accountPath: string;
  /** Master fingerprint the account was stored with, 8 hex digits. */
  fingerprint: string;
}

/**
 * One signer, hardware or the vault's seed. Every method may throw a FlashError with an HW_* code;
 * nothing here keeps a secret after it returns.
 */
export interface Signer {
  readonly vendor: HardwareVendor | 'seed';
  /** Master key fingerprint, 8 lower-case hex digits. */
  fingerprint(): Promise<string>;
  /** Extended public key at `path` with plain BIP32 version bytes (xpub or tpub). */
  getXpub(path: string, network: Network): Promise<string>;
  /** Shows the address at `path` on the device (the seed signer just derives it) and returns it. */
  showAddress(path: string, account: AccountContext): Promise<string>;
  /** Signs every input of `psbt` (base64) that belongs to the account; returns the signed PSBT (base64). */
  signPsbt(psbt: string, account: AccountContext): Promise<string>;
  /** BIP137 "Bitcoin Signed Message" signature, base64. */
  signMessage(path: string, message: string, account: AccountContext): Promise<string>;
  /** Aborts whatever the device is doing (after a timeout or when the user cancels). */
  cancel(): Promise<void>;
  /** Releases the transport. */
  close(): Promise<void>;
  /** Multisig wallets, on devices that can sign for them (absent: this device cannot). */
  readonly multisig?: MultisigSigner;
}

/**
 * A multisig wallet as a device is asked about it: a BIP388 wallet policy (name, descriptor
 * template with `@i/**` placeholders, keys `[fingerprint/path]xpub`) and, for a device that
 * registers policies (Ledger), the HMAC it returned when the user approved it.
 */
export interface MultisigDeviceRequest {
  network: Network;
  /** Shown on the device; ASCII, at most 16 characters. */
  name: string;
  template: string;
  keys: readonly string[];
  /** Hex, from an earlier registration; null when this device has none stored. */
  hmac: string | null;
}

/** One signature a device made on a multisig PSBT's input. */
export interface DeviceSignature {
  input: number;
  pubkey: Uint8Array;
  signature: Uint8Array;
  /** Taproot script path: the leaf signed for. */
  leafHash?: Uint8Array;
}

export interface MultisigSigner {
  /** Shows the policy on the device; the user approves it and the device answers its id and an HMAC (hex). */
  register(req: MultisigDeviceRequest): Promise<{ policyId: string; hmac: string }>;
  /** Shows receive (chain 0) or change (1) address `index` on the device and returns it. */
  showAddress(req: MultisigDeviceRequest, chain: 0 | 1, index: number): Promise<string>;
  /** The user checks outputs and fee on the device; answers this device's signatures. */
  signPsbt(req: MultisigDeviceRequest, psbtBase64: string): Promise<DeviceSignature[]>;
}

/** A plugged-in device as a driver sees it, before anything is opened. */
export interface DetectedDevice {
  id: string;
  vendor: HardwareVendor;
  model: string;
  simulated: boolean;
}

/** Result of opening a device: a signer plus what the Devices screen shows. */
export interface OpenedDevice {
  signer: Signer;
  info: Pick<HardwareDevice, 'fingerprint' | 'appVersion' | 'model'>;
}

/** One vendor's way to find and open devices. Drivers load native code only when first called. */
export interface HardwareDriver {
  readonly vendor: HardwareVendor;
  /** True only for the test-only simulated devices. */
  readonly simulated: boolean;
  list(): Promise<DetectedDevice[]>;
  open(id: string, network: Network): Promise<OpenedDevice>;
  /** Stops background work (Trezor Connect's transport) at shutdown. */
  dispose(): Promise<void>;
}
