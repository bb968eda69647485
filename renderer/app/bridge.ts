import type { FlashClient } from '../../shared/bridge';
import { createFlashClient } from '../../shared/bridge';
import type { SocketTransport } from './socket-transport';
import { createSocketTransport } from './socket-transport';

/**
 * How the renderer reaches the main side:
 * - 'electron': the preload defined `window.flash` (IPC).
 * - 'browser': we build the same client over the loopback WebSocket, using the token from the URL.
 * - 'no-token': browser mode opened without the token; we cannot talk to Flash at all.
 */
export type BridgeSetup =
  | { kind: 'electron'; client: FlashClient }
  | { kind: 'browser'; client: FlashClient; connection: SocketTransport }
  | { kind: 'no-token' };

/**
 * Reads `#token=...` from the address once, then removes it from the URL (so it is not shown,
 * bookmarked or kept in history). It is kept in this tab's sessionStorage so a reload still
 * works; the token is only valid until browser mode restarts, and dies with the tab.
 */
const TOKEN_KEY = 'flash.bridgeToken';
let rememberedToken: string | null = null;

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function takeTokenFromLocation(
  loc: Location = window.location,
  hist: History = window.history,
): string | null {
  if (rememberedToken) return rememberedToken;
  const hash = loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.hash;
  const token = new URLSearchParams(hash).get('token');
  if (token) {
    rememberedToken = token;
    sessionStore()?.setItem(TOKEN_KEY, token);
    hist.replaceState(hist.state, '', loc.pathname + loc.search);
  } else {
    rememberedToken = sessionStore()?.getItem(TOKEN_KEY) ?? null;
  }
  return rememberedToken;
}

export function bridgeUrl(loc: Location, token: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/bridge?token=${encodeURIComponent(token)}`;
}

let setup: BridgeSetup | null = null;

/** Decides the bridge once per page load (safe to call again, e.g. under StrictMode). */
export function setupBridge(): BridgeSetup {
  if (setup) return setup;
  if (window.flash) {
    setup = { kind: 'electron', client: window.flash };
    return setup;
  }
  const token = takeTokenFromLocation();
  if (!token) {
    setup = { kind: 'no-token' };
    return setup;
  }
  const connection = createSocketTransport({
    url: bridgeUrl(window.location, token),
    probeServer: () =>
      fetch('/', { method: 'HEAD', cache: 'no-store' }).then(
        (res) => res.ok,
        () => false,
      ),
  });
  setup = { kind: 'browser', client: createFlashClient(connection), connection };
  return setup;
}
