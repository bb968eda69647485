import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { connectOverIpc, connectOverWebSocket } from '../test/support/transports';
import { startTestCore } from '../test/support/core';
import { fmtMs, measureLatency, printTable, ratio } from './stats';

const CALLS = 3000;

/** The floor: a bare WebSocket echo on loopback, measured in the same run. */
async function rawEchoBaseline() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => ws.on('message', (d) => ws.send(d)));
  const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await new Promise((r) => ws.once('open', r));
  const payload = JSON.stringify({ id: 1, method: 'vault.getStatus', input: {} });
  const figures = await measureLatency(
    'raw WebSocket echo (baseline)',
    CALLS,
    () =>
      new Promise((resolve) => {
        ws.once('message', resolve);
        ws.send(payload);
      }),
  );
  ws.close();
  await new Promise((r) => wss.close(r));
  return figures;
}

export async function benchBridgeLatency(): Promise<void> {
  const core = startTestCore();
  const baseline = await rawEchoBaseline();
  const ws = await connectOverWebSocket(core);
  const wsFigures = await measureLatency('bridge over loopback WebSocket', CALLS, () =>
    ws.client.vault.getStatus(),
  );
  await ws.close();
  const ipc = await connectOverIpc(core);
  const ipcFigures = await measureLatency('bridge over IPC path (in-process, structuredClone)', CALLS, () =>
    ipc.client.vault.getStatus(),
  );
  await ipc.close();
  core.stop();
  printTable(
    `Bridge round trip, vault.getStatus, ${CALLS} sequential calls`,
    ['transport', 'p50', 'p99', 'p50 vs echo', 'p99 vs echo'],
    [baseline, wsFigures, ipcFigures].map((f) => [
      f.name,
      fmtMs(f.p50),
      fmtMs(f.p99),
      ratio(f.p50, baseline.p50),
      ratio(f.p99, baseline.p99),
    ]),
  );
  console.log(
    'Note: no Electron binary runs here, so the IPC row measures our IPC handlers, validation and\n' +
      "Electron's structured-clone copy in one process; real Electron adds a process hop on top.",
  );
}
