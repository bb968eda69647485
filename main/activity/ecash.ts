import type { EcashOperationView, FeedItem } from '../../shared/contract';
import type { FeedSource } from './feed';

/**
 * eCash operations as feed items. Only top-level operations are listed (a move's melt and mint
 * legs, a claim's or reclaim's swap are parts of the row above them, not events of their own).
 */

const DIRECTION: Record<EcashOperationView['kind'], FeedItem['direction']> = {
  mint: 'in',
  receive: 'in',
  melt: 'out',
  send: 'out',
  move: 'self',
  swap: 'self',
};

/** States in which an operation's money arrived where it was going. */
const COMPLETE = new Set(['done', 'paid', 'claimed']);

export function ecashStatus(op: Pick<EcashOperationView, 'state' | 'final'>): FeedItem['status'] {
  if (!op.final) return 'pending';
  return COMPLETE.has(op.state) ? 'complete' : 'failed';
}

export function ecashItem(op: EcashOperationView): FeedItem {
  const sats = op.unit === 'sat';
  const status = ecashStatus(op);
  return {
    id: `ecash:${op.id}`,
    rail: 'ecash',
    direction: DIRECTION[op.kind],
    // A currency unit is not bitcoin: no msat figure is invented for it (see FeedItem.amountMsat).
    amountMsat: sats ? (BigInt(op.amount) * 1000n).toString() : '0',
    // eCash fees are paid both ways (a claim is a swap with the mint's input fee).
    feeMsat: sats ? (BigInt(op.fee) * 1000n).toString() : null,
    status,
    detail: status === 'failed' && op.error ? `${op.state}: ${op.error.slice(0, 200)}` : op.state,
    // A move names where it went; a rotation swap says why it happened.
    counterparty: op.kind === 'move' || op.kind === 'swap' ? op.counterparty : null,
    description: op.memo,
    timestamp: Math.floor(op.createdAt / 1000),
    ref: op.id,
    mint: op.mintUrl,
    unit: op.unit,
    unitAmount: op.amount,
    unitFee: op.fee,
  };
}

export function ecashSource(deps: {
  /** Top-level operations, newest first, and how many there are. */
  operations(limit: number, offset: number): { items: EcashOperationView[]; total: number };
}): FeedSource {
  return {
    rail: 'ecash',
    list: (limit, offset) => deps.operations(limit, offset).items.map(ecashItem),
    count: () => deps.operations(1, 0).total,
  };
}
