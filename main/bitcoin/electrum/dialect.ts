import { FlashError } from '../../../shared/errors';
import type { JsonValue } from './types';
import { compareProtocolVersions } from './version';

/**
 * What a negotiated Electrum protocol version changes on the wire, in one place. Every reply whose
 * shape depends on the version is parsed here, by the version the server agreed to: a server that
 * answers in another version's shape broke the protocol (a fault to retry and fail over from), it
 * did not lie (nothing it said was proven false).
 *
 * Versions (spesmilo/electrum-protocol, docs/protocol-changes.rst):
 * - 1.4 (and 1.4.x): `blockchain.block.headers` -> `{count, hex, max}`; `blockchain.relayfee`;
 *   mempool order in a status hash undefined.
 * - 1.5: skipped by the spec ("no corresponding protocol is defined"). ElectrumX serves 1.4's
 *   handlers under it, so a server that picks 1.5 is spoken to as 1.4.
 * - 1.6: `server.version` must come first and tolerates extra arguments; `blockchain.block.headers`
 *   -> `{count, headers: [hex...], max}`; `blockchain.estimatefee(number, mode)`; canonical mempool
 *   order; `blockchain.transaction.broadcast_package` and `mempool.get_info` added;
 *   `blockchain.relayfee` removed.
 */
export interface ProtocolDialect {
  /** As the server said it, e.g. "1.4.2" or "1.6". */
  readonly version: string;
  /** `blockchain.block.headers` answers with a `headers` list instead of one `hex` string. */
  readonly headersAsList: boolean;
  /** `blockchain.estimatefee` takes a second `mode` argument. */
  readonly estimateFeeMode: boolean;
  /** Where the relay fee floor comes from. */
  readonly relayFee: 'blockchain.relayfee' | 'mempool.get_info';
  /** `blockchain.transaction.broadcast_package` exists (the server may still lack it: check features). */
  readonly broadcastPackage: boolean;
  /** Mempool entries of a status hash and of get_mempool are in the canonical (-height, txid) order. */
  readonly canonicalMempoolOrder: boolean;
}

export const PROTOCOL_1_6 = '1.6';

export function dialectFor(version: string): ProtocolDialect {
  const modern = compareProtocolVersions(version, PROTOCOL_1_6) >= 0;
  return {
    version,
    headersAsList: modern,
    estimateFeeMode: modern,
    relayFee: modern ? 'mempool.get_info' : 'blockchain.relayfee',
    broadcastPackage: modern,
    canonicalMempoolOrder: modern,
  };
}

/** The dialect of a live connection (1.4's when nothing was negotiated, e.g. a test double). */
export function dialectOf(client: { readonly protocolVersion: string | null }): ProtocolDialect {
  return dialectFor(client.protocolVersion ?? '1.4');
}

/** Drops a connection that broke the protocol, with the reason, so its owner fails over. */
export function dropForProtocolFault(client: { abort?(err: Error): void; close(): void }, err: Error): void {
  if (client.abort) client.abort(err);
  else client.close();
}

/** The server answered in a shape its negotiated version does not allow. */
export function malformedReply(method: string, version: string, why: string): FlashError {
  return new FlashError('ELECTRUM_PROTOCOL', `${method} reply does not fit protocol ${version}: ${why}`, {
    method,
    malformed: true,
  });
}

export function isMalformedReply(err: unknown): boolean {
  return err instanceof FlashError && err.code === 'ELECTRUM_PROTOCOL' && err.details?.malformed === true;
}

export interface HeadersReply {
  /** As many as the server says it returned; equals headers.length. */
  count: number;
  /** The server's cap per request. */
  max: number | null;
  /** One 160-character hex string per header, in order. */
  headers: string[];
}

const HEADER_HEX = 160;
const HEX = /^[0-9a-fA-F]*$/;

type JsonObject = { [k: string]: JsonValue };
const isObject = (v: JsonValue): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `blockchain.block.headers`, read by the negotiated version: 1.4's concatenated `hex`, or 1.6's
 * `headers` list. Splitting and counting are checked here; proof of work and links are the header
 * chain's job (those are the checks that can prove a lie).
 */
export function parseHeadersReply(value: JsonValue, dialect: ProtocolDialect): HeadersReply {
  const method = 'blockchain.block.headers';
  const bad = (why: string): FlashError => malformedReply(method, dialect.version, why);
  if (!isObject(value)) throw bad('not an object');
  const count = value.count;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw bad('no valid count');
  const max = value.max;
  if (
    max !== undefined &&
    max !== null &&
    (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0)
  ) {
    throw bad('max is not a count');
  }
  let headers: string[];
  if (dialect.headersAsList) {
    const list = value.headers;
    if (!Array.isArray(list)) throw bad('no "headers" list');
    headers = list.map((h, i) => {
      if (typeof h !== 'string' || h.length !== HEADER_HEX || !HEX.test(h))
        throw bad(`header ${i} is not 80 bytes of hex`);
      return h;
    });
  } else {
    const hex = value.hex;
    if (typeof hex !== 'string') throw bad('no "hex" string');
    if (hex.length % HEADER_HEX !== 0 || !HEX.test(hex)) throw bad('"hex" is not whole 80-byte headers');
    headers = [];
    for (let i = 0; i < hex.length; i += HEADER_HEX) headers.push(hex.slice(i, i + HEADER_HEX));
  }
  if (headers.length !== count) throw bad(`count ${count} but ${headers.length} headers`);
  return { count, max: typeof max === 'number' ? max : null, headers };
}

/** The fee floor from `blockchain.relayfee` (1.4) or `mempool.get_info` (1.6), in BTC/kvB; null if absent. */
export function parseRelayFee(value: JsonValue, dialect: ProtocolDialect): number | null {
  if (dialect.relayFee === 'blockchain.relayfee') return typeof value === 'number' ? value : null;
  if (!isObject(value)) return null;
  const floors = [value.minrelaytxfee, value.mempoolminfee].filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  );
  return floors.length > 0 ? Math.max(...floors) : null;
}

export interface PackageResult {
  success: boolean;
  /** Per rejected transaction, its txid and the node's reason. */
  errors: { txid: string; error: string }[];
}

/** `blockchain.transaction.broadcast_package` with verbose=false: `{success, errors?}`. */
export function parsePackageResult(value: JsonValue, dialect: ProtocolDialect): PackageResult {
  const method = 'blockchain.transaction.broadcast_package';
  if (!isObject(value) || typeof value.success !== 'boolean') {
    throw malformedReply(method, dialect.version, 'no boolean "success"');
  }
  const raw = value.errors;
  const errors: PackageResult['errors'] = [];
  if (Array.isArray(raw)) {
    for (const e of raw) {
      if (isObject(e) && typeof e.txid === 'string' && typeof e.error === 'string') {
        errors.push({ txid: e.txid.toLowerCase(), error: e.error });
      }
    }
  } else if (raw !== undefined && raw !== null) {
    throw malformedReply(method, dialect.version, '"errors" is not a list');
  }
  return { success: value.success, errors };
}
