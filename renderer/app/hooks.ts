import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { EventName, EventPayload } from '../../shared/contract/events';
import type { Result } from '../../shared/errors';
import { useConnectionState, useFlash } from './flash-context';
import type { BridgeCallError } from './result';
import { call, toBridgeCallError } from './result';

/** Runs `handler` for each `event` from main while the component is mounted. */
export function useFlashEvent<E extends EventName>(
  event: E,
  handler: (payload: EventPayload<E>) => void,
): void {
  const flash = useFlash();
  const onEvent = useEffectEvent(handler);
  useEffect(() => flash.on(event, (payload) => onEvent(payload)), [flash, event]);
}

export interface Query<T> {
  /** The last good value; kept while reloading so screens don't flicker. */
  value: T | undefined;
  error: BridgeCallError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads a bridge call and keeps its latest answer. Pass a stable `load` (useCallback): a new
 * function means new inputs and triggers a new call. Answers to outdated calls are dropped.
 */
export function useQuery<T>(load: () => Promise<Result<T>>): Query<T> {
  const [state, setState] = useState<{
    value: T | undefined;
    error: BridgeCallError | null;
    loading: boolean;
  }>({
    value: undefined,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    call(load()).then(
      (value) => {
        if (current) setState({ value, error: null, loading: false });
      },
      (err: unknown) => {
        if (current) setState((s) => ({ value: s.value, error: toBridgeCallError(err), loading: false }));
      },
    );
    return () => {
      current = false;
    };
  }, [load, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** Runs an action (a button's bridge call) and tracks busy/error, ignoring results after unmount. */
export function useAction<A extends unknown[], T>(
  action: (...args: A) => Promise<Result<T>>,
): {
  run: (...args: A) => Promise<T | undefined>;
  busy: boolean;
  error: BridgeCallError | null;
  clearError: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeCallError | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await call(action(...args));
      } catch (err) {
        if (mounted.current) setError(toBridgeCallError(err));
        return undefined;
      } finally {
        if (mounted.current) setBusy(false);
      }
    },
    [action],
  );
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}

/** Whole seconds left until `deadline` (epoch ms), ticking each second; 0 once passed or if null. */
export function useCountdown(deadline: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= deadline) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [deadline]);
  if (deadline === null) return 0;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** Calls `onReopen` each time the browser-mode socket comes back after a drop. */
export function useOnReconnect(onReopen: () => void): void {
  const state = useConnectionState();
  const wasDown = useRef(false);
  const handler = useEffectEvent(onReopen);
  useEffect(() => {
    if (state === 'open') {
      if (wasDown.current) handler();
      wasDown.current = false;
    } else if (state === 'reconnecting') {
      wasDown.current = true;
    }
  }, [state]);
}

const TOUCH_INTERVAL_MS = 30_000;

/** Tells the vault about key presses and clicks (at most once per 30 s) so auto-lock counts idle time. */
export function useReportUserActivity(): void {
  const flash = useFlash();
  useEffect(() => {
    let last = 0;
    const onActivity = () => {
      const now = Date.now();
      if (now - last < TOUCH_INTERVAL_MS) return;
      last = now;
      void flash.vault.touch().catch(() => undefined);
    };
    window.addEventListener('keydown', onActivity, { capture: true, passive: true });
    window.addEventListener('pointerdown', onActivity, { capture: true, passive: true });
    return () => {
      window.removeEventListener('keydown', onActivity, { capture: true });
      window.removeEventListener('pointerdown', onActivity, { capture: true });
    };
  }, [flash]);
}

/**
 * A value that main can both answer for (`load`) and push (`event`), e.g. settings or the Electrum
 * status: whichever arrived last wins. `set` records a value from an action's answer.
 */
export function useLiveValue<E extends EventName>(
  load: () => Promise<Result<EventPayload<E>>>,
  event: E,
): Query<EventPayload<E>> & { set: (value: EventPayload<E>) => void } {
  const query = useQuery(load);
  const [latest, setLatest] = useState<EventPayload<E> | undefined>(undefined);
  useEffect(() => {
    if (query.value !== undefined) setLatest(query.value);
  }, [query.value]);
  useFlashEvent(event, (payload) => setLatest(payload));
  return { ...query, value: latest ?? query.value, set: setLatest };
}
