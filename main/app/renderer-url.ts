import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where electron-vite's dev server may run: this machine only. */
const DEV_SERVER_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The page the window shows. `ELECTRON_RENDERER_URL` (electron-vite's dev server) is honoured only
 * in an unpackaged app and only on loopback: in an installed app, anyone able to set an
 * environment variable could otherwise point the window, and its bridge to the wallet, at a
 * page of their own.
 */
export function rendererUrlFor(opts: {
  appDir: string;
  packaged: boolean;
  devUrl: string | undefined;
}): string {
  if (!opts.packaged && opts.devUrl && isLoopbackHttp(opts.devUrl)) return opts.devUrl;
  return pathToFileURL(path.join(opts.appDir, '../renderer/index.html')).toString();
}

function isLoopbackHttp(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && /^https?:$/.test(parsed.protocol) && DEV_SERVER_HOSTS.has(parsed.hostname);
}

/**
 * Whether `url` is the app's own page: same scheme, same host and port, same path. Query and
 * fragment may differ. Used for navigation and for trusting IPC senders: one check for one fact.
 */
export function isAppPage(url: string, rendererUrl: string): boolean {
  const target = parseUrl(url);
  const app = parseUrl(rendererUrl);
  if (!target || !app) return false;
  return target.protocol === app.protocol && target.host === app.host && target.pathname === app.pathname;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
