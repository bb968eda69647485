import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { RequestTarget } from './request-guard';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Same policy as the Electron window: only our own scripts, no inline code, no foreign hosts. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves the built renderer; unknown paths get index.html so reloads on any screen work. */
export function serveStatic(
  root: string,
  target: RequestTarget,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', Connection: 'close' }).end();
    return;
  }
  const resolvedRoot = path.resolve(root);
  const requested = path.resolve(resolvedRoot, '.' + target.path);
  if (!requested.startsWith(resolvedRoot + path.sep) && requested !== resolvedRoot) {
    res.writeHead(403, { Connection: 'close' }).end();
    return;
  }
  const file = isFile(requested) ? requested : path.join(resolvedRoot, 'index.html');
  if (!isFile(file)) {
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Renderer not built: run `npm run build`.');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A file that vanishes or can't be read after the check must end this response, not the process.
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
