import type { FlashClient } from '../shared/bridge';

declare global {
  interface Window {
    /** Defined by the Electron preload; absent in browser mode (see app/bridge.ts). */
    flash?: FlashClient;
  }
}

export {};
