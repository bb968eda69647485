import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export interface HistoryItem {
  tx_hash: string;
  /** Block height; 0 for a mempool tx whose inputs are all confirmed, -1 otherwise. */
  height: number;
}

/**
 * The status a server reports for a script hash (protocol 1.4), recomputed locally so a sync can
 * tell whether its stored history still matches without downloading it again. `confirmed` must be
 * in blockchain order (height, then position in block); the mempool part is ordered here:
 * height 0 before -1, then by txid.
 */
export function electrumStatus(
  confirmed: readonly HistoryItem[],
  mempool: readonly HistoryItem[] = [],
): string | null {
  const ordered = [
    ...confirmed,
    ...[...mempool].sort(
      (a, b) => b.height - a.height || (a.tx_hash < b.tx_hash ? -1 : a.tx_hash > b.tx_hash ? 1 : 0),
    ),
  ];
  if (ordered.length === 0) return null;
  return bytesToHex(sha256(utf8ToBytes(ordered.map((h) => `${h.tx_hash}:${h.height}:`).join(''))));
}
