import { z } from 'zod';
import { FlashError } from '../../../shared/errors';
import type { JsonValue } from '../electrum/types';

/** Every reply from a server is untrusted input: shape-checked here before the wallet uses it. */

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/i);

export const METHOD = {
  subscribeScriptHash: 'blockchain.scripthash.subscribe',
  getHistory: 'blockchain.scripthash.get_history',
  getTransaction: 'blockchain.transaction.get',
  subscribeHeaders: 'blockchain.headers.subscribe',
} as const;

const Status = Hex64.nullable();

const HistoryEntry = z.object({
  tx_hash: Hex64,
  /** > 0 in a block; 0 in the mempool; -1 in the mempool with an unconfirmed parent. */
  height: z.number().int().min(-1),
});
const History = z.array(HistoryEntry);
export interface HistoryItem {
  txid: string;
  height: number;
}

const RawTx = z.string().regex(/^([0-9a-f]{2})+$/i);

const Header = z.object({ height: z.number().int().min(0), hex: z.string() });

const ScriptHashNotification = z.tuple([Hex64, Status]);
const HeaderNotification = z.tuple([Header]).rest(z.unknown());

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    // Marked malformed: the sync asks again once, then fails over; a bad shape is never called a lie.
    throw new FlashError('ELECTRUM_PROTOCOL', `The server sent a malformed ${what}.`, { malformed: true });
  }
  return result.data;
}

export function parseStatus(value: JsonValue): string | null {
  const s = parse(Status, value, 'address status');
  return s === null ? null : s.toLowerCase();
}

export function parseHistory(value: JsonValue): HistoryItem[] {
  return parse(History, value, 'address history').map((e) => ({
    txid: e.tx_hash.toLowerCase(),
    height: e.height,
  }));
}

export function parseRawTx(value: JsonValue): string {
  return parse(RawTx, value, 'transaction').toLowerCase();
}

export function parseHeaderHeight(value: JsonValue): number {
  return parse(Header, value, 'block header').height;
}

export function parseScriptHashNotification(params: JsonValue[]): {
  scriptHash: string;
  status: string | null;
} {
  const [scriptHash, status] = parse(ScriptHashNotification, params, 'address notification');
  return { scriptHash: scriptHash.toLowerCase(), status: status === null ? null : status.toLowerCase() };
}

export function parseHeaderNotification(params: JsonValue[]): number {
  return parse(HeaderNotification, params, 'header notification')[0].height;
}
