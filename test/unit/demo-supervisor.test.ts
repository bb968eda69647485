import { describe, expect, it } from 'vitest';
import { createSupervisor, describeExit, exitStatusFor } from '../../scripts/supervise.mjs';

/** A Node child that says it is ready (with its pid), then runs `then`. */
const child = (then: string): string[] => [
  '-e',
  `console.log('READY ' + JSON.stringify({ pid: process.pid })); ${then}`,
];
const FOREVER = 'setInterval(() => {}, 1000);';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('demo supervisor', () => {
  it('reports the child that ended with its code, and stops the other', async () => {
    const sup = createSupervisor();
    const stack = await sup.start<{ pid: number }>('the stack', process.execPath, child(FOREVER), 'READY ');
    await sup.start('the app', process.execPath, child('setTimeout(() => process.exit(3), 10);'), 'READY ');
    const exit = await sup.firstExit;
    expect(exit).toEqual({ name: 'the app', code: 3, signal: null });
    expect(describeExit(exit)).toBe('the app exited with code 3');
    expect(exitStatusFor(exit)).toBe(3);
    expect(alive(stack.pid)).toBe(true);
    await sup.stopAll();
    expect(alive(stack.pid)).toBe(false);
  });

  it('reports a child killed by a signal', async () => {
    const sup = createSupervisor();
    const stack = await sup.start<{ pid: number }>('the stack', process.execPath, child(FOREVER), 'READY ');
    const app = await sup.start<{ pid: number }>('the app', process.execPath, child(FOREVER), 'READY ');
    process.kill(app.pid, 'SIGKILL');
    const exit = await sup.firstExit;
    expect(exit).toEqual({ name: 'the app', code: null, signal: 'SIGKILL' });
    expect(describeExit(exit)).toBe('the app was killed by SIGKILL');
    expect(exitStatusFor(exit)).toBe(137);
    await sup.stopAll();
    expect(alive(stack.pid)).toBe(false);
  });

  it('kills a child that ignores SIGTERM', async () => {
    const sup = createSupervisor();
    const stubborn = await sup.start<{ pid: number }>(
      'the stack',
      process.execPath,
      ['-e', `process.on('SIGTERM', () => {}); ${child(FOREVER)[1]}`],
      'READY ',
    );
    await sup.stopAll();
    expect(alive(stubborn.pid)).toBe(false);
  });

  it('rejects start with the exit when a child ends before it is ready', async () => {
    const sup = createSupervisor();
    await expect(
      sup.start('the app', process.execPath, ['-e', 'process.exit(5)'], 'READY '),
    ).rejects.toMatchObject({
      message: 'the app exited with code 5 before it was ready',
      exit: { name: 'the app', code: 5, signal: null },
    });
  });

  it('treats a clean exit of a long-running child as a failure, and stopping as none', async () => {
    expect(exitStatusFor({ code: 0, signal: null })).toBe(1);
    const sup = createSupervisor();
    await sup.start('the stack', process.execPath, child(FOREVER), 'READY ');
    let reported = false;
    void sup.firstExit.then(() => (reported = true));
    await sup.stopAll();
    await new Promise((r) => setImmediate(r));
    expect(reported).toBe(false);
  });
});
