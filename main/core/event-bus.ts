import type { EventName, EventPayload } from '../../shared/contract/events';

type Listener = (event: EventName, payload: unknown) => void;

/** Typed events from services to every connected renderer. */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
  onAny(listener: Listener): () => void;
}

export function createEventBus(): EventBus {
  const anyListeners = new Set<Listener>();
  return {
    emit(event, payload) {
      for (const listener of [...anyListeners]) {
        try {
          listener(event, payload);
        } catch {
          // A broken subscriber must not stop the others or the service that emitted.
        }
      }
    },
    on(event, handler) {
      const listener: Listener = (name, payload) => {
        if (name === event) handler(payload as EventPayload<typeof event>);
      };
      anyListeners.add(listener);
      return () => anyListeners.delete(listener);
    },
    onAny(listener) {
      anyListeners.add(listener);
      return () => anyListeners.delete(listener);
    },
  };
}
