import type { JsonValue } from './types';

/** One message from the server, after checking its shape. */
export type IncomingMessage =
  | { kind: 'result'; id: number | string; result: JsonValue }
  | { kind: 'error'; id: number | string | null; code: number | null; message: string }
  | { kind: 'notification'; method: string; params: JsonValue[] };

/** The server sent something that is not JSON-RPC; the connection can no longer be trusted. */
export class ProtocolViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

type JsonObject = { [k: string]: JsonValue };

function isObject(v: JsonValue): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one received line: a single message or a batch reply (an array of messages). */
export function parseLine(line: string): IncomingMessage[] {
  let value: JsonValue;
  try {
    value = JSON.parse(line) as JsonValue;
  } catch {
    throw new ProtocolViolation(`not JSON: ${preview(line)}`);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new ProtocolViolation('empty batch reply');
    return value.map(parseMessage);
  }
  return [parseMessage(value)];
}

function parseMessage(value: JsonValue): IncomingMessage {
  if (!isObject(value)) throw new ProtocolViolation(`not a JSON-RPC message: ${preview(stringify(value))}`);
  const id = value.id;
  const hasId = typeof id === 'number' || typeof id === 'string';

  if (typeof value.method === 'string' && !hasId) {
    const params = value.params ?? [];
    if (!Array.isArray(params))
      throw new ProtocolViolation(`notification ${value.method} without a params list`);
    return { kind: 'notification', method: value.method, params };
  }

  const error = value.error;
  if (error !== undefined && error !== null) {
    if (!hasId && id !== null && id !== undefined) throw new ProtocolViolation('error reply with a bad id');
    return { kind: 'error', id: hasId ? id : null, ...describeError(error) };
  }
  if (hasId && 'result' in value) return { kind: 'result', id, result: value.result ?? null };
  throw new ProtocolViolation(`not a JSON-RPC message: ${preview(stringify(value))}`);
}

function describeError(error: JsonValue): { code: number | null; message: string } {
  // JSON-RPC 2.0 says {code, message}; some servers still answer with a bare string (1.0 style).
  if (typeof error === 'string') return { code: null, message: error };
  if (isObject(error)) {
    const code = typeof error.code === 'number' ? error.code : null;
    const message = typeof error.message === 'string' ? error.message : stringify(error);
    return { code, message };
  }
  return { code: null, message: stringify(error) };
}

/**
 * JSON.parse accepts nesting thousands of levels deep, but JSON.stringify recurses and throws a
 * RangeError on it: a hostile server could turn its own garbage into an untyped crash here.
 */
function stringify(value: JsonValue): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '(a value nested too deeply to print)';
  }
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
