import type { MethodName } from '../../../shared/contract';
import type { PriceService } from '../../prices/service';
import type { Handlers } from '../dispatcher';

type PricesMethod = Extract<MethodName, `prices.${string}`>;

/** Binds fiat prices (main/prices); routing only. */
export function createPricesHandlers(s: { prices: PriceService }): Pick<Handlers, PricesMethod> {
  return {
    'prices.get': () => s.prices.status(),
    'prices.configure': (patch) => s.prices.configure(patch),
    'prices.refresh': () => s.prices.refresh(),
  };
}
