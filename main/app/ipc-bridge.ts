import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import type { WireEvent } from '../../shared/bridge';
import { METHOD_NAMES } from '../../shared/contract';
import { EVENT_CHANNEL, methodChannel } from '../../shared/contract/names';
import type { Result } from '../../shared/errors';
import type { Dispatcher } from '../api/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import { isAppPage } from './renderer-url';

export type IpcRegistrar = Pick<IpcMain, 'handle' | 'removeHandler'>;
export type EventTarget = Pick<WebContents, 'send' | 'isDestroyed'>;

/**
 * Electron's transport: one `ipcMain.handle` channel per contract method (never a generic
 * "invoke anything" channel), each answering only the app's own top-level frame.
 */
export function registerIpcBridge(deps: {
  ipcMain: IpcRegistrar;
  dispatcher: Dispatcher;
  bus: EventBus;
  log: Logger;
  isTrustedFrame: (frame: WebFrameMain | null) => boolean;
  targets: () => EventTarget[];
}): () => void {
  for (const method of METHOD_NAMES) {
    deps.ipcMain.handle(
      methodChannel(method),
      async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
        if (!deps.isTrustedFrame(event.senderFrame)) {
          deps.log.warn('ipc call from untrusted frame refused', {
            method,
            url: event.senderFrame?.url ?? null,
          });
          return {
            ok: false,
            error: { code: 'FORBIDDEN_SENDER', message: 'This window may not call Flash.' },
          };
        }
        return deps.dispatcher.dispatch(method, input);
      },
    );
  }
  const detach = deps.bus.onAny((event, payload) => {
    if (deps.dispatcher.deliversEvent?.(event) === false) return;
    const message: WireEvent = { event, payload };
    for (const target of deps.targets()) if (!target.isDestroyed()) target.send(EVENT_CHANNEL, message);
  });
  return () => {
    detach();
    for (const method of METHOD_NAMES) deps.ipcMain.removeHandler(methodChannel(method));
  };
}

/** A frame is trusted when it is a top-level frame showing our own renderer. */
export function createFrameCheck(rendererUrl: string): (frame: WebFrameMain | null) => boolean {
  return (frame) => frame !== null && frame.parent === null && isAppPage(frame.url, rendererUrl);
}
