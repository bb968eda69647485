import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, powerMonitor } from 'electron';
import { DEFAULT_KDF } from '../core/config';
import { createFlashCore, type FlashCore } from '../core/container';
import { createLogger } from '../core/logger';
import {
  acquireProfileLock,
  EXIT_PROFILE_IN_USE,
  PROFILE_IN_USE_MESSAGE,
  ProfileInUseError,
  profileLockPath,
  type ProfileLock,
} from '../core/profile-lock';
import { parseElectrumSpec } from '../headless/args';
import { createFrameCheck, registerIpcBridge } from './ipc-bridge';
import { createDesktopMerchantHooks } from './merchant-desktop';
import { createDesktopBackupHooks } from './backup-desktop';
import { rendererUrlFor } from './renderer-url';
import { allowAppCamera } from './camera-permission';
import { createMainWindow, hardenSession } from './window';

/** The Electron shell: window, security settings, IPC transport. All wallet logic lives in core. */
let core: FlashCore | null = null;
let unregister: (() => void) | null = null;
let profileLock: ProfileLock | null = null;

// --data-dir lets tests and power users keep a profile outside the default userData folder.
const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='));
if (dataDirArg) app.setPath('userData', path.resolve(dataDirArg.slice('--data-dir='.length)));

if (!app.requestSingleInstanceLock()) {
  // Electron's lock covers one userData folder. The first instance brings its window forward; this
  // one leaves now, before it registers anything or opens the database (app.quit would wait for
  // 'ready' and run the rest of this file first).
  process.stderr.write(`${PROFILE_IN_USE_MESSAGE}.\n`);
  app.exit(EXIT_PROFILE_IN_USE);
} else {
  startShell();
}

function startShell(): void {
  // The profile lock also keeps out a browser-mode process on the same folder, which Electron's
  // own lock knows nothing about.
  try {
    profileLock = acquireProfileLock(
      profileLockPath({ dataDir: app.getPath('userData'), profile: 'default' }),
    );
  } catch (err) {
    if (!(err instanceof ProfileInUseError)) throw err;
    dialog.showErrorBox('Flash', `${err.message}\nClose it first, then open Flash again.`);
    app.exit(EXIT_PROFILE_IN_USE);
    return;
  }
  process.on('exit', () => profileLock?.release());

  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.whenReady().then(onReady);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    unregister?.();
    core?.stop();
    profileLock?.release();
  });
}

function onReady(): void {
  hardenSession();
  Menu.setApplicationMenu(null);
  const dataDir = app.getPath('userData');
  const log = createLogger({ file: path.join(dataDir, 'logs', 'main.log') });
  const electrumArg = process.argv.find((a) => a.startsWith('--electrum='));
  const networkArg = process.argv.find((a) => a.startsWith('--network='))?.slice('--network='.length);
  core = createFlashCore(
    {
      mode: 'electron',
      version: app.getVersion(),
      dataDir,
      profile: 'default',
      defaultNetwork:
        networkArg === 'testnet' || networkArg === 'signet' || networkArg === 'regtest'
          ? networkArg
          : 'mainnet',
      electrumOverride: electrumArg ? parseElectrumSpec(electrumArg.slice('--electrum='.length)) : null,
      kdf: DEFAULT_KDF,
      desktopBackup: createDesktopBackupHooks(),
      desktopMerchant: createDesktopMerchantHooks({
        preloadPath: path.join(import.meta.dirname, '../preload/index.cjs'),
        rendererUrl: () =>
          rendererUrlFor({
            appDir: import.meta.dirname,
            packaged: app.isPackaged,
            devUrl: process.env['ELECTRON_RENDERER_URL'],
          }),
      }),
    },
    log,
  );
  core.start();

  const rendererUrl = rendererUrlFor({
    appDir: import.meta.dirname,
    packaged: app.isPackaged,
    devUrl: process.env['ELECTRON_RENDERER_URL'],
  });
  allowAppCamera(rendererUrl);
  unregister = registerIpcBridge({
    ipcMain,
    dispatcher: core.dispatcher,
    bus: core.bus,
    log: log.child('ipc'),
    isTrustedFrame: createFrameCheck(rendererUrl),
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });
  core.bus.on('deposit.detected', (deposit) => {
    if (!Notification.isSupported()) return;
    new Notification({
      title: deposit.confirmed ? 'Deposit confirmed' : 'Deposit received',
      body: `${deposit.amountSats.toLocaleString('en-US')} sats`,
    }).show();
  });

  // A laptop closed with the wallet open must not stay open: timers stop while the OS sleeps.
  powerMonitor.on('suspend', () => core?.lockNow());
  powerMonitor.on('lock-screen', () => core?.lockNow());

  const open = () =>
    createMainWindow({ preloadPath: path.join(import.meta.dirname, '../preload/index.cjs'), rendererUrl });
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
}
