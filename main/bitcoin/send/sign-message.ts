import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { parseAddress } from '../../../shared/bitcoin/address';
import { FlashError } from '../../../shared/errors';
import { networkParams } from '../wallet/networks';
import type { SendContext } from './context';
import { SendError } from './errors';
import { signMessageWithKey } from './message';

/** Signs a message with the key of one of the wallet's addresses (BIP137 headers; no BIP322 yet). */
export function signWalletMessage(
  ctx: SendContext,
  input: { walletId: string; address: string; message: string },
): string {
  const { walletId, address, message } = input;
  const acct = ctx.account(walletId);
  const parsed = parseAddress(address, acct.network);
  const where = ctx.reader.addressIndex(walletId, parsed.address);
  if (!where) throw new SendError('UNSUPPORTED_ADDRESS', 'This address does not belong to the wallet.');
  const type = acct.scriptType;
  if (typeof type !== 'string') {
    throw new SendError(
      'UNSUPPORTED_ADDRESS',
      'A multisig address cannot sign a message alone: no one key owns it.',
    );
  }
  if (type === 'tr') {
    throw new SendError(
      'UNSUPPORTED_ADDRESS',
      'Taproot addresses sign messages with BIP322, which Flash does not support yet. Use an address of a Native SegWit, Nested SegWit or Legacy account.',
    );
  }
  if (acct.accountPath === null) throw new FlashError('WATCH_ONLY', 'Flash holds no keys for this account.');
  const secret = ctx.readMnemonic(walletId);
  const seed = mnemonicToSeedSync(secret.mnemonic, secret.passphrase);
  const root = HDKey.fromMasterSeed(seed, networkParams(acct.network).btc.bip32);
  seed.fill(0);
  const child = root.derive(`${acct.accountPath}/${where.chain}/${where.index}`);
  try {
    if (!child.privateKey) throw new Error('no private key');
    return signMessageWithKey(message, child.privateKey, type);
  } finally {
    child.wipePrivateData();
    root.wipePrivateData();
  }
}
