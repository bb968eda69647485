import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { PriceSettings, PriceStatus } from '../../../shared/contract/prices';
import { useFlash } from '../../app/flash-context';
import { useLiveValue, useOnReconnect } from '../../app/hooks';
import { call } from '../../app/result';

interface PricesValue {
  /** null until loaded, or when the bridge refuses it (cashier mode). */
  status: PriceStatus | null;
  /** A clock for the rate's age, ticking every 15 s. */
  now: number;
  configure: (patch: Partial<PriceSettings>) => Promise<PriceStatus>;
  refresh: () => Promise<PriceStatus>;
}

const PricesContext = createContext<PricesValue | null>(null);

const AGE_TICK_MS = 15_000;

/** Loads the fiat price and follows 'prices.changed', for every amount on screen. */
export function PricesProvider({ children }: { children: ReactNode }) {
  const flash = useFlash();
  const live = useLiveValue(
    useCallback(() => flash.prices.get(), [flash]),
    'prices.changed',
  );
  const { set, reload } = live;
  useOnReconnect(reload);
  const [now, setNow] = useState(() => Date.now());
  const on = live.value !== undefined && live.value.state !== 'off';
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), AGE_TICK_MS);
    return () => clearInterval(timer);
  }, [on]);
  const configure = useCallback(
    async (patch: Partial<PriceSettings>) => {
      const next = await call(flash.prices.configure(patch));
      set(next);
      return next;
    },
    [flash, set],
  );
  const refresh = useCallback(async () => {
    const next = await call(flash.prices.refresh({}));
    set(next);
    return next;
  }, [flash, set]);
  const value = useMemo(
    () => ({ status: live.value ?? null, now, configure, refresh }),
    [live.value, now, configure, refresh],
  );
  return <PricesContext value={value}>{children}</PricesContext>;
}

/** The prices context, or null outside the app shell (the customer display, lone components). */
export function usePrices(): PricesValue | null {
  return useContext(PricesContext);
}
