import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { FlashError } from '../../../shared/errors';
import { serverKey } from './socket';
import type { ElectrumClient, JsonValue, TipCheck } from './types';

/** Tips further apart than this (in blocks) are a warning; closer is normal propagation delay. */
export const TIP_TOLERANCE = 2;

const HeaderNotification = z.object({ height: z.number().int().min(0), hex: z.string() });

export function parseTip(result: JsonValue): { height: number; hex: string } {
  const header = HeaderNotification.safeParse(result);
  if (!header.success) {
    throw new FlashError(
      'ELECTRUM_PROTOCOL',
      `blockchain.headers.subscribe returned ${JSON.stringify(result)}`,
    );
  }
  return header.data;
}

/** Block hash (display hex) of an 80-byte header given as hex; null if it is not one. */
function headerHash(hex: JsonValue): string | null {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{160}$/.test(hex)) return null;
  return bytesToHex(sha256(sha256(hexToBytes(hex))).reverse());
}

/**
 * Two servers' tips, compared at the lower of the two heights: more than TIP_TOLERANCE blocks
 * apart, or different headers at that height, is not ok.
 */
export async function compareTips(primary: ElectrumClient, second: ElectrumClient): Promise<TipCheck> {
  const [tipA, tipB] = await Promise.all([
    primary.request('blockchain.headers.subscribe', []).then(parseTip),
    second.request('blockchain.headers.subscribe', []).then(parseTip),
  ]);
  const at = Math.min(tipA.height, tipB.height);
  const [hexA, hexB] = await Promise.all([
    at === tipA.height ? tipA.hex : primary.request('blockchain.block.header', [at]),
    at === tipB.height ? tipB.hex : second.request('blockchain.block.header', [at]),
  ]);
  const hashA = headerHash(hexA);
  const hashB = headerHash(hexB);
  return {
    primary: { server: { ...primary.server }, height: tipA.height, hash: hashA },
    secondary: { server: { ...second.server }, height: tipB.height, hash: hashB },
    comparedAt: at,
    ok: Math.abs(tipA.height - tipB.height) <= TIP_TOLERANCE && hashA === hashB,
  };
}

export function describeMismatch(check: TipCheck): string {
  const a = serverKey(check.primary.server);
  const b = serverKey(check.secondary.server);
  return check.primary.hash !== check.secondary.hash
    ? `${a} and ${b} disagree about block ${check.comparedAt}`
    : `${a} is at block ${check.primary.height} but ${b} at ${check.secondary.height}`;
}
