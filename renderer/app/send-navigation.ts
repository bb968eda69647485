import { useEffect, useEffectEvent } from 'react';

/** A request to open the on-chain Send form, e.g. from the Messages pay card. */
export interface SendRequest {
  address: string;
  /** Whole sats; omitted or null leaves the amount for the user to type. */
  sats?: number | null;
}

type Listener = (request: SendRequest) => void;

let pending: SendRequest | null = null;
const listeners = new Set<Listener>();

/**
 * Opens the Send flow in the Wallet area with the address and amount filled in. Nothing is sent:
 * the user still reviews and confirms. Safe to call from anywhere in the renderer.
 */
export function openSendFlow(request: SendRequest): void {
  pending = { address: request.address, sats: request.sats ?? null };
  for (const fn of listeners) fn(pending);
}

/** The request not yet picked up by the Wallet screen (cleared by reading it). */
export function takePendingSendRequest(): SendRequest | null {
  const request = pending;
  pending = null;
  return request;
}

/** Calls `handler` on each `openSendFlow` while mounted. */
export function useSendRequests(handler: Listener): void {
  const onRequest = useEffectEvent(handler);
  useEffect(() => {
    const fn: Listener = (request) => onRequest(request);
    listeners.add(fn);
    return () => {
      listeners.delete(fn);
    };
  }, []);
}
