import type { MethodInput, MethodOutput } from './contract';
import type { EventName, EventPayload } from './contract/events';
import type { MethodName } from './contract/names';
import { METHOD_NAMES } from './contract/names';
import type { Result } from './errors';

type AreaOf<M extends string> = M extends `${infer A}.${string}` ? A : never;
type MethodOf<M extends string, A extends string> = M extends `${A}.${infer N}` ? N : never;
export type Area = AreaOf<MethodName>;

/**
 * `window.flash`: one async function per contract method, grouped by area. Calls resolve to a
 * Result rather than throwing, because thrown errors lose their fields across contextBridge.
 */
export type FlashClient = {
  [A in Area]: {
    [N in MethodOf<MethodName, A>]: `${A}.${N}` extends infer M extends MethodName
      ? Record<string, never> extends MethodInput<M>
        ? (input?: MethodInput<M>) => Promise<Result<MethodOutput<M>>>
        : (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>
      : never;
  };
} & {
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
};

export interface BridgeTransport {
  call(method: MethodName, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

/** Builds the typed client from a transport; shared by the preload and browser mode. */
export function createFlashClient(transport: BridgeTransport): FlashClient {
  const areas: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of METHOD_NAMES) {
    const [area, name] = method.split('.') as [string, string];
    areas[area] ??= {};
    areas[area][name] = (input?: unknown) => transport.call(method, input ?? {});
  }
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let detach: (() => void) | null = null;
  const on = (event: EventName, handler: (payload: unknown) => void): (() => void) => {
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    set.add(handler);
    detach ??= transport.subscribe((name, payload) => {
      for (const fn of listeners.get(name) ?? []) fn(payload);
    });
    return () => {
      set.delete(handler);
      const anyLeft = [...listeners.values()].some((s) => s.size > 0);
      if (!anyLeft && detach) {
        detach();
        detach = null;
      }
    };
  };
  return { ...areas, on } as unknown as FlashClient;
}

/** Wire format of the loopback WebSocket transport. */
export type WireRequest = { id: number; method: string; input: unknown };
export type WireResponse = { id: number; result: Result<unknown> };
export type WireEvent = { event: EventName; payload: unknown };
