import { parentPort, workerData } from 'node:worker_threads';
import type { NostrEvent } from '../verify';
import { verifierReady } from '../verify';
import { createWrapOpener } from './open-wrap';

/**
 * A worker thread that opens gift wraps (see unwrap-pool.ts): the ECDH, NIP-44 decryption and
 * seal signature of each message run here, off the thread that serves the UI and SQLite.
 */
interface Request {
  id: number;
  events: NostrEvent[];
}

const port = parentPort;
if (!port) throw new Error('unwrap-worker runs as a worker thread');
const open = createWrapOpener(new Uint8Array((workerData as { secretKey: Uint8Array }).secretKey));
// Seals are checked with libsecp256k1 (native, else WASM) once it has loaded, like everywhere else.
const ready = verifierReady;
port.on('message', (msg: Request) => {
  void ready.then(() => port.postMessage({ id: msg.id, results: msg.events.map(open) }));
});
