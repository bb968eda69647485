import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * One HTTP GET of a small JSON document from a stranger's server: one deadline for connect,
 * headers and body; at most `maxBytes` read (a larger declared or actual body is refused and the
 * rest never downloaded); no keep-alive socket left behind; redirects handed back, never followed,
 * so each caller applies its own rule to the next address.
 */
export interface CappedGetOptions {
  /** The proxy's agent, or false for a fresh direct socket. */
  agent: http.Agent | false;
  /** A checked DNS lookup (the dial policy's), for direct sockets. */
  lookup?: LookupFunction;
  timeoutMs: number;
  maxBytes: number;
}

export type CappedGetAnswer =
  { kind: 'redirect'; status: number; location: string } | { kind: 'body'; status: number; body: Buffer };

export type CappedGetFailure = 'timeout' | 'too-large' | 'broken' | 'unreachable';

export class CappedGetError extends Error {
  constructor(
    readonly reason: CappedGetFailure,
    message: string,
    /** The socket's own error for 'unreachable' (a dial policy refusal, for one). */
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'CappedGetError';
  }
}

export function cappedGet(url: URL, opts: CappedGetOptions): Promise<CappedGetAnswer> {
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: CappedGetError | null, answer?: CappedGetAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(answer as CappedGetAnswer);
    };
    const req = request(
      url,
      {
        method: 'GET',
        headers: { accept: 'application/json' },
        agent: opts.agent,
        ...(opts.lookup ? { lookup: opts.lookup } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (status >= 300 && status < 400 && location) {
          res.resume();
          return finish(null, { kind: 'redirect', status, location: new URL(location, url).toString() });
        }
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (declared > opts.maxBytes)
          return finish(new CappedGetError('too-large', `The answer is ${declared} bytes.`));
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) {
            finish(new CappedGetError('too-large', `The answer is over ${opts.maxBytes} bytes.`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', () => finish(new CappedGetError('broken', 'The answer broke off.')));
        res.on('end', () => finish(null, { kind: 'body', status, body: Buffer.concat(chunks) }));
      },
    );
    const timer = setTimeout(
      () => finish(new CappedGetError('timeout', `No answer within ${opts.timeoutMs} ms.`)),
      opts.timeoutMs,
    );
    req.on('error', (err) => finish(new CappedGetError('unreachable', 'Could not connect.', err)));
    req.end();
  });
}

/** The body as JSON, or undefined when it is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
