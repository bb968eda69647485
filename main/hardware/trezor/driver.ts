import type * as ConnectModule from '@trezor/connect';
import type TrezorConnect from '@trezor/connect';
import type { Device } from '@trezor/connect';
import type { Network } from '../../../shared/contract';
import { hwError } from '../errors';
import { loadVendorModule } from '../load';
import type { DetectedDevice, HardwareDriver } from '../types';
import type { TrezorApi } from './adapter';
import { createTrezorSigner } from './adapter';

/** Who we are to Trezor Connect (required since Connect 9; shown by Suite/Bridge logs). */
export const TREZOR_MANIFEST = {
  appName: 'Flash Desktop',
  appUrl: 'https://github.com/flash-desktop/flash',
  email: 'hardware@flash-desktop.invalid',
} as const;

/**
 * Trezor over Trezor Connect 9's Node entry, in process: Trezor Bridge when it runs, else direct
 * USB (NodeUsbTransport). Connect is imported and initialised on the first call only. A device
 * that asks for its PIN on the host (Trezor One's matrix) is reported as locked: Flash has no PIN
 * matrix screen, and models with a touchscreen take the PIN on the device.
 */
export function createTrezorDriver(): HardwareDriver {
  let connect: Promise<typeof TrezorConnect> | null = null;
  const devices = new Map<string, Device>();
  let pinRequested = false;

  function load(): Promise<typeof TrezorConnect> {
    connect ??= (async () => {
      const mod = loadVendorModule<typeof ConnectModule>('@trezor/connect');
      const api = mod.default;
      api.on(mod.DEVICE_EVENT, (event) => {
        if (event.type === mod.DEVICE.DISCONNECT) devices.delete(event.payload.path);
        else if (
          event.type === mod.DEVICE.CONNECT ||
          event.type === mod.DEVICE.CONNECT_UNACQUIRED ||
          event.type === mod.DEVICE.CHANGED
        ) {
          devices.set(event.payload.path, event.payload);
        }
      });
      api.on(mod.UI_EVENT, (event) => {
        if (event.type === mod.UI.REQUEST_PIN) {
          pinRequested = true;
          api.cancel('PIN entry on the host is not supported');
        } else if (event.type === mod.UI.REQUEST_PASSPHRASE) {
          // Typed on the device, never through Flash.
          api.uiResponse({
            type: mod.UI.RECEIVE_PASSPHRASE,
            payload: { value: '', passphraseOnDevice: true, save: true },
          });
        }
      });
      try {
        await api.init({
          manifest: TREZOR_MANIFEST,
          transports: ['BridgeTransport', 'NodeUsbTransport'],
          pendingTransportEvent: true,
          transportReconnect: true,
          popup: false,
          lazyLoad: false,
          debug: false,
        });
      } catch (err) {
        connect = null;
        throw hwError('HW_NO_DEVICE', `Trezor Connect: ${err instanceof Error ? err.message : String(err)}`);
      }
      return api;
    })();
    return connect;
  }

  return {
    simulated: false,
    vendor: 'trezor',
    async list(): Promise<DetectedDevice[]> {
      await load();
      return [...devices.values()].map((d) => ({
        id: `trezor:${d.path}`,
        vendor: 'trezor' as const,
        model: d.type === 'acquired' ? `Trezor ${d.features.internal_model}` : 'Trezor',
        simulated: false,
      }));
    },
    async open(id: string, network: Network) {
      const api = await load();
      const device = devices.get(id.replace(/^trezor:/, ''));
      if (!device) throw hwError('HW_NO_DEVICE');
      if (device.type === 'unacquired') throw hwError('HW_BUSY');
      if (device.type === 'unreadable') throw hwError('HW_NOT_ACCESSIBLE', device.error);
      const signer = createTrezorSigner(api satisfies TrezorApi, device.path, network);
      pinRequested = false;
      try {
        const fingerprint = await signer.fingerprint();
        const f = device.features;
        return {
          signer,
          info: {
            fingerprint,
            appVersion: `${f.major_version}.${f.minor_version}.${f.patch_version}`,
            model: `Trezor ${f.internal_model}`,
          },
        };
      } catch (err) {
        if (pinRequested) throw hwError('HW_LOCKED');
        throw err;
      }
    },
    async dispose() {
      if (!connect) return;
      const api = await connect.catch(() => null);
      api?.dispose();
    },
  };
}
