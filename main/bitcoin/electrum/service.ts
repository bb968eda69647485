import { z } from 'zod';
import type { ElectrumServer, ElectrumServerFeatures, ElectrumStatus } from '../../../shared/contract';
import { FlashError, isFlashError } from '../../../shared/errors';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import type { Db } from '../../store/database';
import type { BackoffPolicy } from './backoff';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';
import type { ConnectOptions } from './client';
import { connectElectrum, DEFAULT_TIMEOUT_MS } from './client';
import { createPinStore } from './pin-store';
import type { RateLimit } from './rate-limit';
import type { BatchPolicy, ServerProfile } from './server-profile';
import { createServerProfile } from './server-profile';
import type { Socks5Proxy } from './socket';
import { readServerFeatures } from './server-features';
import { serverKey } from './socket';
import { compareTips, describeMismatch, parseTip } from './tip-compare';
import type { ClientStats, ElectrumClient, ElectrumService, JsonValue, TipCheck } from './types';

export type ConnectFn = (server: ElectrumServer, opts: ConnectOptions) => Promise<ElectrumClient>;

export interface ElectrumServiceDeps {
  db: Db;
  bus: EventBus;
  log: Logger;
  /** The primary server. */
  initialServer: ElectrumServer;
  /** Tried in order when the primary fails; one of them also cross-checks the primary's tip. */
  fallbackServers?: ElectrumServer[];
  now?: () => number;
  backoff?: BackoffPolicy;
  /** Jitter source, in [0, 1). */
  random?: () => number;
  /** Bounds connecting, the handshake and every request. */
  timeoutMs?: number;
  keepAliveMs?: number;
  /** Sent to the server as "flash-desktop <appVersion>". */
  appVersion?: string;
  connect?: ConnectFn;
  /** Per-connection request cap; null turns it off; default by host (defaultRateLimitFor). */
  rateLimit?: RateLimit | null;
  batchPolicy?: Partial<BatchPolicy>;
  /** SOCKS5 proxy (Tor) for every connection. */
  proxy?: Socks5Proxy | null;
  /** Compare the tip with a second server after connecting (default: on when there is one). */
  crossCheck?: boolean;
  /**
   * The genesis block hash (display hex) of the network this wallet is on. A server whose
   * `server.features` names another genesis serves another network: refused, not trusted.
   */
  expectedGenesis?: () => string | null;
  /** CA certificates (PEM) TLS servers are checked against; default Node's bundled roots (tests pass their own). */
  trustedCa?: readonly string[];
}

type StatusError = NonNullable<ElectrumStatus['lastError']>;
type Warning = NonNullable<ElectrumStatus['warning']>;

const HeaderNotification = z.object({ height: z.number().int().min(0), hex: z.string() });

interface PoolEntry {
  server: ElectrumServer;
  /** Failures in a row; drives this server's backoff. */
  failures: number;
  retryAt: number;
}

const sameServer = (a: ElectrumServer, b: ElectrumServer): boolean =>
  serverKey(a) === serverKey(b) && a.transport === b.transport;

export function createElectrumService(deps: ElectrumServiceDeps): ElectrumService {
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const policy = deps.backoff ?? DEFAULT_BACKOFF;
  const connect = deps.connect ?? connectElectrum;
  const pins = createPinStore(deps.db);
  const connectedListeners = new Set<(client: ElectrumClient) => void>();
  const profiles = new Map<string, ServerProfile>();
  /** Servers dropped by markServerBad, with the reason; cleared by reconnect(). */
  const bad = new Map<string, string>();
  let proxy: Socks5Proxy | null = deps.proxy ?? null;
  const crossCheckOn = deps.crossCheck ?? true;

  let pool: PoolEntry[] = [];
  const setPool = (primary: ElectrumServer, fallbacks: readonly ElectrumServer[]): void => {
    const list = [primary, ...fallbacks.filter((f) => !sameServer(f, primary))];
    pool = list.map((s) => {
      const old = pool.find((e) => sameServer(e.server, s));
      return old ? { ...old, server: { ...s } } : { server: { ...s }, failures: 0, retryAt: 0 };
    });
  };
  let fallbacks: ElectrumServer[] = (deps.fallbackServers ?? []).map((s) => ({ ...s }));
  setPool(deps.initialServer, fallbacks);

  /** The server in use or being tried (status.server). */
  let server: ElectrumServer = { ...deps.initialServer };
  let started = false;
  // Bumped whenever the current connection or attempt is abandoned; late results from an older
  // generation are discarded instead of overwriting newer state.
  let generation = 0;
  let current: ElectrumClient | null = null;
  let attemptAbort: AbortController | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  /** The certificate a server offered when it no longer matched its pin; trusted only on request. */
  let offeredFingerprint: string | null = null;
  /** Counters of connections already closed, plus the live ones. */
  const retired: ClientStats = { roundTrips: 0, requests: 0, bytesSent: 0, bytesReceived: 0 };
  const live = new Set<ElectrumClient>();

  /** The status of a server not yet tried. */
  const freshStatus = (s: ElectrumServer): ElectrumStatus => ({
    state: 'idle',
    server: { ...s },
    tipHeight: null,
    serverVersion: null,
    lastError: null,
    nextRetryAt: null,
    attempt: 0,
    certificateFingerprint: pinFor(s),
  });
  let state: ElectrumStatus = freshStatus(server);

  function pinFor(s: ElectrumServer): string | null {
    return s.transport === 'tls' ? pins.get(serverKey(s)) : null;
  }

  function profileFor(s: ElectrumServer): ServerProfile {
    const key = serverKey(s);
    let p = profiles.get(key);
    if (!p) {
      p = createServerProfile(deps.batchPolicy);
      profiles.set(key, p);
    }
    return p;
  }

  function entryFor(s: ElectrumServer): PoolEntry | undefined {
    return pool.find((e) => sameServer(e.server, s));
  }

  function usable(e: PoolEntry): boolean {
    return !bad.has(serverKey(e.server));
  }

  function snapshot(): ElectrumStatus {
    return {
      ...state,
      server: { ...state.server },
      lastError: state.lastError ? { ...state.lastError } : null,
      ...(state.warning !== undefined ? { warning: state.warning ? { ...state.warning } : null } : {}),
    };
  }

  function update(patch: Partial<ElectrumStatus>): void {
    const next: ElectrumStatus = { ...state, ...patch };
    if (JSON.stringify(next) === JSON.stringify(state)) return;
    state = next;
    deps.bus.emit('electrum.status', snapshot());
  }

  function warn(warning: Warning | null): void {
    if (warning === null && !state.warning) return;
    update({ warning });
  }

  function clearRetry(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  }

  function dropConnection(): void {
    generation++;
    attemptAbort?.abort();
    attemptAbort = null;
    const client = current;
    current = null;
    client?.close();
  }

  function track(client: ElectrumClient): void {
    if (!client.stats || live.has(client)) return;
    live.add(client);
    client.onClose(() => {
      if (!live.delete(client)) return;
      const s = client.stats?.();
      if (!s) return;
      retired.roundTrips += s.roundTrips;
      retired.requests += s.requests;
      retired.bytesSent += s.bytesSent;
      retired.bytesReceived += s.bytesReceived;
    });
  }

  function connectOptions(
    target: ElectrumServer,
    pinned: string | null,
    signal: AbortSignal,
  ): ConnectOptions {
    return {
      pinnedFingerprint: pinned,
      trust: target.transport === 'tls' ? pins.trust(serverKey(target)) : null,
      ...(deps.trustedCa ? { trustedCa: deps.trustedCa } : {}),
      timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(deps.keepAliveMs !== undefined ? { keepAliveMs: deps.keepAliveMs } : {}),
      clientName: `flash-desktop ${deps.appVersion ?? 'dev'}`,
      signal,
      log,
      profile: profileFor(target),
      ...(deps.rateLimit !== undefined ? { rateLimit: deps.rateLimit } : {}),
      ...(proxy ? { proxy } : {}),
    };
  }

  /** The first usable server in pool order whose backoff has run out. */
  function readyServer(exclude?: ElectrumServer): ElectrumServer | null {
    const t = now();
    const e = pool.find((p) => usable(p) && p.retryAt <= t && !(exclude && sameServer(p.server, exclude)));
    return e ? e.server : null;
  }

  function connectNow(target: ElectrumServer = readyServer() ?? server): void {
    clearRetry();
    dropConnection();
    const gen = generation;
    server = { ...target };
    const attemptTarget = { ...target };
    const controller = new AbortController();
    attemptAbort = controller;
    const pinned = pinFor(attemptTarget);
    update({
      state: 'connecting',
      server: { ...attemptTarget },
      nextRetryAt: null,
      certificateFingerprint: pinned,
    });
    establish(attemptTarget, pinned, controller.signal, gen).then(
      ({ client, tipHeight, features }) => {
        if (gen !== generation) {
          client.close();
          return;
        }
        attemptAbort = null;
        onEstablished(attemptTarget, client, tipHeight, pinned, features);
      },
      (err: unknown) => {
        if (gen !== generation) return;
        attemptAbort = null;
        onFailure(attemptTarget, err);
      },
    );
  }

  async function establish(
    target: ElectrumServer,
    pinned: string | null,
    signal: AbortSignal,
    gen: number,
  ): Promise<{ client: ElectrumClient; tipHeight: number; features: ElectrumServerFeatures | null }> {
    const client = await connect(target, connectOptions(target, pinned, signal));
    track(client);
    try {
      // Listen before subscribing so a block found during the round trip is not missed.
      client.onNotification((method, params) => {
        if (gen !== generation || method !== 'blockchain.headers.subscribe') return;
        const header = HeaderNotification.safeParse(params[0]);
        if (header.success) update({ tipHeight: header.data.height });
        else log.warn('malformed header notification ignored', { server: serverKey(target) });
      });
      const [tipReply, featuresReply] = await tipAndFeatures(client, target);
      const tip = parseTip(tipReply);
      const features = readFeatures(target, featuresReply);
      return { client, tipHeight: tip.height, features };
    } catch (err) {
      client.close();
      throw err;
    }
  }

  /**
   * The tip and server.features in one batch. WHY one line: its replies leave in one write; as
   * two requests, a server with Nagle's algorithm on holds the second reply until our ACK, which
   * Linux delays by up to 40 ms (measured on the stack's server: 81 ms for the pair against 39 ms
   * batched). Every protocol version has server.features, but it only informs: if the batch fails
   * on it, the tip is asked for alone and the server still serves the wallet.
   */
  async function tipAndFeatures(
    client: ElectrumClient,
    target: ElectrumServer,
  ): Promise<[JsonValue, JsonValue | null]> {
    try {
      const [tip = null, features = null] = await client.batch([
        { method: 'blockchain.headers.subscribe', params: [] },
        { method: 'server.features', params: [] },
      ]);
      return [tip, features];
    } catch (err) {
      log.info('tip and server.features batch failed; asking for the tip alone', {
        server: serverKey(target),
        error: describe(err),
      });
      return [await client.request('blockchain.headers.subscribe', []), null];
    }
  }

  function onEstablished(
    target: ElectrumServer,
    client: ElectrumClient,
    tipHeight: number,
    pinned: string | null,
    features: ElectrumServerFeatures | null,
  ): void {
    const fingerprint = client.certificateFingerprint;
    if (target.transport === 'tls' && !pinned) {
      // A CA-valid certificate is remembered as such (no pin: renewals must not alarm anyone);
      // anything else is pinned now, as Electrum does.
      pins.rememberFirstUse(serverKey(target), client.certificateTrust ?? null, fingerprint, now());
      if (client.certificateTrust === 'first-use') {
        log.info('pinned TLS certificate on first use', { server: serverKey(target), fingerprint });
      }
    }
    const entry = entryFor(target);
    if (entry) {
      entry.failures = 0;
      entry.retryAt = 0;
    }
    current = client;
    offeredFingerprint = null;
    client.onClose((err) => {
      if (current !== client) return;
      current = null;
      onFailure(target, err ?? new FlashError('ELECTRUM_UNREACHABLE', 'The connection was closed'));
    });
    update({
      state: 'connected',
      tipHeight,
      serverVersion: client.serverSoftware,
      protocolVersion: client.protocolVersion,
      features,
      lastError: null,
      nextRetryAt: null,
      attempt: 0,
      certificateFingerprint: target.transport === 'tls' ? fingerprint : null,
      ...(state.warning?.code === 'CERT_CHANGED' ? { warning: null } : {}),
    });
    log.info('connected', {
      server: serverKey(target),
      transport: target.transport,
      protocol: client.protocolVersion,
      tipHeight,
    });
    for (const listener of [...connectedListeners]) {
      try {
        listener(client);
      } catch (err) {
        log.warn('onConnected listener failed', { error: String(err) });
      }
    }
    if (crossCheckOn && pool.some((e) => usable(e) && !sameServer(e.server, target))) {
      crossCheckTip().catch((err: unknown) =>
        log.warn('tip cross-check failed', { error: err instanceof Error ? err.message : String(err) }),
      );
    }
  }

  function onFailure(target: ElectrumServer, err: unknown): void {
    const lastError = toStatusError(err);
    const attempt = state.attempt + 1;
    const entry = entryFor(target);
    const failures = (entry?.failures ?? state.attempt) + 1;
    if (lastError.code === 'ELECTRUM_CERT_CHANGED') {
      // Retrying cannot help: either the operator rotated the certificate or someone is in the
      // middle. Wait for the user to decide (trustNewCertificate) or to ask again (reconnect).
      const offered = isFlashError(err) ? err.details?.offered : undefined;
      offeredFingerprint = typeof offered === 'string' ? offered : null;
      if (entry) entry.failures = failures;
      update({
        state: 'idle',
        lastError,
        attempt,
        nextRetryAt: null,
        serverVersion: null,
        warning: {
          code: 'CERT_CHANGED',
          message: `The TLS certificate of ${serverKey(target)} changed. Trust it only if the server's operator says so.`,
        },
      });
      log.warn('certificate changed, not retrying', {
        server: serverKey(target),
        offered: offeredFingerprint,
      });
      return;
    }
    const delay = backoffDelay(failures, policy, deps.random);
    if (entry) {
      entry.failures = failures;
      entry.retryAt = now() + delay;
    }
    clearRetry();
    // Fail over at once to another server that is not itself backing off.
    const next = pool.length > 1 ? readyServer(target) : null;
    if (next) {
      log.warn('server failed; failing over', {
        from: serverKey(target),
        to: serverKey(next),
        code: lastError.code,
        reason: lastError.message,
      });
      state = { ...state, lastError, attempt };
      connectNow(next);
      return;
    }
    const candidates = pool.filter(usable);
    const retryAt = candidates.length > 0 ? Math.min(...candidates.map((e) => e.retryAt)) : now() + delay;
    const wait = Math.max(0, retryAt - now());
    update({
      state: 'backoff',
      lastError,
      attempt,
      nextRetryAt: now() + wait,
      serverVersion: null,
      protocolVersion: null,
      features: null,
    });
    log.warn('connection failed, retrying', {
      server: serverKey(target),
      code: lastError.code,
      reason: lastError.message,
      attempt,
      delayMs: wait,
    });
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (started) connectNow();
    }, wait);
  }

  /**
   * Asks a second server for its tip and compares: heights more than TIP_TOLERANCE apart, or a
   * different header at the lower of the two heights, is flagged on the status.
   */
  async function crossCheckTip(): Promise<TipCheck | null> {
    const primary = current;
    if (!primary || !primary.isOpen) return null;
    const primaryServer = primary.server;
    const others = pool.filter((e) => usable(e) && !sameServer(e.server, primaryServer));
    for (const other of others) {
      const controller = new AbortController();
      let second: ElectrumClient;
      try {
        second = await connect(
          other.server,
          connectOptions(other.server, pinFor(other.server), controller.signal),
        );
      } catch (err) {
        log.info('cross-check server unreachable', {
          server: serverKey(other.server),
          error: err instanceof Error ? err.message : String(err),
        });
        continue;
      }
      track(second);
      try {
        if (other.server.transport === 'tls') {
          pins.rememberFirstUse(
            serverKey(other.server),
            second.certificateTrust ?? null,
            second.certificateFingerprint,
            now(),
          );
        }
        const result = await compareTips(primary, second);
        if (current !== primary) return result;
        if (result.ok) {
          if (state.warning?.code === 'TIP_MISMATCH') warn(null);
        } else {
          log.warn('tip cross-check mismatch', {
            primary: serverKey(primaryServer),
            secondary: serverKey(other.server),
            heightA: result.primary.height,
            heightB: result.secondary.height,
            hashA: result.primary.hash ?? 'none',
            hashB: result.secondary.hash ?? 'none',
          });
          warn({ code: 'TIP_MISMATCH', message: describeMismatch(result) });
        }
        return result;
      } catch (err) {
        log.info('cross-check failed on a server', {
          server: serverKey(other.server),
          error: err instanceof Error ? err.message : String(err),
        });
      } finally {
        second.close();
      }
    }
    return null;
  }

  function readFeatures(target: ElectrumServer, reply: JsonValue | null): ElectrumServerFeatures | null {
    const features = readServerFeatures(serverKey(target), reply, deps.expectedGenesis?.() ?? null);
    if (features === undefined) {
      log.info('server.features reply not understood', { server: serverKey(target) });
      return null;
    }
    return features;
  }

  function stats(): ClientStats {
    const total = { ...retired };
    for (const c of live) {
      const s = c.stats?.();
      if (!s) continue;
      total.roundTrips += s.roundTrips;
      total.requests += s.requests;
      total.bytesSent += s.bytesSent;
      total.bytesReceived += s.bytesReceived;
    }
    return total;
  }

  return {
    status: snapshot,
    client() {
      if (current && current.isOpen && state.state === 'connected') return current;
      throw new FlashError('ELECTRUM_NOT_CONNECTED', 'Not connected to an Electrum server');
    },
    onConnected(listener) {
      connectedListeners.add(listener);
      return () => connectedListeners.delete(listener);
    },
    setServer(next) {
      const primary = pool[0]?.server ?? server;
      const same = sameServer(next, primary);
      const inPool = pool.some((e) => sameServer(e.server, server));
      if (same && inPool && started && (state.state === 'connected' || state.state === 'connecting')) return;
      setPool(next, fallbacks);
      const entry = entryFor(next);
      if (entry) {
        entry.failures = 0;
        entry.retryAt = 0;
      }
      server = { ...next };
      offeredFingerprint = null;
      clearRetry();
      dropConnection();
      // A new primary starts with a clean slate: old warnings were about other servers.
      update({ ...freshStatus(server), ...(state.warning ? { warning: null } : {}) });
      if (started) connectNow(server);
    },
    servers() {
      return pool.map((e) => ({ ...e.server }));
    },
    setFallbackServers(list) {
      fallbacks = list.map((s) => ({ ...s }));
      setPool(pool[0]?.server ?? server, fallbacks);
    },
    setProxy(next) {
      proxy = next ? { ...next } : null;
      if (started) connectNow();
    },
    markServerBad(target, reason) {
      const key = serverKey(target);
      bad.set(key, reason);
      log.warn('server marked bad', { server: key, reason });
      update({ warning: { code: 'SERVER_MARKED_BAD', message: `Stopped using ${key}: ${reason}` } });
      if (!sameServer(target, server)) return;
      const next = readyServer(target) ?? pool.find(usable)?.server ?? null;
      if (!started) return;
      if (next) connectNow(next);
      else {
        clearRetry();
        dropConnection();
        update({ state: 'idle', nextRetryAt: null, serverVersion: null });
      }
    },
    crossCheckTip,
    stats,
    reconnect() {
      started = true;
      // Asked for by the user: start the backoff ladder again from the bottom, every server again.
      state = { ...state, attempt: 0 };
      // The user trusts the servers again; a new lie marks the server again and says so.
      if (state.warning?.code === 'SERVER_MARKED_BAD') state = { ...state, warning: null };
      bad.clear();
      for (const e of pool) {
        e.failures = 0;
        e.retryAt = 0;
      }
      connectNow(pool.some((e) => sameServer(e.server, server)) ? server : (pool[0]?.server ?? server));
      return snapshot();
    },
    trustNewCertificate() {
      if (state.lastError?.code !== 'ELECTRUM_CERT_CHANGED' || !offeredFingerprint) return snapshot();
      pins.set(serverKey(server), offeredFingerprint, now());
      log.info('user trusted a new TLS certificate', {
        server: serverKey(server),
        fingerprint: offeredFingerprint,
      });
      offeredFingerprint = null;
      const entry = entryFor(server);
      if (entry) {
        entry.failures = 0;
        entry.retryAt = 0;
      }
      state = { ...state, lastError: null, attempt: 0 };
      if (state.warning?.code === 'CERT_CHANGED') state = { ...state, warning: null };
      if (started) connectNow(server);
      else update({ certificateFingerprint: pinFor(server) });
      return snapshot();
    },
    start() {
      if (started) return;
      started = true;
      connectNow(server);
    },
    stop() {
      started = false;
      clearRetry();
      dropConnection();
      update({ state: 'idle', nextRetryAt: null });
    },
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function toStatusError(err: unknown): StatusError {
  const message = err instanceof Error ? err.message : String(err);
  if (isFlashError(err)) {
    switch (err.code) {
      case 'ELECTRUM_TIMEOUT':
      case 'ELECTRUM_PROTOCOL':
      case 'ELECTRUM_CERT_CHANGED':
      case 'ELECTRUM_UNREACHABLE':
      case 'ELECTRUM_WRONG_NETWORK':
      case 'ELECTRUM_CERT_INVALID':
        return { code: err.code, message };
      default:
        break;
    }
  }
  return { code: 'ELECTRUM_UNREACHABLE', message };
}
