import { DEFAULT_PROTOCOL_RANGE } from '../../main/bitcoin/electrum/client';
import { compareProtocolVersions } from '../../main/bitcoin/electrum/version';
import { defaultProtocolOffer } from '../stack/bitcoin';
import { offerRange } from '../stack/electrum-methods';

/**
 * The Electrum protocol version the wallet's client agrees with the stack this test run uses (the
 * suite runs once per version: FLASH_STACK_ELECTRUM_PROTOCOL), computed as the spec says:
 * min(client max, server max).
 */
export function negotiatedVersion(): string {
  const server = offerRange(defaultProtocolOffer());
  return compareProtocolVersions(DEFAULT_PROTOCOL_RANGE[1], server.max) <= 0
    ? DEFAULT_PROTOCOL_RANGE[1]
    : server.max;
}
