import type { MethodName } from '../../../shared/contract';
import type { ActivityService } from '../../activity/service';
import type { LightningService } from '../../lightning/service';
import type { Handlers } from '../dispatcher';
import { createLightningSwapHandlers } from './lightning-swaps';

type LightningMethod = Extract<MethodName, `lightning.${string}` | `activity.${string}`>;

const DONE = { done: true } as const;
const msat = (v: string | undefined): bigint | undefined => (v === undefined ? undefined : BigInt(v));

/** Binds the Lightning and activity-feed methods to their services; routing only. */
export function createLightningHandlers(s: {
  lightning: LightningService;
  activity: ActivityService;
}): Pick<Handlers, LightningMethod> {
  return {
    'lightning.listProviders': () => s.lightning.listProviders(),
    'lightning.connectProvider': (input) => s.lightning.connectProvider(input),
    'lightning.removeProvider': async ({ providerId }) => {
      await s.lightning.removeProvider(providerId);
      return DONE;
    },
    'lightning.setDefaultProvider': ({ providerId }) => s.lightning.setDefaultProvider(providerId),
    'lightning.getStatus': ({ providerId }) => s.lightning.status(providerId),
    'lightning.parse': ({ text }) => s.lightning.describe(text),
    'lightning.prepare': ({ text, providerId, amountMsat, comment, maxFeeMsat }) =>
      s.lightning.prepare({
        text,
        ...(providerId !== undefined ? { providerId } : {}),
        ...(amountMsat !== undefined ? { amountMsat: BigInt(amountMsat) } : {}),
        ...(comment !== undefined && comment !== '' ? { comment } : {}),
        ...(maxFeeMsat !== undefined ? { maxFeeMsat: BigInt(maxFeeMsat) } : {}),
      }),
    'lightning.confirm': ({ prepareId }) => s.lightning.confirm(prepareId),
    'lightning.createInvoice': async ({ providerId, amountMsat, description, expirySeconds }) => {
      const amount = msat(amountMsat);
      const { paymentId: _paymentId, ...view } = await s.lightning.createInvoice({
        description,
        ...(providerId !== undefined ? { providerId } : {}),
        ...(amount !== undefined ? { amountMsat: amount } : {}),
        ...(expirySeconds !== undefined ? { expirySeconds } : {}),
      });
      return view;
    },
    'lightning.listPayments': ({ limit, offset }) => s.lightning.listPayments(limit, offset),
    'lightning.getPayment': ({ id }) => s.lightning.getPayment(id),
    'lightning.withdraw': ({ text, amountMsat, providerId }) =>
      s.lightning.withdraw(text, BigInt(amountMsat), providerId),
    'lightning.auth': ({ text }) => s.lightning.auth(text),
    'activity.feed': (input) => s.activity.feed(input),
    'activity.exportCsv': (input) => ({ csv: s.activity.exportCsv(input) }),
    ...createLightningSwapHandlers(s.lightning.swaps),
  };
}
