import type http from 'node:http';

/** Small HTTP helpers shared by the stand-in's API and public pages. */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Greenfield's error shape: `{code, message}`. */
export function apiError(status: number, code: string, message: string): HttpError {
  return new HttpError(status, { code, message });
}

/** Greenfield's validation error: `[{path, message}]`. */
export function validationError(path: string, message: string, status = 422): HttpError {
  return new HttpError(status, [{ path, message }]);
}

export function missingPermission(policy: string): HttpError {
  return new HttpError(403, {
    code: 'missing-permission',
    message: `Insufficient API Permissions. Please use an API key with permission "${policy}". You can create an API key in your account's settings / Api Keys.`,
    missingPermission: policy,
  });
}

export const MAX_BODY_BYTES = 1024 * 1024;

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(apiError(413, 'too-large', 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export function sendJson(res: http.ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent) return;
  const body = payload === undefined ? '' : JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
