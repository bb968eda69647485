import type { ElectrumServer, Network } from '../../shared/contract';
import { ElectrumServer as ElectrumServerSchema, Network as NetworkSchema } from '../../shared/contract';

export interface HeadlessArgs {
  network: Network;
  dataDir: string | null;
  profile: string;
  electrum: ElectrumServer | null;
  port: number;
  /** Relays a new NOSTR identity starts with, e.g. the local stack's. */
  nostrRelays: string[] | null;
  /** Test-only simulated hardware wallet; accepted with --network regtest only. */
  simulatedDevices: boolean;
  /** Test-only Breez stand-in of the local stack (a loopback URL); accepted with --network regtest only. */
  breezStandIn: string | null;
  /** Test-only simulated NFC reader of the local stack (ws://127.0.0.1); with --simulated-devices only. */
  simulatedNfc: string | null;
}

export class ArgsError extends Error {}

export const USAGE = `Usage: npm run start:browser -- [--network mainnet|testnet|signet|regtest] [--data-dir DIR]
       [--profile NAME] [--electrum HOST:PORT:t|s] [--port N] [--nostr-relays ws://A,ws://B]
       [--simulated-devices (tests only, with --network regtest)]
       [--breez-stand-in http://127.0.0.1:PORT (tests only, with --network regtest)]
       [--simulated-nfc ws://127.0.0.1:PORT/pcsc (tests only, with --simulated-devices)]`;

/** `--electrum HOST:PORT:t|s` — `t` plain TCP (a local node), `s` TLS (pinned on first use). */
export function parseElectrumSpec(spec: string): ElectrumServer {
  const match = /^(.+):(\d{1,5}):([ts])$/.exec(spec);
  if (!match) throw new ArgsError(`--electrum must look like HOST:PORT:t or HOST:PORT:s, got "${spec}"`);
  const parsed = ElectrumServerSchema.safeParse({
    host: match[1]?.replace(/^\[|\]$/g, ''),
    port: Number(match[2]),
    transport: match[3] === 's' ? 'tls' : 'tcp',
  });
  if (!parsed.success)
    throw new ArgsError(`--electrum: ${parsed.error.issues[0]?.message ?? 'invalid server'}`);
  return parsed.data;
}

export function parseHeadlessArgs(argv: readonly string[]): HeadlessArgs {
  const out: HeadlessArgs = {
    network: 'mainnet',
    dataDir: null,
    profile: 'default',
    electrum: null,
    port: 0,
    nostrRelays: null,
    simulatedDevices: false,
    breezStandIn: null,
    simulatedNfc: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--network': {
        const n = NetworkSchema.safeParse(value());
        if (!n.success) throw new ArgsError('--network must be mainnet, testnet, signet or regtest');
        out.network = n.data;
        break;
      }
      case '--data-dir':
        out.dataDir = value();
        break;
      case '--profile': {
        const p = value();
        if (!/^[A-Za-z0-9_-]{1,32}$/.test(p)) throw new ArgsError('--profile: letters, digits, - and _ only');
        out.profile = p;
        break;
      }
      case '--electrum':
        out.electrum = parseElectrumSpec(value());
        break;
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new ArgsError('--port must be 0..65535');
        out.port = p;
        break;
      }
      case '--nostr-relays': {
        const urls = value().split(',').filter(Boolean);
        if (urls.length === 0 || urls.some((u) => !/^wss?:\/\/[^\s]+$/.test(u))) {
          throw new ArgsError('--nostr-relays takes ws:// or wss:// URLs separated by commas');
        }
        out.nostrRelays = urls;
        break;
      }
      case '--simulated-devices':
        out.simulatedDevices = true;
        break;
      case '--breez-stand-in': {
        const url = value();
        if (!/^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}\/?$/.test(url))
          throw new ArgsError("--breez-stand-in takes the local stack's address, http://127.0.0.1:PORT");
        out.breezStandIn = url;
        break;
      }
      case '--simulated-nfc': {
        const url = value();
        if (!/^ws:\/\/(127\.0\.0\.1|localhost):\d{1,5}\/[\w/-]*$/.test(url))
          throw new ArgsError("--simulated-nfc takes the local stack's reader, ws://127.0.0.1:PORT/pcsc");
        out.simulatedNfc = url;
        break;
      }
      default:
        throw new ArgsError(`Unknown option ${String(flag)}`);
    }
  }
  // A simulated device signs with public test words: never on a chain where coins have value.
  if (out.simulatedDevices && out.network !== 'regtest') {
    throw new ArgsError('--simulated-devices is a test option and needs --network regtest');
  }
  // The stand-in's Lightning is play money: never where a user could mistake it for Breez.
  if (out.breezStandIn !== null && out.network !== 'regtest') {
    throw new ArgsError('--breez-stand-in is a test option and needs --network regtest');
  }
  // The simulated reader comes with the other simulated devices, so the same gate holds it.
  if (out.simulatedNfc !== null && !out.simulatedDevices) {
    throw new ArgsError(
      '--simulated-nfc is a test option and needs --simulated-devices (and --network regtest)',
    );
  }
  return out;
}
