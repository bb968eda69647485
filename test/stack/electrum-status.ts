import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export interface HistoryEntry {
  tx_hash: string;
  /** Block height; 0 for a mempool tx whose inputs are all confirmed, -1 otherwise. */
  height: number;
}

/** Electrum's key for an output script: sha256, byte-reversed, hex. */
export function scriptHashOf(outputScript: Uint8Array): string {
  return bytesToHex(sha256(outputScript).reverse());
}

/**
 * Orders mempool entries as protocol 1.4 requires: height 0 before -1, then by txid as displayed.
 * Confirmed entries must already be in blockchain order and are left as they are.
 */
export function sortMempoolEntries<T extends HistoryEntry>(entries: T[]): T[] {
  return [...entries].sort(
    (a, b) => b.height - a.height || (a.tx_hash < b.tx_hash ? -1 : a.tx_hash > b.tx_hash ? 1 : 0),
  );
}

/** sha256 of "tx_hash:height:" for each entry in order, hex; null when there is no history. */
export function statusHash(history: readonly HistoryEntry[]): string | null {
  if (history.length === 0) return null;
  const text = history.map((h) => `${h.tx_hash}:${h.height}:`).join('');
  return bytesToHex(sha256(utf8ToBytes(text)));
}
