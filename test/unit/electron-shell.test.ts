import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import type { WebFrameMain } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterPack, FLASH_FUSES, fuseConfigFor } from '../../scripts/after-pack.mjs';
import { createFrameCheck } from '../../main/app/ipc-bridge';
import { isAppPage, rendererUrlFor } from '../../main/app/renderer-url';
import { PROFILE_IN_USE_MESSAGE } from '../../main/core/profile-lock';
import { tempDir } from '../support/core';

/**
 * No Electron binary exists here: these check the shell's pure parts (fuses, navigation, which
 * page to load) and run main/app/index.ts against a stand-in `electron` module typed loosely.
 */

describe('Electron fuses (electron-builder afterPack)', () => {
  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on asar integrity and asar-only', () => {
    expect(FLASH_FUSES).toEqual({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
  });

  it('redoes the ad-hoc signature only for macOS arm64 and universal builds', () => {
    expect(fuseConfigFor({ electronPlatformName: 'darwin', arch: 3 }).resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfigFor({ electronPlatformName: 'darwin', arch: 4 }).resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfigFor({ electronPlatformName: 'darwin', arch: 1 }).resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfigFor({ electronPlatformName: 'linux', arch: 3 }).resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfigFor({ electronPlatformName: 'win32', arch: 1 }).resetAdHocDarwinSignature).toBe(false);
  });

  it('hands the fuses to the packager for the packaged executable', async () => {
    const addElectronFuses = vi.fn(async () => undefined);
    const context = {
      electronPlatformName: 'linux',
      arch: 1,
      appOutDir: '/out',
      packager: { addElectronFuses },
    };
    await afterPack(context);
    expect(addElectronFuses).toHaveBeenCalledWith(context, {
      ...FLASH_FUSES,
      resetAdHocDarwinSignature: false,
    });
  });

  it('is wired into electron-builder.yml, and @electron/fuses is a devDependency', () => {
    const yml = fs.readFileSync('electron-builder.yml', 'utf8');
    expect(yml).toMatch(/^afterPack: \.\/scripts\/after-pack\.mjs$/m);
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies['@electron/fuses']).toBeDefined();
  });
});

describe('which page the window loads', () => {
  const appDir = path.join('/opt', 'flash', 'out', 'main');
  const file = 'file:///opt/flash/out/renderer/index.html';

  it('ignores ELECTRON_RENDERER_URL in a packaged app', () => {
    expect(rendererUrlFor({ appDir, packaged: true, devUrl: 'http://localhost:5173/' })).toBe(file);
  });
  it('uses a loopback dev server in an unpackaged app', () => {
    expect(rendererUrlFor({ appDir, packaged: false, devUrl: 'http://localhost:5173/' })).toBe(
      'http://localhost:5173/',
    );
    expect(rendererUrlFor({ appDir, packaged: false, devUrl: 'http://127.0.0.1:5173/' })).toBe(
      'http://127.0.0.1:5173/',
    );
  });
  it('never loads a dev URL off this machine, or not http', () => {
    for (const devUrl of [
      'https://evil.example/',
      'http://localhost.evil.example/',
      'file:///tmp/x.html',
      'nonsense',
    ]) {
      expect(rendererUrlFor({ appDir, packaged: false, devUrl }), devUrl).toBe(file);
    }
  });
  it('loads the built renderer without a dev URL', () => {
    expect(rendererUrlFor({ appDir, packaged: false, devUrl: undefined })).toBe(file);
  });
});

describe('navigation and IPC sender checks compare scheme, host and path', () => {
  const file = 'file:///opt/flash/out/renderer/index.html';
  const dev = 'http://localhost:5173/';

  it.each([
    [file, `${file}#/settings`, true],
    [file, `${file}?x=1`, true],
    [file, 'file:///tmp/evil/index.html', false],
    [file, 'file://evil-host/opt/flash/out/renderer/index.html', false],
    [file, 'https://evil.example/opt/flash/out/renderer/index.html', false],
    [dev, 'http://localhost:5173/#/wallet', true],
    [dev, 'http://evil.example:5173/', false],
    [dev, 'http://localhost:5174/', false],
    [dev, 'https://localhost:5173/', false],
    [dev, 'http://localhost:5173/other', false],
    [dev, 'not a url', false],
  ])('app %s, target %s: allowed = %s', (app, target, allowed) => {
    expect(isAppPage(target, app)).toBe(allowed);
  });

  it('trusts only a top-level frame showing our page', () => {
    const check = createFrameCheck(file);
    const frame = (url: string, parent: unknown = null) => ({ url, parent }) as unknown as WebFrameMain;
    expect(check(frame(file))).toBe(true);
    expect(check(frame(file, frame(file)))).toBe(false);
    expect(check(frame('file:///tmp/evil/index.html'))).toBe(false);
    expect(check(null)).toBe(false);
  });
});

describe('main/app/index.ts start-up', () => {
  afterEach(() => {
    vi.doUnmock('electron');
    vi.resetModules();
    vi.restoreAllMocks();
  });

  /** Just enough of Electron's `app` for the shell's start-up path. */
  function fakeElectron(opts: { singleInstance: boolean; userData: string }) {
    const app = Object.assign(new EventEmitter(), {
      isPackaged: false,
      requestSingleInstanceLock: vi.fn(() => opts.singleInstance),
      exit: vi.fn(),
      quit: vi.fn(),
      getPath: vi.fn(() => opts.userData),
      setPath: vi.fn(),
      getVersion: () => '0.0.0-test',
      // Never ready: these tests stop before a window would open.
      whenReady: vi.fn(() => new Promise<void>(() => {})),
    });
    const dialog = { showErrorBox: vi.fn() };
    vi.doMock('electron', () => ({
      app,
      dialog,
      BrowserWindow: { getAllWindows: () => [] },
      ipcMain: {},
      Menu: {},
      Notification: {},
      powerMonitor: new EventEmitter(),
      session: {},
    }));
    return { app, dialog };
  }

  it('a losing second instance says so and exits at once, before registering anything', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { app } = fakeElectron({ singleInstance: false, userData: tempDir('flash-electron-') });
    await import('../../main/app/index');
    expect(app.exit).toHaveBeenCalledWith(3);
    expect(stderr).toHaveBeenCalledWith(`${PROFILE_IN_USE_MESSAGE}.\n`);
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(app.eventNames()).toEqual([]);
  });

  it('exits when browser mode holds the profile, telling the user why', async () => {
    const userData = tempDir('flash-electron-');
    const lock = path.join(userData, 'profiles', 'default', 'flash.lock');
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    // The test runner's parent is alive and is not us: a live holder.
    fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, nonce: 'other', bootId: null, startedAt: 0 }));
    const { app, dialog } = fakeElectron({ singleInstance: true, userData });
    await import('../../main/app/index');
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'Flash',
      expect.stringContaining(PROFILE_IN_USE_MESSAGE),
    );
    expect(app.exit).toHaveBeenCalledWith(3);
    expect(app.whenReady).not.toHaveBeenCalled();
  });

  it('holds the profile lock while running and releases it on quit', async () => {
    const userData = tempDir('flash-electron-');
    const lock = path.join(userData, 'profiles', 'default', 'flash.lock');
    const { app } = fakeElectron({ singleInstance: true, userData });
    await import('../../main/app/index');
    expect(app.exit).not.toHaveBeenCalled();
    expect(app.whenReady).toHaveBeenCalled();
    expect(JSON.parse(fs.readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    app.emit('will-quit');
    expect(fs.existsSync(lock)).toBe(false);
  });
});
