import type { SpawnOptions } from 'node:child_process';

export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(exit: ChildExit): string;
export function exitStatusFor(exit: Pick<ChildExit, 'code' | 'signal'>): number;

export interface Supervisor {
  start<T = unknown>(
    name: string,
    command: string,
    args: string[],
    readyPrefix: string,
    options?: SpawnOptions,
  ): Promise<T>;
  stopAll(): Promise<void>;
  firstExit: Promise<ChildExit>;
}

export function createSupervisor(): Supervisor;
