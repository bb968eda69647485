import type { Network, SendDraft, WalletSummary } from '../../shared/contract';
import type {
  HardwareAccountType,
  HardwareDevice,
  HardwareDeviceList,
  HardwarePreferences,
  HardwareVendor,
} from '../../shared/contract/hardware';
import { FlashError, isFlashError } from '../../shared/errors';
import { ACCOUNT_TYPE_INFO, accountPath as makeAccountPath } from '../bitcoin/accounts';
import type { Logger } from '../core/logger';
import type { Db } from '../store/database';
import { hwError, withTimeout } from './errors';
import { createLedgerDriver } from './ledger/driver';
import { hasInaccessibleDevice } from './linux-access';
import { createPreferences } from './preferences';
import type { SimulatorControl } from './simulated/ledger';
import { createSimulatedLedgerDriver } from './simulated/ledger';
import { createSimulatedTrezorDriver } from './simulated/trezor';
import { createTrezorDriver } from './trezor/driver';
import type { AccountContext, HardwareDriver, MultisigSigner, OpenedDevice } from './types';
import type { HardwareAccount, WalletLookup } from './wallet-lookup';

export interface ImportAccountInput {
  name: string;
  network: Network;
  key: string;
  type: HardwareAccountType;
  fingerprint: string;
  path: string;
  signer: HardwareVendor;
}

export interface HardwareDeps {
  db: Db;
  log: Logger;
  network: () => Network;
  wallets: WalletLookup;
  /** Stores a watch-only account (the wallet service's importWatchOnly). */
  importAccount: (input: ImportAccountInput) => WalletSummary;
  drafts: {
    psbt(draftId: string): { walletId: string; psbtBase64: string; state: string };
    /** Imports a signed PSBT as a new draft of the wallet (send.importPsbt). */
    importSigned(walletId: string, psbtBase64: string): SendDraft;
  };
  /** Test-only simulated Ledger (see main/hardware/simulated/ledger.ts for the gating). */
  simulated?: SimulatorControl | null;
  /** Replaces the real drivers (tests). */
  drivers?: HardwareDriver[];
  timeouts?: Partial<Timeouts>;
  /** Linux udev check; replaced in tests. */
  inaccessibleDevice?: () => boolean;
}

export interface Timeouts {
  list: number;
  open: number;
  xpub: number;
  /** The user reads a whole address on a small screen. */
  showAddress: number;
  /** The user checks every output and the fee. */
  sign: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  list: 10_000,
  open: 30_000,
  xpub: 60_000,
  showAddress: 180_000,
  sign: 300_000,
};

export interface HardwareService {
  listDevices(): Promise<HardwareDeviceList>;
  connect(deviceId: string): Promise<HardwareDevice>;
  importAccount(input: {
    deviceId: string;
    accountType: HardwareAccountType;
    accountIndex: number;
    name: string;
  }): Promise<WalletSummary>;
  verifyAddress(walletId: string, address: string): Promise<{ address: string; verified: true }>;
  signDraft(draftId: string): Promise<SendDraft>;
  /** The key at `path` of a connected device, with its master fingerprint (a multisig cosigner). */
  cosignerKey(
    deviceId: string,
    path: string,
  ): Promise<{ vendor: HardwareVendor; fingerprint: string; xpub: string }>;
  /**
   * Runs a multisig request on the connected device of this vendor with this master fingerprint
   * (one request at a time, the device's timeouts); MULTISIG_DEVICE_UNSUPPORTED when it cannot.
   */
  withMultisigDevice<T>(
    vendor: HardwareVendor,
    fingerprint: string,
    kind: 'showAddress' | 'sign',
    op: (device: MultisigSigner) => Promise<T>,
  ): Promise<T>;
  signMessage(walletId: string, address: string, message: string): Promise<string>;
  preferences(): HardwarePreferences;
  setPreferences(prefs: HardwarePreferences): HardwarePreferences;
  /** Aborts every device request in flight (HW_CANCELLED for its caller). */
  cancel(): Promise<void>;
  /** Test-only bridge method; UNKNOWN_METHOD unless the simulator is on. */
  simulatorSetApproval(approve: boolean): { approve: boolean };
  stop(): Promise<void>;
}

interface Tracked {
  id: string;
  vendor: HardwareVendor;
  model: string;
  simulated: boolean;
  driver: HardwareDriver;
  state: HardwareDevice['state'];
  opened: OpenedDevice | null;
  /** One request at a time per device: a second one gets HW_BUSY, not a queue the user can't see. */
  busy: boolean;
  /** Ends the request in flight at once (the user cancelled in Flash). */
  abort: ((err: Error) => void) | null;
  /** Accounts whose xpub this device proved it holds, this session. */
  verifiedAccounts: Set<string>;
}

const STATE_OF_CODE: Partial<Record<string, HardwareDevice['state']>> = {
  HW_LOCKED: 'locked',
  HW_WRONG_APP: 'wrong_app',
  HW_WRONG_NETWORK: 'wrong_app',
  HW_APP_TOO_OLD: 'app_too_old',
  HW_NOT_ACCESSIBLE: 'not_accessible',
  HW_BUSY: 'busy',
};

/**
 * Ledger and Trezor, plus the two test-only simulated devices when `simulated` is given (browser
 * mode on regtest with --simulated-devices only; see ./simulated/ledger.ts).
 */
export function defaultDrivers(simulated: SimulatorControl | null): HardwareDriver[] {
  return [
    createLedgerDriver(),
    createTrezorDriver(),
    ...(simulated ? [createSimulatedLedgerDriver(simulated), createSimulatedTrezorDriver(simulated)] : []),
  ];
}

/**
 * Devices, several at once: detection, opening, account import, address checks and signing,
 * every device call under a deadline. Device accounts are plain watch-only accounts in the wallet
 * tables plus a signer name; nothing here writes them except through `importAccount`.
 */
export function createHardwareService(deps: HardwareDeps): HardwareService {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const prefs = createPreferences(deps.db);
  const simulated = deps.simulated ?? null;
  const drivers = deps.drivers ?? defaultDrivers(simulated);
  const tracked = new Map<string, Tracked>();
  const inaccessible = deps.inaccessibleDevice ?? (() => hasInaccessibleDevice());

  function view(t: Tracked): HardwareDevice {
    return {
      id: t.id,
      vendor: t.vendor,
      model: t.opened?.info.model ?? t.model,
      state: t.state,
      fingerprint: t.opened?.info.fingerprint ?? null,
      appVersion: t.opened?.info.appVersion ?? null,
      simulated: t.simulated,
    };
  }

  async function forget(t: Tracked): Promise<void> {
    const opened = t.opened;
    t.opened = null;
    t.verifiedAccounts.clear();
    if (t.state === 'ready') t.state = 'detected';
    await opened?.signer.close().catch(() => undefined);
  }

  /** Runs one device call: busy guard, deadline with cancel, and a disconnected device forgotten. */
  async function run<T>(t: Tracked, ms: number, op: (o: OpenedDevice) => Promise<T>): Promise<T> {
    const opened = t.opened;
    if (!opened) throw hwError('HW_NO_DEVICE');
    if (t.busy) throw hwError('HW_BUSY');
    t.busy = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One deadline per request, ended by the answer, the timeout or Cancel, whichever comes first;
    // a late answer to an ended request is dropped.
    const ended = new Promise<never>((_, reject) => {
      t.abort = reject;
      timer = setTimeout(() => {
        void opened.signer.cancel().catch(() => undefined);
        reject(hwError('HW_TIMEOUT', undefined, { timeoutMs: ms }));
      }, ms);
    });
    const request = op(opened);
    request.catch(() => undefined);
    try {
      return await Promise.race([request, ended]);
    } catch (err) {
      if (isFlashError(err) && (err.code === 'HW_DISCONNECTED' || err.code === 'HW_TIMEOUT')) await forget(t);
      throw err;
    } finally {
      clearTimeout(timer);
      t.busy = false;
      t.abort = null;
    }
  }

  async function refresh(): Promise<void> {
    const seen = new Set<string>();
    // Vendors in parallel: a slow one (Trezor Connect starting up) must not delay the other.
    const results = await Promise.all(
      drivers.map((driver) =>
        withTimeout(driver.list(), timeouts.list, () => undefined).then(
          (found) => ({ driver, found }),
          (err: unknown) => {
            deps.log.warn('device listing failed', {
              vendor: driver.vendor,
              error: err instanceof Error ? err.message : String(err),
            });
            return { driver, found: null };
          },
        ),
      ),
    );
    for (const { driver, found } of results) {
      if (!found) {
        // Keep what this driver had: one vendor's failure must not hide the other's devices.
        for (const t of tracked.values()) if (t.driver === driver) seen.add(t.id);
        continue;
      }
      for (const d of found) {
        seen.add(d.id);
        if (!tracked.has(d.id)) {
          tracked.set(d.id, {
            ...d,
            driver,
            state: 'detected',
            opened: null,
            busy: false,
            abort: null,
            verifiedAccounts: new Set(),
          });
        }
      }
    }
    for (const [id, t] of tracked) {
      if (seen.has(id) || t.busy) continue;
      tracked.delete(id);
      await forget(t);
    }
  }

  async function open(t: Tracked): Promise<OpenedDevice> {
    if (t.opened) return t.opened;
    if (t.busy) throw hwError('HW_BUSY');
    t.busy = true;
    try {
      const opened = await withTimeout(t.driver.open(t.id, deps.network()), timeouts.open, () => undefined);
      t.opened = opened;
      t.state = 'ready';
      return opened;
    } catch (err) {
      if (isFlashError(err)) t.state = STATE_OF_CODE[err.code] ?? 'detected';
      throw err;
    } finally {
      t.busy = false;
    }
  }

  function requireTracked(deviceId: string): Tracked {
    const t = tracked.get(deviceId);
    if (!t) throw hwError('HW_NO_DEVICE', undefined, { deviceId: deviceId.slice(0, 80) });
    return t;
  }

  function deviceAccount(walletId: string): {
    account: HardwareAccount;
    ctx: AccountContext;
    vendor: HardwareVendor;
  } {
    const account = deps.wallets.account(walletId);
    if (!account) throw new FlashError('WALLET_NOT_FOUND', 'No such wallet.', { walletId });
    if ((account.signer !== 'ledger' && account.signer !== 'trezor') || account.accountType === 'multisig') {
      throw new FlashError('BAD_INPUT', 'This account is not signed by a hardware wallet.', { walletId });
    }
    if (!account.fingerprint || !account.accountPath) {
      throw new FlashError('BAD_INPUT', 'This device account has no key origin stored.', { walletId });
    }
    if (account.network !== deps.network()) throw hwError('HW_WRONG_NETWORK');
    return {
      account,
      vendor: account.signer,
      ctx: {
        network: account.network,
        scriptType: ACCOUNT_TYPE_INFO[account.accountType].scriptType,
        accountPath: account.accountPath,
        fingerprint: account.fingerprint,
      },
    };
  }

  /**
   * The connected device that holds this account: same vendor, same master fingerprint, and (once
   * per session) the same account xpub, which also catches a different passphrase.
   */
  async function deviceFor(walletId: string): Promise<{ t: Tracked; ctx: AccountContext }> {
    const { account, ctx, vendor } = deviceAccount(walletId);
    await refresh();
    const candidates = [...tracked.values()].filter((t) => t.vendor === vendor);
    if (candidates.length === 0) throw hwError('HW_NO_DEVICE');
    let lastError: unknown = null;
    for (const t of candidates) {
      try {
        await open(t);
      } catch (err) {
        lastError = err;
      }
    }
    const match = candidates.find((t) => t.opened?.info.fingerprint === account.fingerprint);
    if (!match) {
      if (candidates.some((t) => t.opened)) {
        throw hwError('HW_FINGERPRINT_MISMATCH', undefined, {
          expected: account.fingerprint,
          found: candidates
            .map((t) => t.opened?.info.fingerprint ?? '')
            .filter(Boolean)
            .join(','),
        });
      }
      throw lastError ?? hwError('HW_NO_DEVICE');
    }
    if (!match.verifiedAccounts.has(walletId)) {
      const path = ctx.accountPath;
      const xpub = await run(match, timeouts.xpub, (o) => o.signer.getXpub(path, ctx.network));
      if (xpub !== account.xpub) {
        throw hwError('HW_FINGERPRINT_MISMATCH', 'the device derives a different account key', {
          accountPath: path,
        });
      }
      match.verifiedAccounts.add(walletId);
    }
    return { t: match, ctx };
  }

  function addressPath(walletId: string, ctx: AccountContext, address: string): string {
    const pos = deps.wallets.addressPosition(walletId, address);
    if (!pos) throw new FlashError('BAD_INPUT', 'This address does not belong to the account.', { walletId });
    return `${ctx.accountPath}/${pos.chain}/${pos.index}`;
  }

  return {
    async listDevices() {
      await refresh();
      let udevHint = false;
      try {
        udevHint = inaccessible() || [...tracked.values()].some((t) => t.state === 'not_accessible');
      } catch {
        udevHint = false;
      }
      return { devices: [...tracked.values()].map(view), udevHint };
    },

    async connect(deviceId) {
      await refresh();
      const t = requireTracked(deviceId);
      await open(t);
      return view(t);
    },

    async importAccount({ deviceId, accountType, accountIndex, name }) {
      const t = requireTracked(deviceId);
      const opened = await open(t);
      const network = deps.network();
      const path = makeAccountPath(accountType, network, accountIndex);
      const fingerprint = opened.info.fingerprint;
      if (!fingerprint) throw hwError('HW_NO_DEVICE');
      const xpub = await run(t, timeouts.xpub, (o) => o.signer.getXpub(path, network));
      return deps.importAccount({
        name,
        network,
        key: xpub,
        type: accountType,
        fingerprint,
        path,
        signer: t.vendor,
      });
    },

    async verifyAddress(walletId, address) {
      const { t, ctx } = await deviceFor(walletId);
      const path = addressPath(walletId, ctx, address);
      const shown = await run(t, timeouts.showAddress, (o) => o.signer.showAddress(path, ctx));
      if (shown !== address) {
        throw hwError('HW_ADDRESS_MISMATCH', undefined, { expected: address, shown });
      }
      return { address, verified: true };
    },

    async signDraft(draftId) {
      const { walletId, psbtBase64, state } = deps.drafts.psbt(draftId);
      if (state !== 'drafted') {
        throw new FlashError('BAD_INPUT', `This payment is already ${state}.`, {
          reason: 'DRAFT_STATE',
          state,
        });
      }
      const { t, ctx } = await deviceFor(walletId);
      const signed = await run(t, timeouts.sign, (o) => o.signer.signPsbt(psbtBase64, ctx));
      // The original draft stays as it was: a failed or cancelled signing loses nothing.
      return deps.drafts.importSigned(walletId, signed);
    },

    async cosignerKey(deviceId, path) {
      await refresh();
      const t = requireTracked(deviceId);
      const opened = await open(t);
      const fingerprint = opened.info.fingerprint;
      if (!fingerprint) throw hwError('HW_NO_DEVICE');
      const xpub = await run(t, timeouts.xpub, (o) => o.signer.getXpub(path, deps.network()));
      return { vendor: t.vendor, fingerprint, xpub };
    },

    async withMultisigDevice(vendor, fingerprint, kind, op) {
      await refresh();
      const candidates = [...tracked.values()].filter((t) => t.vendor === vendor);
      if (candidates.length === 0) throw hwError('HW_NO_DEVICE');
      let lastError: unknown = null;
      for (const t of candidates) {
        try {
          await open(t);
        } catch (err) {
          lastError = err;
        }
      }
      const match = candidates.find((t) => t.opened?.info.fingerprint === fingerprint);
      if (!match) {
        if (candidates.some((t) => t.opened)) {
          throw hwError('HW_FINGERPRINT_MISMATCH', undefined, { expected: fingerprint });
        }
        throw lastError ?? hwError('HW_NO_DEVICE');
      }
      return run(match, timeouts[kind], (o) => {
        const m = o.signer.multisig;
        if (!m) {
          throw new FlashError(
            'MULTISIG_DEVICE_UNSUPPORTED',
            'This device cannot sign for multisig wallets in Flash yet.',
            {
              vendor,
            },
          );
        }
        return op(m);
      });
    },

    async signMessage(walletId, address, message) {
      const { t, ctx } = await deviceFor(walletId);
      const path = addressPath(walletId, ctx, address);
      return run(t, timeouts.showAddress, (o) => o.signer.signMessage(path, message, ctx));
    },

    async cancel() {
      for (const t of tracked.values()) {
        if (!t.abort) continue;
        t.abort(hwError('HW_CANCELLED'));
        await t.opened?.signer.cancel().catch(() => undefined);
      }
    },

    preferences: () => prefs.get(),
    setPreferences: (next) => prefs.set(next),

    simulatorSetApproval(approve) {
      if (!simulated) throw new FlashError('UNKNOWN_METHOD', 'Unknown method: hardware.simulatorSetApproval');
      simulated.approve = approve;
      return { approve };
    },

    async stop() {
      for (const t of tracked.values()) await forget(t);
      tracked.clear();
      for (const d of drivers) await d.dispose().catch(() => undefined);
    },
  };
}
