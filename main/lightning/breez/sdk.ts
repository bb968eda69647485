import { createRequire } from 'node:module';
import type {
  BindingLiquidSdk,
  Config,
  ConnectRequest,
  LiquidNetwork,
  Logger as SdkLogger,
} from '@breeztech/breez-sdk-liquid/node';
import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';

/**
 * The Breez SDK Liquid as Flash uses it. The provider is written against the SDK's own types
 * (BindingLiquidSdk), so an SDK update that changes a method breaks the build here and in the
 * test fake that implements the same class, never silently at run time.
 */
export type BreezSdk = BindingLiquidSdk;

/** How a Breez provider gets an SDK: the real WASM build, or (regtest tests) a stand-in. */
export interface BreezBackend {
  /** Where the SDK instance runs, for Settings ("Breez SDK", or the stand-in's address). */
  readonly endpoint: string;
  defaultConfig(network: LiquidNetwork, apiKey: string | null): Config;
  connect(request: ConnectRequest): Promise<BreezSdk>;
}

interface BreezModule {
  connect(req: ConnectRequest): Promise<BindingLiquidSdk>;
  defaultConfig(network: LiquidNetwork, breezApiKey?: string | null): Config;
  setLogger(logger: SdkLogger): void;
}

const vendorRequire = createRequire(import.meta.url);
let loaded: BreezModule | null = null;

/**
 * Loads the SDK's Node build on first use: it compiles a 70 MB WebAssembly module, which must not
 * slow down the start of a Flash that never opens Lightning (or uses LND or NWC only).
 */
function loadSdk(): BreezModule {
  if (loaded) return loaded;
  try {
    loaded = vendorRequire('@breeztech/breez-sdk-liquid/node') as BreezModule;
  } catch (err) {
    throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'The Breez SDK could not be loaded on this computer.', {
      what: 'breez-sdk',
      reason: err instanceof Error ? err.message.slice(0, 200) : 'unknown',
    });
  }
  return loaded;
}

/** The real SDK, loaded lazily. `log` receives the SDK's own log lines (no secrets in them). */
export function createSdkBackend(log?: (level: string, line: string) => void): BreezBackend {
  let loggerSet = false;
  return {
    endpoint: 'Breez SDK',
    defaultConfig: (network, apiKey) => loadSdk().defaultConfig(network, apiKey),
    connect: (request) => {
      const sdk = loadSdk();
      // The SDK takes one process-wide logger, and only once.
      if (log && !loggerSet) {
        loggerSet = true;
        try {
          sdk.setLogger({ log: (entry) => log(entry.level, entry.line) });
        } catch {
          // Already set by an earlier provider in this process.
        }
      }
      return sdk.connect(request);
    },
  };
}

/** Flash's network as Breez's: Breez Liquid has mainnet, testnet and regtest, not signet. */
export function liquidNetworkOf(network: Network): LiquidNetwork {
  switch (network) {
    case 'mainnet':
      return 'mainnet';
    case 'testnet':
      return 'testnet';
    case 'regtest':
      return 'regtest';
    default:
      throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'Breez does not run on signet.', {
        what: 'breez-network',
        network,
      });
  }
}
