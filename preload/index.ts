import { contextBridge, ipcRenderer } from 'electron';
import type { WireEvent } from '../shared/bridge';
import { createFlashClient } from '../shared/bridge';
import { EVENT_CHANNEL, methodChannel } from '../shared/contract/names';
import type { Result } from '../shared/errors';

// The only thing the page gets: the typed client. No ipcRenderer, no Node, no generic channel.
const flash = createFlashClient({
  call: (method, input) => ipcRenderer.invoke(methodChannel(method), input) as Promise<Result<unknown>>,
  subscribe: (listener) => {
    const handler = (_event: Electron.IpcRendererEvent, message: WireEvent) =>
      listener(message.event, message.payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
});

contextBridge.exposeInMainWorld('flash', flash);
