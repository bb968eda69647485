/**
 * Checks every browser-mode request before anything acts on it. Any web page the user visits can
 * make the browser send requests to 127.0.0.1, so each check answers a bad request with a status
 * code instead of throwing: one `<img src="http://127.0.0.1:PORT/%">` must never end the app.
 */

/** Where a request points once its target is known to be one this server answers. */
export interface RequestTarget {
  /** Percent-decoded path: starts with one '/', no empty segments, no control characters. */
  path: string;
  query: URLSearchParams;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; status: 400 | 421; reason: string };

const bad = (reason: string): { ok: false; status: 400; reason: string } => ({
  ok: false,
  status: 400,
  reason,
});

/**
 * Only the names this server was reached by. Anything else is DNS rebinding (a foreign name that
 * resolves to 127.0.0.1) or a misrouted request, and gets nothing.
 */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** HTTP/1.1 requires Host (RFC 9112 §3.2); HTTP/1.0 clients may omit it, and get a 400 here too. */
export function checkHost(host: string | undefined, port: number): Checked<true> {
  if (host === undefined || host === '') return bad('missing Host header');
  if (!allowedHosts(port).has(host.toLowerCase())) {
    return { ok: false, status: 421, reason: 'Host is not this server' };
  }
  return { ok: true, value: true };
}

/**
 * Parses a request-target (RFC 9112 §3.2): origin-form `/path?query`, or absolute-form
 * `http://host/path`, whose authority must then name this server too. Browsers send origin-form;
 * `*` and authority-form (CONNECT) never make sense here.
 */
export function parseRequestTarget(raw: string | undefined, port: number): Checked<RequestTarget> {
  if (raw === undefined || raw === '') return bad('empty request target');
  let pathAndQuery: string;
  if (raw.startsWith('/')) {
    pathAndQuery = raw;
  } else if (/^https?:\/\//i.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return bad('malformed absolute URI');
    }
    if (!allowedHosts(port).has(url.host.toLowerCase())) {
      return { ok: false, status: 421, reason: 'absolute URI names another host' };
    }
    pathAndQuery = `${url.pathname}${url.search}`;
  } else {
    return bad('request target is neither a path nor an http URI');
  }
  if (pathAndQuery.includes('#')) return bad('fragment in request target');
  const q = pathAndQuery.indexOf('?');
  const rawPath = q === -1 ? pathAndQuery : pathAndQuery.slice(0, q);
  // `//host/x` is what `new URL(path, base)` reads as another host; no page of ours has empty segments.
  if (rawPath.includes('//')) return bad('empty path segment');
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return bad('bad percent-encoding');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return bad('control character in path');
  if (path.includes('//')) return bad('empty path segment');
  return { ok: true, value: { path, query: new URLSearchParams(q === -1 ? '' : pathAndQuery.slice(q + 1)) } };
}
