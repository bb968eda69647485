import WebSocket from 'ws';

/**
 * Follows one invoice live the way BTCPay's own checkout page does: its status websocket
 * (`/i/{id}/status/ws`) sends one dummy byte whenever the invoice changes, and the page then
 * re-reads it. We re-read through Greenfield. When the socket can't open (BTCPay answers 404
 * once an invoice is settled, expired or invalid; a proxy may block upgrades) or drops, we poll.
 */

export interface InvoiceWatchOptions {
  serverUrl: string;
  invoiceId: string;
  /** Re-read the invoice; returns true when it is final and watching can stop. */
  refresh: () => Promise<boolean>;
  pollMs?: number;
  /** Injectable for tests. */
  createSocket?: (url: string) => WebSocket;
}

export interface InvoiceWatch {
  /** 'socket' while the websocket is open, 'polling' otherwise. */
  mode(): 'socket' | 'polling' | 'stopped';
  stop(): void;
}

export function watchInvoice(opts: InvoiceWatchOptions): InvoiceWatch {
  const pollMs = opts.pollMs ?? 2000;
  let stopped = false;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;
  let mode: 'socket' | 'polling' | 'stopped' = 'polling';

  const stop = (): void => {
    stopped = true;
    mode = 'stopped';
    if (timer) clearTimeout(timer);
    timer = null;
    socket?.removeAllListeners();
    socket?.on('error', () => {});
    socket?.terminate();
    socket = null;
  };

  // One re-read at a time; a change during a read asks for one more.
  const reread = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const final = await opts.refresh().catch(() => false);
        if (final) {
          stop();
          return;
        }
      } while (again && !stopped);
    } finally {
      running = false;
    }
  };

  const poll = (): void => {
    if (stopped || mode === 'socket') return;
    timer = setTimeout(() => {
      void reread().then(poll);
    }, pollMs);
    timer.unref?.();
  };

  const wsUrl = `${opts.serverUrl.replace(/^http/i, 'ws')}/i/${encodeURIComponent(opts.invoiceId)}/status/ws`;
  try {
    socket = (opts.createSocket ?? ((u: string) => new WebSocket(u, { handshakeTimeout: 5000 })))(wsUrl);
    socket.on('open', () => {
      mode = 'socket';
      if (timer) clearTimeout(timer);
      // Anything that happened between the first read and the socket opening.
      void reread();
    });
    socket.on('message', () => void reread());
    const fallBack = (): void => {
      if (stopped) return;
      socket?.removeAllListeners();
      socket?.on('error', () => {});
      socket = null;
      if (mode === 'socket') void reread();
      mode = 'polling';
      poll();
    };
    socket.on('close', fallBack);
    socket.on('error', fallBack);
  } catch {
    mode = 'polling';
  }
  poll();

  return { mode: () => mode, stop };
}
