import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { BUNDLED_DEPS } from '../scripts/bundled-deps';

export interface ProcessFigures {
  /** Process start to the core built and started (database open, services started). */
  readyMs: number;
  /** Process start to the wallet synced. */
  syncedMs: number;
  /** Ready to synced. */
  afterReadyMs: number;
  rssBytes: number;
  /** Spawn to exit, as the parent saw it. */
  wallMs: number;
  /** After the sync, the identity's DM inbox loaded from a relay: messages, time, RSS then. */
  inbox?: { messages: number; ms: number; rss: number };
}

/** Packages left in node_modules, as electron-vite leaves them: every dependency not bundled. */
function externalPackages(): string[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8'),
  ) as { dependencies: Record<string, string> };
  const bundled = new Set<string>(BUNDLED_DEPS);
  return Object.keys(manifest.dependencies)
    .filter((name) => !bundled.has(name))
    .flatMap((name) => [name, `${name}/*`]);
}

/**
 * Bundles bench/child/app.ts as electron-vite bundles main (our code and the start-up packages
 * of scripts/bundled-deps.ts in one file, other packages left to node_modules, the inbox's unwrap
 * worker as its own file beside it), so the child starts like the built app, not through a
 * TypeScript loader.
 */
export async function bundleAppChild(): Promise<string> {
  // Packages resolve from the checkout's node_modules, as the built app's do.
  const dir = path.join(import.meta.dirname, '..', 'node_modules', '.flash-bench-child');
  fs.rmSync(dir, { recursive: true, force: true });
  await build({
    entryPoints: {
      app: path.join(import.meta.dirname, 'child/app.ts'),
      'nostr-unwrap-worker': path.join(import.meta.dirname, '../main/nostr/inbox/unwrap-worker.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: externalPackages(),
    // Bundled CommonJS code calls require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as flashRequire } from 'node:module'; const require = flashRequire(import.meta.url);",
    },
    outdir: dir,
    outExtension: { '.js': '.js' },
    logLevel: 'silent',
  });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  return path.join(dir, 'app.js');
}

export function runAppChild(script: string, args: string[]): Promise<ProcessFigures> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`app child exited ${code}: ${err.slice(0, 500)}`));
        return;
      }
      const f = JSON.parse(line) as {
        ready: number;
        synced: number;
        rss: number;
        inbox?: { messages: number; ms: number; rss: number };
      };
      resolve({
        readyMs: f.ready,
        syncedMs: f.synced,
        afterReadyMs: f.synced - f.ready,
        rssBytes: f.rss,
        wallMs,
        ...(f.inbox ? { inbox: f.inbox } : {}),
      });
    });
  });
}
