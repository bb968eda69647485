import { BrowserWindow, dialog } from 'electron';
import type { DesktopBackupHooks } from '../backup/service';

/**
 * The system's dialogs for backups: a folder to write backups into (new folders allowed), or a
 * `.flashbak` file to open. Shown over the focused window; null when the user cancels.
 */
export function createDesktopBackupHooks(): DesktopBackupHooks {
  return {
    async choose(kind) {
      const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options: Electron.OpenDialogOptions =
        kind === 'folder'
          ? { title: 'Backup folder', properties: ['openDirectory', 'createDirectory'] }
          : {
              title: 'Backup file',
              properties: ['openFile'],
              filters: [{ name: 'Flash backup', extensions: ['flashbak'] }],
            };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
