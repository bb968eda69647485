import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { BUNDLED_DEPS } from './scripts/bundled-deps';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin({ exclude: [...BUNDLED_DEPS] })],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('main/app/index.ts'),
          headless: resolve('main/headless/cli.ts'),
          // Worker thread opening NIP-17 gift wraps (main/nostr/inbox/unwrap-pool.ts finds it here).
          'nostr-unwrap-worker': resolve('main/nostr/inbox/unwrap-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
