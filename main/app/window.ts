import { BrowserWindow, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../headless/static-files';
import { isAppPage } from './renderer-url';

/**
 * The one window. Every setting here is a security decision: the page can reach main only
 * through the preload's typed client, and can never navigate or open windows; the only permission it
 * may get is the camera (video only, for QR scanning: camera-permission.ts).
 */
export function createMainWindow(opts: { preloadPath: string; rendererUrl: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'Flash',
    show: false,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise open links in a new window, bypassing the open handler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());

  // Scheme, host and path must all be ours: a dev server URL on another host, or a file:// page
  // elsewhere on disk, would otherwise inherit the preload's bridge to the wallet.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppPage(url, opts.rendererUrl)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  // No second windows, and no handing URLs to the OS: a compromised page could use either to escape.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));

  void win.loadURL(opts.rendererUrl);
  return win;
}

export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}
