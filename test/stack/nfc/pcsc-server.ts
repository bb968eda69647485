import http from 'node:http';
import { z } from 'zod';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { bytesToHex, hexToBytes } from '../../../main/merchant/boltcard/ntag424-crypto';
import { ndefUri } from '../../../main/merchant/boltcard/ndef';
import type { Route } from '../control-api';
import { BadRequest } from '../control-api';
import type { SimulatedCard } from './ntag424-card';
import { createReplayTag, createSimulatedNtag424 } from './ntag424-card';
import type { SimulatedReader } from './reader';
import { createSimulatedReader } from './reader';

/**
 * The simulated reader and its cards, served to browser mode over loopback at the PC/SC
 * boundary: the app's reader code (main/merchant/nfc/remote-readers.ts) sees readers and a card
 * in the field and exchanges raw APDUs, exactly what SCardTransmit carries to a USB reader.
 * Production code cannot import test/, so this is how `npm run demo` gets a reader.
 *
 * Protocol, one JSON object per WebSocket message on ws://127.0.0.1:PORT/pcsc:
 *   server → app  {"type":"status","readers":[{"name":"…","card":null|{"uid":"hex"}}]}
 *                 (on connect and whenever a card comes or goes)
 *   app → server  {"type":"transmit","id":N,"reader":"…","apdu":"hex"}
 *   server → app  {"type":"response","id":N,"data":"hex"} or {"type":"response","id":N,"error":"…"}
 */

export interface PcscServer {
  url: string;
  reader: SimulatedReader;
  routes: Route[];
  /** Makes a new blank card and puts it on the reader. */
  newCard(name?: string): NamedCard;
  present(name: string): void;
  remove(): void;
  /** Puts a copy of the last tap read through the reader on it: what a skimmer replays. */
  presentReplay(): void;
  stop(): Promise<void>;
}

export interface NamedCard {
  name: string;
  card: SimulatedCard;
}

const Transmit = z
  .object({
    type: z.literal('transmit'),
    id: z.number().int().min(0),
    reader: z.string().max(200),
    apdu: z.string().regex(/^([0-9a-fA-F]{2}){1,300}$/),
  })
  .strict();

export async function startPcscServer(opts: { port?: number } = {}): Promise<PcscServer> {
  const reader = createSimulatedReader('Flash simulated reader (stack) 00 00');
  const cards = new Map<string, NamedCard>();
  let presentName: string | null = null;
  let lastTapUri: string | null = null;

  const status = () =>
    JSON.stringify({
      type: 'status',
      readers: [{ name: reader.name, card: reader.card() ? { uid: bytesToHex(reader.card()!.uid) } : null }],
    });

  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/pcsc' });
  const clients = new Set<WebSocket>();
  reader.onChange(() => {
    const frame = status();
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  /** The reader sees every APDU: a READ BINARY of the NDEF message at offset 2 is a tap's URL. */
  async function transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const answer = await reader.transmit(apdu);
    if (apdu[0] === 0x00 && apdu[1] === 0xb0 && apdu[2] === 0x00 && apdu[3] === 0x02) {
      const ok = answer[answer.length - 2] === 0x90 && answer[answer.length - 1] === 0x00;
      if (ok) {
        try {
          lastTapUri = ndefUri(answer.subarray(0, answer.length - 2));
        } catch {
          // Not an NDEF URI message: nothing a skimmer could replay.
        }
      }
    }
    return answer;
  }

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.send(status());
    ws.on('message', (data) => {
      let msg: z.infer<typeof Transmit>;
      try {
        msg = Transmit.parse(JSON.parse(String(data)));
      } catch {
        ws.close(1003, 'not a transmit message');
        return;
      }
      const reply = (body: { data: string } | { error: string }) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'response', id: msg.id, ...body }));
      };
      if (msg.reader !== reader.name) {
        reply({ error: 'unknown reader' });
        return;
      }
      transmit(hexToBytes(msg.apdu)).then(
        (answer) => reply({ data: bytesToHex(answer) }),
        (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('PC/SC stand-in has no port');
  const url = `ws://127.0.0.1:${address.port}/pcsc`;

  const newCard = (name?: string): NamedCard => {
    const cardName = name ?? `card-${cards.size + 1}`;
    if (cards.has(cardName)) throw new BadRequest(`there is already a card ${cardName}`);
    const named = { name: cardName, card: createSimulatedNtag424() };
    cards.set(cardName, named);
    reader.place(named.card);
    presentName = cardName;
    return named;
  };
  const present = (name: string) => {
    const named = cards.get(name);
    if (!named) throw new BadRequest(`no card ${name}`);
    reader.place(named.card);
    presentName = name;
  };
  const remove = () => {
    reader.remove();
    presentName = null;
  };
  const presentReplay = () => {
    if (!lastTapUri) throw new BadRequest('no tap has been read through the reader yet');
    reader.place(createReplayTag(lastTapUri));
    presentName = 'replay';
  };
  // A blank card is on the reader from the start, ready to be programmed.
  newCard();

  const Name = z.object({ name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) }).strict();
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/nfc',
      handler: () => ({
        url,
        reader: reader.name,
        present: presentName,
        lastTap: lastTapUri,
        cards: [...cards.values()].map((c) => ({
          name: c.name,
          uid: bytesToHex(c.card.uid),
          readCounter: c.card.readCounter,
        })),
      }),
    },
    {
      method: 'POST',
      path: '/nfc/card',
      handler: (body) => {
        const { name } = z
          .object({
            name: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,40}$/)
              .optional(),
          })
          .strict()
          .parse(body ?? {});
        const made = newCard(name);
        return { name: made.name, uid: bytesToHex(made.card.uid) };
      },
    },
    {
      method: 'POST',
      path: '/nfc/present',
      handler: (body) => {
        const { name } = Name.parse(body);
        present(name);
        return { present: name };
      },
    },
    {
      method: 'POST',
      path: '/nfc/remove',
      handler: () => {
        remove();
        return { present: null };
      },
    },
    {
      method: 'POST',
      path: '/nfc/replay',
      handler: () => {
        presentReplay();
        return { present: 'replay', uri: lastTapUri };
      },
    },
  ];

  return {
    url,
    reader,
    routes,
    newCard,
    present,
    remove,
    presentReplay,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const ws of clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
