import crypto from 'node:crypto';
import http from 'node:http';
import { FlashError } from '../../shared/errors';

/**
 * BTCPay's authorize flow (`/api-keys/authorize`): the user approves the key in their browser,
 * and BTCPay makes that browser POST `apiKey`, `userId` and `permissions[]` to our redirect URL.
 * The redirect is a one-time loopback URL: 127.0.0.1, a random port, a random path; it accepts
 * one POST and closes. Nothing else on the machine can guess it, and it lives 10 minutes.
 */

export interface AuthorizeResult {
  apiKey: string;
  permissions: string[];
}

export interface AuthorizeSession {
  /** The BTCPay page the user must open. */
  authorizeUrl: string;
  redirectUrl: string;
  result: Promise<AuthorizeResult>;
  cancel(): void;
}

export const AUTHORIZE_TTL_MS = 10 * 60_000;

export async function startAuthorize(opts: {
  serverUrl: string;
  permissions: string[];
  applicationName: string;
  ttlMs?: number;
}): Promise<AuthorizeSession> {
  const secretPath = `/btcpay-authorized/${crypto.randomBytes(16).toString('hex')}`;
  let settle: { resolve: (r: AuthorizeResult) => void; reject: (e: Error) => void } | null = null;
  const result = new Promise<AuthorizeResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A caller that never awaits (the user closed the page) must not leave an unhandled rejection.
  result.catch(() => undefined);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== secretPath || req.method !== 'POST') {
      res.writeHead(404, { Connection: 'close' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const form = parseBody(body, req.headers['content-type'] ?? '');
      const apiKey = form.apiKey;
      if (!apiKey || !/^[A-Za-z0-9]{16,200}$/.test(apiKey)) {
        res
          .writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
          .end('No API key received.');
        return;
      }
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' })
        .end(
          '<!doctype html><meta charset="utf-8"><title>Flash</title><p>Flash is connected to your store. You can close this tab.</p>',
        );
      settle?.resolve({ apiKey, permissions: form.permissions });
      close();
    });
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new FlashError('MERCHANT_AUTHORIZE_FAILED', 'No loopback port.');
  const redirectUrl = `http://127.0.0.1:${address.port}${secretPath}`;
  const timer = setTimeout(() => {
    settle?.reject(
      new FlashError('MERCHANT_AUTHORIZE_FAILED', 'The authorization was not completed in time.'),
    );
    close();
  }, opts.ttlMs ?? AUTHORIZE_TTL_MS);
  timer.unref();
  function close(): void {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  }

  const params = new URLSearchParams();
  for (const p of opts.permissions) params.append('permissions', p);
  params.set('applicationName', opts.applicationName);
  params.set('strict', 'true');
  params.set('selectiveStores', 'true');
  params.set('redirect', redirectUrl);
  return {
    authorizeUrl: `${opts.serverUrl}/api-keys/authorize?${params.toString()}`,
    redirectUrl,
    result,
    cancel() {
      settle?.reject(new FlashError('MERCHANT_AUTHORIZE_FAILED', 'The authorization was cancelled.'));
      close();
    },
  };
}

function parseBody(body: string, contentType: string): { apiKey: string | null; permissions: string[] } {
  if (contentType.includes('application/json')) {
    try {
      const json = JSON.parse(body) as { apiKey?: unknown; permissions?: unknown };
      return {
        apiKey: typeof json.apiKey === 'string' ? json.apiKey : null,
        permissions: Array.isArray(json.permissions)
          ? json.permissions.filter((p): p is string => typeof p === 'string')
          : [],
      };
    } catch {
      return { apiKey: null, permissions: [] };
    }
  }
  const form = new URLSearchParams(body);
  return {
    apiKey: form.get('apiKey'),
    permissions: [...form.getAll('permissions[]'), ...form.getAll('permissions')],
  };
}
