import type { ActivityItem } from '../../../shared/contract';

export type Direction = ActivityItem['direction'];

export interface TxEffect {
  /** Sum of this tx's outputs paying our addresses. */
  received: number;
  /** Sum of our earlier outputs this tx spends. */
  sent: number;
  /** How many of its outputs are ours, and how many it has. */
  ownedOutputs: number;
  outputCount: number;
}

export function netAmount(e: TxEffect): number {
  return e.received - e.sent;
}

/**
 * 'self' is a payment from the wallet to itself (consolidation, or a send to our own address): we
 * funded it and every output came back, so it costs only the fee and is neither in nor out.
 */
export function direction(e: TxEffect): Direction {
  if (e.sent > 0 && e.outputCount > 0 && e.ownedOutputs === e.outputCount) return 'self';
  return netAmount(e) >= 0 ? 'in' : 'out';
}
