import type * as BtcModule from '@ledgerhq/hw-app-btc';
import type Btc from '@ledgerhq/hw-app-btc';
import type * as AppVersionModule from '@ledgerhq/hw-app-btc/lib/getAppAndVersion';
import type * as AppClientModule from '@ledgerhq/hw-app-btc/lib/newops/appClient';
import type * as NodeHidModule from '@ledgerhq/hw-transport-node-hid';
import type * as LedgerBitcoinModule from 'ledger-bitcoin';
import type { Network } from '../../../shared/contract';
import { hwError, mapLedgerError } from '../errors';
import { loadVendorModule } from '../load';
import type { DetectedDevice, HardwareDriver } from '../types';
import type { LedgerPolicySession, LedgerSession } from './adapter';
import { createLedgerSigner } from './adapter';

/** Ledger's USB vendor id. */
export const LEDGER_VENDOR_ID = 0x2c97;

/**
 * hw-app-btc pins its own copy of hw-transport; node-hid and the mocker bring another version of
 * the same class. The shapes agree at runtime, so transports are typed by what Btc accepts.
 */
export type BtcTransport = ConstructorParameters<typeof Btc>[0]['transport'];

/**
 * A session over any hw-transport (node-hid in the app, the APDU replayer in tests). The modules
 * are imported here, not at the top, so nothing of Ledger loads before the Devices screen asks.
 */
export async function sessionFromTransport(
  transport: BtcTransport,
  network: Network,
): Promise<LedgerSession> {
  const { default: Btc } = loadVendorModule<typeof BtcModule>('@ledgerhq/hw-app-btc');
  const { getAppAndVersion } = loadVendorModule<typeof AppVersionModule>(
    '@ledgerhq/hw-app-btc/lib/getAppAndVersion',
  );
  const { AppClient } = loadVendorModule<typeof AppClientModule>('@ledgerhq/hw-app-btc/lib/newops/appClient');
  const btc = new Btc({ transport, currency: network === 'mainnet' ? 'bitcoin' : 'bitcoin_testnet' });
  const policies = policySession(transport);
  return {
    btc,
    ...(policies ? { policies } : {}),
    getAppAndVersion: () => getAppAndVersion(transport),
    getMasterFingerprint: async () => Uint8Array.from(await new AppClient(transport).getMasterFingerprint()),
    close: () => transport.close(),
  };
}

/**
 * ledger-bitcoin over the same transport, for multisig wallet policies (BIP388). Its transport
 * type is another copy of hw-transport's class with the same shape. Null if it cannot load.
 */
function policySession(transport: BtcTransport): LedgerPolicySession | null {
  try {
    const lib = loadVendorModule<typeof LedgerBitcoinModule>('ledger-bitcoin');
    const client = new lib.AppClient(transport as unknown as ConstructorParameters<typeof lib.AppClient>[0]);
    return { client, policy: (name, template, keys) => new lib.WalletPolicy(name, template, keys) };
  } catch {
    return null;
  }
}

/** Ledger over USB HID (node-hid, a native module loaded on first use). */
export function createLedgerDriver(): HardwareDriver {
  async function hid() {
    try {
      const mod = loadVendorModule<typeof NodeHidModule>('@ledgerhq/hw-transport-node-hid');
      return Promise.resolve(mod.default);
    } catch (err) {
      throw hwError(
        'HW_NO_DEVICE',
        `USB HID support could not load: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return {
    simulated: false,
    vendor: 'ledger',
    async list(): Promise<DetectedDevice[]> {
      const TransportNodeHid = await hid();
      const paths: unknown = await TransportNodeHid.list();
      return (Array.isArray(paths) ? paths : [])
        .filter((p): p is string => typeof p === 'string')
        .map((path) => ({
          id: `ledger:${path}`,
          vendor: 'ledger' as const,
          model: 'Ledger',
          simulated: false,
        }));
    },
    async open(id, network) {
      const TransportNodeHid = await hid();
      let transport: BtcTransport;
      try {
        transport = (await TransportNodeHid.open(id.replace(/^ledger:/, ''))) as unknown as BtcTransport;
      } catch (err) {
        throw mapLedgerError(err);
      }
      const session = await sessionFromTransport(transport, network);
      const signer = createLedgerSigner(session, network);
      try {
        const app = await session.getAppAndVersion().catch((err: unknown) => {
          throw mapLedgerError(err);
        });
        const fingerprint = await signer.fingerprint();
        return {
          signer,
          info: {
            fingerprint,
            appVersion: `${app.name} ${app.version}`,
            model: transport.deviceModel?.productName ?? 'Ledger',
          },
        };
      } catch (err) {
        await signer.close();
        throw err;
      }
    },
    dispose: () => Promise.resolve(),
  };
}
