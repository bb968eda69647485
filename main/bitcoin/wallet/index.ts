export { createWalletService, mnemonicSecretName } from './service';
export type { WalletDeps } from './service';
export type { WalletService } from './types';
export { CHANGE_CHAIN, GAP_LIMIT, RECEIVE_CHAIN } from './constants';
