import type { MethodName } from '../../../shared/contract';
import { urProgress } from '../../scan/ur-progress';
import type { Handlers } from '../dispatcher';

type ScanMethod = Extract<MethodName, `scan.${string}`>;

/** Camera scanning's one call into main: routing only. */
export function createScanHandlers(): Pick<Handlers, ScanMethod> {
  return {
    'scan.urProgress': ({ parts }) => urProgress(parts),
  };
}
