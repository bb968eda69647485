import { z } from 'zod';
import WebSocket from 'ws';
import { FlashError } from '../../../shared/errors';
import type { CardChannel } from '../boltcard/card-ops';
import type { NfcReaders } from './readers';

/**
 * Readers reached over a loopback WebSocket at the PC/SC boundary (readers, the card in the
 * field, raw APDUs): how browser mode on regtest uses the local stack's simulated reader and
 * cards. Test-only by construction: the container builds it only with --simulated-devices on
 * regtest (see main/core/container.ts), and the address must be this machine's loopback.
 * The stack's side and the message shapes: test/stack/nfc/pcsc-server.ts.
 */

const Status = z.object({
  type: z.literal('status'),
  readers: z
    .array(
      z.object({
        name: z.string().max(200),
        card: z.object({ uid: z.string().regex(/^[0-9a-f]{14}$/i) }).nullable(),
      }),
    )
    .max(16),
});
const Response = z.object({
  type: z.literal('response'),
  id: z.number().int(),
  data: z
    .string()
    .regex(/^([0-9a-fA-F]{2}){2,300}$/)
    .optional(),
  error: z.string().max(300).optional(),
});

const LOOPBACK = /^ws:\/\/(127\.0\.0\.1|localhost):\d{1,5}\/[\w/-]*$/;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function openRemoteReaders(
  url: string,
  opts: { timeoutMs?: number; retryMs?: number } = {},
): NfcReaders {
  if (!LOOPBACK.test(url))
    throw new FlashError('MERCHANT_NFC_UNAVAILABLE', 'The simulated reader is not on this machine.', {
      reason: 'the simulated reader must be a ws://127.0.0.1 address',
    });
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const retryMs = opts.retryMs ?? 1_000;
  const listeners = new Set<() => void>();
  const pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  let readers: z.infer<typeof Status>['readers'] = [];
  let problem: string | null = null;
  let socket: WebSocket | null = null;
  let nextId = 1;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const notify = () => {
    for (const l of listeners) l();
  };

  function connect(): void {
    const ws = new WebSocket(url);
    socket = ws;
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch {
        return;
      }
      const status = Status.safeParse(parsed);
      if (status.success) {
        readers = status.data.readers;
        problem = null;
        notify();
        return;
      }
      const answer = Response.safeParse(parsed);
      if (!answer.success) return;
      const waiter = pending.get(answer.data.id);
      if (!waiter) return;
      pending.delete(answer.data.id);
      if (answer.data.data) waiter.resolve(new Uint8Array(Buffer.from(answer.data.data, 'hex')));
      else waiter.reject(new Error(answer.data.error ?? 'the reader did not answer'));
    });
    ws.on('error', () => {
      // 'close' follows and says what happened.
    });
    ws.on('close', () => {
      if (socket === ws) socket = null;
      for (const w of pending.values()) w.reject(new Error('the simulated reader went away'));
      pending.clear();
      readers = [];
      problem = 'the simulated reader of the local stack is not reachable';
      notify();
      if (!closed) {
        retry = setTimeout(connect, retryMs);
        retry.unref();
      }
    });
  }
  connect();

  function transmit(reader: string, apdu: Uint8Array): Promise<Uint8Array> {
    const ws = socket;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('no card in the field'));
    const id = nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the reader did not answer in time'));
      }, timeoutMs);
      pending.set(id, {
        resolve: (b) => {
          clearTimeout(timer);
          resolve(b);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      ws.send(JSON.stringify({ type: 'transmit', id, reader, apdu: hex(apdu) }));
    });
  }

  return {
    readers() {
      if (problem && readers.length === 0)
        throw new FlashError('MERCHANT_NFC_UNAVAILABLE', 'The simulated reader is not available.', {
          reason: problem,
        });
      return readers.map((r) => r.name);
    },
    card() {
      const r = readers.find((x) => x.card !== null);
      if (!r) return null;
      const channel: CardChannel = { transmit: (apdu) => transmit(r.name, apdu) };
      return { reader: r.name, channel };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
      socket?.close();
      listeners.clear();
    },
  };
}
