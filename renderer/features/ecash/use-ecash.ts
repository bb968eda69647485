import { useCallback } from 'react';
import type { EcashMintView, EcashOperationView } from '../../../shared/contract/ecash';
import { useFlash } from '../../app/flash-context';
import type { Query } from '../../app/hooks';
import { useFlashEvent, useQuery } from '../../app/hooks';

/** The trusted mints with their balances, refreshed when main says a mint or a balance changed. */
export function useMints(): Query<EcashMintView[]> {
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.ecash.listMints(), [flash]));
  useFlashEvent('ecash.mint', () => query.reload());
  useFlashEvent('ecash.balance', () => query.reload());
  return query;
}

/** The journal's top-level operations, newest first, refreshed on every state change. */
export function useOperations(limit: number): Query<{ items: EcashOperationView[]; total: number }> {
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.ecash.listOperations({ limit, offset: 0 }), [flash, limit]));
  useFlashEvent('ecash.operation', () => query.reload());
  return query;
}

/** Main's latest word on one operation: its events replace what the call answered. */
export function useLiveOperation(op: EcashOperationView | null, set: (op: EcashOperationView) => void): void {
  useFlashEvent('ecash.operation', (next) => {
    if (op && next.id === op.id) set(next);
  });
}
