import { isFlashError } from '../../../shared/errors';

/**
 * What an error reply from a server means for the caller. Only a `refused` answer says something
 * about the request itself ("no such transaction", "not in that block"); the others say something
 * about the server's state or abilities and must never be taken as evidence that it lied.
 *
 * - unsupported: the method does not exist on this server or version (JSON-RPC -32601, and the
 *   texts ElectrumX and Fulcrum use): fall back to another method.
 * - rate-limited: slow down and ask again (aiorpcx's -101 "excessive resource usage", Fulcrum's
 *   flood and limit codes 3 and 4, or the words).
 * - busy: the server or its node cannot answer now (-102, -32603, ElectrumX's DAEMON_ERROR 2 for
 *   anything but a missing transaction, "still catching up"): ask again later or elsewhere.
 * - refused: the server answered the question, and the answer is no.
 */
export type RpcErrorKind = 'unsupported' | 'rate-limited' | 'busy' | 'refused';

const UNSUPPORTED =
  /unknown method|method not found|not supported|unsupported method|only available|disabled/i;
const RATE_LIMITED =
  /rate.?limit|too many requests|excessive (resource|flood)|slow down|throttl|limit (reached|exceeded)/i;
const BUSY = /busy|catching up|try again|timed? ?out|temporarily|daemon error|connection refused|work queue/i;
const NOT_FOUND = /no such (mempool or blockchain )?transaction|not found|not in block|invalid tx hash/i;

export function classifyRpcError(code: number | null, message: string): RpcErrorKind {
  if (code === -32601 || UNSUPPORTED.test(message)) return 'unsupported';
  if (code === -101 || code === 3 || code === 4 || RATE_LIMITED.test(message)) return 'rate-limited';
  if (NOT_FOUND.test(message)) return 'refused';
  if (code === -102 || code === -32603 || code === 2 || BUSY.test(message)) return 'busy';
  return 'refused';
}

/** The kind of an error reply carried by a client error, or null when the error was not a reply. */
export function rpcErrorKind(err: unknown): RpcErrorKind | null {
  if (!isFlashError(err) || err.code !== 'ELECTRUM_PROTOCOL') return null;
  const kind = err.details?.rpcKind;
  return kind === 'unsupported' || kind === 'rate-limited' || kind === 'busy' || kind === 'refused'
    ? kind
    : null;
}

/** The server answered "no" to this very request: the only error reply that can count against it. */
export function isRefusal(err: unknown): boolean {
  return rpcErrorKind(err) === 'refused';
}
