import type { IpcMainInvokeEvent, IpcRenderer, IpcRendererEvent, WebFrameMain } from 'electron';
import WebSocket from 'ws';
import type { FlashClient, WireEvent, WireResponse } from '../../shared/bridge';
import { createFlashClient } from '../../shared/bridge';
import type { MethodName } from '../../shared/contract/names';
import type { Result } from '../../shared/errors';
import type { EventTarget, IpcRegistrar } from '../../main/app/ipc-bridge';
import { createFrameCheck, registerIpcBridge } from '../../main/app/ipc-bridge';
import type { FlashCore } from '../../main/core/container';
import { startWsBridge } from '../../main/headless/ws-bridge';

export interface ConnectedClient {
  client: FlashClient;
  /** Raw call, bypassing the typed client, to send malformed input. */
  raw(method: string, input: unknown): Promise<Result<unknown>>;
  close(): Promise<void>;
}

export const RENDERER_URL = 'file:///opt/flash/out/renderer/index.html';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/**
 * Electron's IPC without Electron: an ipcMain/ipcRenderer pair typed from electron.d.ts that
 * copies every message with structuredClone, as Electron's serializer does.
 */
export function createFakeIpc(frameUrl = RENDERER_URL, parent: WebFrameMain | null = null) {
  const handlers = new Map<string, Listener>();
  const rendererListeners = new Map<string, Set<(event: IpcRendererEvent, ...args: unknown[]) => void>>();
  const frame = { url: frameUrl, parent } satisfies Pick<WebFrameMain, 'url' | 'parent'>;
  const ipcMain: IpcRegistrar = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener as Listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  const ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'> = {
    async invoke(channel, ...args) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const event = { senderFrame: frame as unknown as WebFrameMain } as IpcMainInvokeEvent;
      return structuredClone(await handler(event, ...args.map((a) => structuredClone(a))));
    },
    on(channel, listener) {
      let set = rendererListeners.get(channel);
      if (!set) rendererListeners.set(channel, (set = new Set()));
      set.add(listener);
      return ipcRenderer as IpcRenderer;
    },
    removeListener(channel, listener) {
      rendererListeners.get(channel)?.delete(listener);
      return ipcRenderer as IpcRenderer;
    },
  };
  const webContents: EventTarget = {
    send(channel, ...args) {
      for (const l of rendererListeners.get(channel) ?? [])
        l({} as IpcRendererEvent, ...args.map((a) => structuredClone(a)));
    },
    isDestroyed: () => false,
  };
  return { ipcMain, ipcRenderer, webContents, handlerCount: () => handlers.size };
}

export async function connectOverIpc(core: FlashCore, frameUrl = RENDERER_URL): Promise<ConnectedClient> {
  const ipc = createFakeIpc(frameUrl);
  const unregister = registerIpcBridge({
    ipcMain: ipc.ipcMain,
    dispatcher: core.dispatcher,
    bus: core.bus,
    log: core.log,
    isTrustedFrame: createFrameCheck(RENDERER_URL),
    targets: () => [ipc.webContents],
  });
  const client = createFlashClient({
    call: (method: MethodName, input) =>
      ipc.ipcRenderer.invoke(`flash:${method}`, input) as Promise<Result<unknown>>,
    subscribe: (listener) => {
      const handler = (_e: IpcRendererEvent, msg: unknown) => {
        const m = msg as WireEvent;
        listener(m.event, m.payload);
      };
      ipc.ipcRenderer.on('flash:event', handler);
      return () => void ipc.ipcRenderer.removeListener('flash:event', handler);
    },
  });
  return {
    client,
    raw: async (method, input) => {
      try {
        return (await ipc.ipcRenderer.invoke(`flash:${method}`, input)) as Result<unknown>;
      } catch {
        // Electron rejects calls to unregistered channels the same way.
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `No handler for ${method}` } };
      }
    },
    close: async () => unregister(),
  };
}

/** Opens a raw WebSocket to a bridge; resolves once open, rejects with the HTTP status on refusal. */
export function openSocket(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

export async function connectOverWebSocket(
  core: FlashCore,
): Promise<ConnectedClient & { port: number; token: string }> {
  const bridge = await startWsBridge({
    dispatcher: core.dispatcher,
    bus: core.bus,
    log: core.log,
    rendererDir: null,
  });
  const ws = await openSocket(
    `ws://127.0.0.1:${bridge.port}/bridge?token=${bridge.token}`,
    `http://127.0.0.1:${bridge.port}`,
  );
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const eventListeners = new Set<(event: WireEvent['event'], payload: unknown) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as WireResponse | WireEvent;
    if ('id' in msg) {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    } else {
      for (const l of eventListeners) l(msg.event, msg.payload);
    }
  });
  const raw = (method: string, input: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, input }));
    });
  const client = createFlashClient({
    call: (method, input) => raw(method, input),
    subscribe: (listener) => {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
  });
  return {
    client,
    raw,
    port: bridge.port,
    token: bridge.token,
    close: async () => {
      ws.close();
      await bridge.close();
    },
  };
}
