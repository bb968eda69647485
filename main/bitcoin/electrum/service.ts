import { z } from 'zod';
import type { ElectrumServer, ElectrumStatus } from '../../../shared/contract';
import { FlashError, isFlashError } from '../../../shared/errors';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import type { Db } from '../../store/database';
import type { BackoffPolicy } from './backoff';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';
import type { ConnectOptions } from './client';
import { connectElectrum, DEFAULT_TIMEOUT_MS } from './client';
import { createPinStore } from './pin-store';
import { serverKey } from './socket';
import type { ElectrumClient, ElectrumService, JsonValue } from './types';

export type ConnectFn = (server: ElectrumServer, opts: ConnectOptions) => Promise<ElectrumClient>;

export interface ElectrumServiceDeps {
  db: Db;
  bus: EventBus;
  log: Logger;
  initialServer: ElectrumServer;
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
}

type StatusError = NonNullable<ElectrumStatus['lastError']>;

const HeaderNotification = z.object({ height: z.number().int().min(0), hex: z.string() });

export function createElectrumService(deps: ElectrumServiceDeps): ElectrumService {
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const policy = deps.backoff ?? DEFAULT_BACKOFF;
  const connect = deps.connect ?? connectElectrum;
  const pins = createPinStore(deps.db);
  const connectedListeners = new Set<(client: ElectrumClient) => void>();

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

  function snapshot(): ElectrumStatus {
    return {
      ...state,
      server: { ...state.server },
      lastError: state.lastError ? { ...state.lastError } : null,
    };
  }

  function update(patch: Partial<ElectrumStatus>): void {
    const next: ElectrumStatus = { ...state, ...patch };
    if (JSON.stringify(next) === JSON.stringify(state)) return;
    state = next;
    deps.bus.emit('electrum.status', snapshot());
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

  function connectNow(): void {
    clearRetry();
    dropConnection();
    const gen = generation;
    const target = { ...server };
    const controller = new AbortController();
    attemptAbort = controller;
    const pinned = pinFor(target);
    update({ state: 'connecting', nextRetryAt: null, certificateFingerprint: pinned });
    establish(target, pinned, controller.signal, gen).then(
      ({ client, tipHeight }) => {
        if (gen !== generation) {
          client.close();
          return;
        }
        attemptAbort = null;
        onEstablished(target, client, tipHeight, pinned);
      },
      (err: unknown) => {
        if (gen !== generation) return;
        attemptAbort = null;
        onFailure(target, err);
      },
    );
  }

  async function establish(
    target: ElectrumServer,
    pinned: string | null,
    signal: AbortSignal,
    gen: number,
  ): Promise<{ client: ElectrumClient; tipHeight: number }> {
    const client = await connect(target, {
      pinnedFingerprint: pinned,
      timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(deps.keepAliveMs !== undefined ? { keepAliveMs: deps.keepAliveMs } : {}),
      clientName: `flash-desktop ${deps.appVersion ?? 'dev'}`,
      signal,
      log,
    });
    try {
      // Listen before subscribing so a block found during the round trip is not missed.
      client.onNotification((method, params) => {
        if (gen !== generation || method !== 'blockchain.headers.subscribe') return;
        const header = HeaderNotification.safeParse(params[0]);
        if (header.success) update({ tipHeight: header.data.height });
        else log.warn('malformed header notification ignored', { server: serverKey(target) });
      });
      const tip = parseTip(await client.request('blockchain.headers.subscribe', []));
      return { client, tipHeight: tip };
    } catch (err) {
      client.close();
      throw err;
    }
  }

  function onEstablished(
    target: ElectrumServer,
    client: ElectrumClient,
    tipHeight: number,
    pinned: string | null,
  ): void {
    const fingerprint = client.certificateFingerprint;
    if (target.transport === 'tls' && fingerprint && !pinned) {
      pins.set(serverKey(target), fingerprint, now());
      log.info('pinned TLS certificate on first use', { server: serverKey(target), fingerprint });
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
      lastError: null,
      nextRetryAt: null,
      attempt: 0,
      certificateFingerprint: target.transport === 'tls' ? fingerprint : null,
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
  }

  function onFailure(target: ElectrumServer, err: unknown): void {
    const lastError = toStatusError(err);
    const attempt = state.attempt + 1;
    if (lastError.code === 'ELECTRUM_CERT_CHANGED') {
      // Retrying cannot help: either the operator rotated the certificate or someone is in the
      // middle. Wait for the user to decide (trustNewCertificate) or to ask again (reconnect).
      const offered = isFlashError(err) ? err.details?.offered : undefined;
      offeredFingerprint = typeof offered === 'string' ? offered : null;
      update({ state: 'idle', lastError, attempt, nextRetryAt: null, serverVersion: null });
      log.warn('certificate changed, not retrying', {
        server: serverKey(target),
        offered: offeredFingerprint,
      });
      return;
    }
    const delay = backoffDelay(attempt, policy, deps.random);
    update({ state: 'backoff', lastError, attempt, nextRetryAt: now() + delay, serverVersion: null });
    log.warn('connection failed, retrying', {
      server: serverKey(target),
      code: lastError.code,
      reason: lastError.message,
      attempt,
      delayMs: delay,
    });
    clearRetry();
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (started) connectNow();
    }, delay);
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
      const same =
        next.host === server.host && next.port === server.port && next.transport === server.transport;
      if (same && started && (state.state === 'connected' || state.state === 'connecting')) return;
      server = { ...next };
      offeredFingerprint = null;
      clearRetry();
      dropConnection();
      update(freshStatus(server));
      if (started) connectNow();
    },
    reconnect() {
      started = true;
      // Asked for by the user: start the backoff ladder again from the bottom.
      state = { ...state, attempt: 0 };
      connectNow();
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
      state = { ...state, lastError: null, attempt: 0 };
      if (started) connectNow();
      else update({ certificateFingerprint: pinFor(server) });
      return snapshot();
    },
    start() {
      if (started) return;
      started = true;
      connectNow();
    },
    stop() {
      started = false;
      clearRetry();
      dropConnection();
      update({ state: 'idle', nextRetryAt: null });
    },
  };
}

function parseTip(result: JsonValue): number {
  const header = HeaderNotification.safeParse(result);
  if (!header.success) {
    throw new FlashError(
      'ELECTRUM_PROTOCOL',
      `blockchain.headers.subscribe returned ${JSON.stringify(result)}`,
    );
  }
  return header.data.height;
}

function toStatusError(err: unknown): StatusError {
  const message = err instanceof Error ? err.message : String(err);
  if (isFlashError(err)) {
    switch (err.code) {
      case 'ELECTRUM_TIMEOUT':
      case 'ELECTRUM_PROTOCOL':
      case 'ELECTRUM_CERT_CHANGED':
      case 'ELECTRUM_UNREACHABLE':
        return { code: err.code, message };
      default:
        break;
    }
  }
  return { code: 'ELECTRUM_UNREACHABLE', message };
}
