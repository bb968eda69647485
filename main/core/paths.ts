import os from 'node:os';
import path from 'node:path';

/** Electron's default userData folder, so browser mode without --data-dir opens the same profile. */
export function defaultDataDir(productName = 'Flash Desktop'): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', productName);
    case 'win32':
      return path.join(process.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), productName);
    default:
      return path.join(process.env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), productName);
  }
}
