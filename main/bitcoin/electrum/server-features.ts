import { z } from 'zod';
import type { ElectrumServerFeatures } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import type { JsonValue } from './types';

const FeaturesReply = z.object({
  server_version: z.string().max(200).optional(),
  protocol_min: z.string().max(20).optional(),
  protocol_max: z.string().max(20).optional(),
  genesis_hash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/)
    .optional(),
  pruning: z.number().int().nullable().optional(),
  hash_function: z.string().optional(),
  broadcast_package: z.boolean().optional(),
});

/**
 * What `server.features` says, for Settings and for two refusals: a server hashing scripts with
 * something other than sha256 (every subscription would look empty), and one serving another
 * network's chain. Null when the server did not answer; undefined when the answer was not understood
 * (informative only: such a server still serves the wallet).
 */
export function readServerFeatures(
  server: string,
  reply: JsonValue | null,
  expectedGenesis: string | null,
): ElectrumServerFeatures | null | undefined {
  if (reply === null) return null;
  const parsed = FeaturesReply.safeParse(reply);
  if (!parsed.success) return undefined;
  const f = parsed.data;
  if (f.hash_function !== undefined && f.hash_function.toLowerCase() !== 'sha256') {
    throw new FlashError('ELECTRUM_PROTOCOL', `${server} hashes scripts with ${f.hash_function}`);
  }
  if (expectedGenesis && f.genesis_hash && f.genesis_hash.toLowerCase() !== expectedGenesis.toLowerCase()) {
    throw new FlashError(
      'ELECTRUM_WRONG_NETWORK',
      `${server} serves the chain with genesis ${f.genesis_hash}, not this wallet's network`,
    );
  }
  return {
    software: f.server_version ?? null,
    protocolMin: f.protocol_min ?? null,
    protocolMax: f.protocol_max ?? null,
    pruning: f.pruning ?? null,
    broadcastPackage: f.broadcast_package ?? null,
  };
}
