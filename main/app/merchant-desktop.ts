import { BrowserWindow } from 'electron';
import type { DesktopMerchantHooks } from '../merchant/service';
import type { ReceiptLayout } from '../merchant/receipt';
import { isAppPage } from './renderer-url';

/**
 * What the merchant counter needs from Electron: the customer display (a second window of the
 * app's own page with `?display=customer`, hardened like the main window) and Chromium's PDF
 * printer for receipts (an offscreen window that runs no script, printed with printToPDF: no
 * dialog).
 */
export function createDesktopMerchantHooks(opts: {
  preloadPath: string;
  rendererUrl: () => string;
}): DesktopMerchantHooks {
  let display: BrowserWindow | null = null;
  return {
    openCustomerDisplay() {
      if (display && !display.isDestroyed()) {
        display.focus();
        return;
      }
      const rendererUrl = opts.rendererUrl();
      const url = new URL(rendererUrl);
      url.searchParams.set('display', 'customer');
      const win = new BrowserWindow({
        width: 900,
        height: 700,
        title: 'Flash — customer display',
        webPreferences: {
          preload: opts.preloadPath,
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          webSecurity: true,
          spellcheck: false,
          disableBlinkFeatures: 'Auxclick',
        },
      });
      win.webContents.on('will-navigate', (event, target) => {
        if (!isAppPage(target, rendererUrl)) event.preventDefault();
      });
      win.webContents.on('will-redirect', (event) => event.preventDefault());
      win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      win.on('closed', () => {
        display = null;
      });
      display = win;
      void win.loadURL(url.toString());
    },
    async printHtmlToPdf(html: string, layout: ReceiptLayout): Promise<Uint8Array> {
      const win = new BrowserWindow({
        show: false,
        webPreferences: {
          javascript: false,
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          disableBlinkFeatures: 'Auxclick',
        },
      });
      // The receipt is inert HTML, but a link in a shop's note must still go nowhere.
      win.webContents.on('will-navigate', (event) => event.preventDefault());
      win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      try {
        await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
        // Electron 45 takes a custom page size in inches; a thermal roll is cut to length.
        const pageSize =
          layout === 'a4' ? 'A4' : { width: layout === '80mm' ? 80 / 25.4 : 58 / 25.4, height: 11.7 };
        const pdf = await win.webContents.printToPDF({
          pageSize,
          printBackground: false,
          margins: { top: 0.1, bottom: 0.1, left: 0.1, right: 0.1 },
        });
        return new Uint8Array(pdf);
      } finally {
        win.destroy();
      }
    },
  };
}
