import { FlashError, type ErrorCode } from '../../../shared/errors';

export const HARDENED = 0x80000000;

export type HardenedMarker = "'" | 'h';

/** Parses `84'/0'/0'`, `m/84h/0h/0h` or `84H/...` into child numbers (hardened ones >= 2^31). */
export function parsePath(
  path: string,
  what = 'derivation path',
  code: ErrorCode = 'DESCRIPTOR_INVALID',
): number[] {
  let text = path.trim();
  if (text === 'm' || text === '') return [];
  if (text.startsWith('m/')) text = text.slice(2);
  return text.split('/').map((step) => {
    const match = /^(\d+)(['hH]?)$/.exec(step);
    const value = match ? Number(match[1]) : NaN;
    if (!match || !Number.isSafeInteger(value) || value >= HARDENED) {
      throw new FlashError(
        code,
        `“${step}” is not a valid step in the ${what}. Steps are numbers below 2147483648, optionally followed by ' or h for hardened.`,
        { reason: 'bad_path_step', step },
      );
    }
    return match[2] ? value + HARDENED : value;
  });
}

export function formatStep(child: number, marker: HardenedMarker = "'"): string {
  return child >= HARDENED ? `${child - HARDENED}${marker}` : String(child);
}

/** `[84', 0', 0']` -> `m/84'/0'/0'` (or without `m/` for a descriptor origin). */
export function formatPath(path: readonly number[], marker: HardenedMarker = "'", withRoot = true): string {
  const steps = path.map((c) => formatStep(c, marker)).join('/');
  if (!withRoot) return steps;
  return steps === '' ? 'm' : `m/${steps}`;
}
