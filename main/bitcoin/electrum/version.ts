import { FlashError, isFlashError } from '../../../shared/errors';
import type { ElectrumClient } from './types';

/** "1.4.2" -> [1, 4, 2]; anything else is not a protocol version. */
export function parseProtocolVersion(text: string): number[] | null {
  if (!/^\d+(\.\d+)+$/.test(text)) return null;
  return text.split('.').map(Number);
}

export function compareProtocolVersions(a: string, b: string): number {
  const pa = parseProtocolVersion(a) ?? [];
  const pb = parseProtocolVersion(b) ?? [];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Sends the mandatory first message. A server answering with a version outside the range we
 * asked for would speak a dialect we cannot parse safely, so that is a protocol error.
 */
export async function negotiateVersion(
  client: ElectrumClient,
  clientName: string,
  range: readonly [string, string],
): Promise<{ serverSoftware: string; protocolVersion: string }> {
  let reply;
  try {
    reply = await client.request('server.version', [clientName, [range[0], range[1]]]);
  } catch (err) {
    // ElectrumX answers an unsupported range with an error (and then hangs up).
    if (isFlashError(err) && err.code === 'ELECTRUM_PROTOCOL') {
      throw new FlashError(
        'ELECTRUM_PROTOCOL',
        `${client.server.host}:${client.server.port} does not speak Electrum protocol ${range[0]}-${range[1]}: ${err.message}`,
        { range: `${range[0]}-${range[1]}` },
      );
    }
    throw err;
  }
  if (
    !Array.isArray(reply) ||
    reply.length < 2 ||
    typeof reply[0] !== 'string' ||
    typeof reply[1] !== 'string'
  ) {
    throw new FlashError('ELECTRUM_PROTOCOL', `server.version returned ${JSON.stringify(reply)}`);
  }
  const [serverSoftware, protocolVersion] = reply as [string, string];
  if (
    parseProtocolVersion(protocolVersion) === null ||
    compareProtocolVersions(protocolVersion, range[0]) < 0 ||
    compareProtocolVersions(protocolVersion, range[1]) > 0
  ) {
    throw new FlashError(
      'ELECTRUM_PROTOCOL',
      `The server chose protocol ${protocolVersion}, outside the supported ${range[0]}-${range[1]}`,
    );
  }
  return { serverSoftware, protocolVersion };
}
