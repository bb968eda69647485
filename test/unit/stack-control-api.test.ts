import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../test/stack/index';
import { startStack } from '../../test/stack/index';

const ALICE = 'bcrt1qn7d2x7272lznt5hhk9s07q3cqnrqljnwladrd3';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack.stop();
});

async function call(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(stack.controlUrl + path, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

describe('stack control API', () => {
  it('binds loopback and reports the chain and the Electrum endpoints', async () => {
    expect(stack.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.electrum).toMatchObject({ host: '127.0.0.1', transport: 'tcp' });
    expect(stack.electrumTls).toMatchObject({ host: '127.0.0.1', transport: 'tls' });
    const { status, json } = await call('GET', '/info');
    expect(status).toBe(200);
    expect(json).toMatchObject({
      tipHeight: stack.chain.tipHeight,
      electrum: { port: stack.electrum.port },
      electrumTls: { port: stack.electrumTls.port },
      fault: 'none',
    });
  });

  it('sends, mines and sets faults', async () => {
    const sent = await call('POST', '/send', { address: ALICE, sats: 50_000 });
    expect(sent.status).toBe(200);
    const { txid } = sent.json as { txid: string };
    expect(stack.chain.mempoolTxids()).toContain(txid);
    const before = stack.chain.tipHeight;
    const mined = await call('POST', '/mine', { blocks: 3, address: ALICE });
    expect(mined.json).toMatchObject({ tipHeight: before + 3 });
    expect(stack.chain.transactionHeight(txid)).toBe(before + 1);
    expect((await call('POST', '/fault', { mode: 'silent' })).json).toEqual({ mode: 'silent' });
    expect(stack.electrumServer.fault).toBe('silent');
    await call('POST', '/fault', { mode: 'none' });
  });

  it('answers bad input with a clear 400', async () => {
    const cases: [string, unknown][] = [
      ['/send', { address: 'not-an-address', sats: 1000 }],
      ['/send', { address: ALICE, sats: 1.5 }],
      ['/send', { address: ALICE }],
      ['/send', { address: ALICE, sats: 10 }],
      ['/send', { address: ALICE, sats: 100_000_000_000_000 }],
      ['/mine', { blocks: 0 }],
      ['/mine', { blocks: 1, address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' }],
      ['/fault', { mode: 'broken' }],
      ['/mine', '{oops'],
    ];
    for (const [path, body] of cases) {
      const { status, json } = await call('POST', path, body);
      expect(status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect((json as { error: string }).error.length).toBeGreaterThan(3);
    }
    expect((await call('GET', '/nowhere')).status).toBe(404);
    expect((await call('GET', '/mine')).status).toBe(405);
  });
});

describe('npm run stack (cli.ts)', () => {
  it('prints STACK_READY with its endpoints and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/stack/cli.ts', '--control-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    try {
      const ready = await new Promise<{ controlUrl: string; electrum: { port: number } }>(
        (resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no STACK_READY in: ${out}`)), 15_000);
          child.stdout.on('data', (chunk: string) => {
            out += chunk;
            const line = out.split('\n').find((l) => l.startsWith('STACK_READY '));
            if (line && out.endsWith('\n')) {
              clearTimeout(timer);
              resolve(
                JSON.parse(line.slice('STACK_READY '.length)) as {
                  controlUrl: string;
                  electrum: { port: number };
                },
              );
            }
          });
          child.on('exit', () => reject(new Error(`exited early: ${out}`)));
        },
      );
      expect(out).toMatch(/Electrum \(tcp\)\s+127\.0\.0\.1:\d+/);
      const info = (await (await fetch(ready.controlUrl + '/info')).json()) as { electrum: { port: number } };
      expect(info.electrum.port).toBe(ready.electrum.port);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
