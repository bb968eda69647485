import { networks as btcNetworks, type Network as BtcNetwork } from 'bitcoinjs-lib';
import type { Network } from '../../../shared/contract';

export interface NetworkParams {
  /** bitcoinjs-lib parameters (bech32 prefix, BIP32 version bytes). */
  btc: BtcNetwork;
  /** BIP44 coin type: 0 for real bitcoin, 1 for every test chain. */
  coinType: 0 | 1;
}

const PARAMS: Readonly<Record<Network, NetworkParams>> = {
  mainnet: { btc: btcNetworks.bitcoin, coinType: 0 },
  testnet: { btc: btcNetworks.testnet, coinType: 1 },
  // Signet shares testnet's address prefix and version bytes.
  signet: { btc: btcNetworks.testnet, coinType: 1 },
  regtest: { btc: btcNetworks.regtest, coinType: 1 },
};

export function networkParams(network: Network): NetworkParams {
  return PARAMS[network];
}
