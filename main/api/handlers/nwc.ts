import type { MethodName } from '../../../shared/contract';
import type { NwcAppServices } from '../../lightning/nwc/wire';
import { parsePubkey } from '../../nostr/identity';
import type { ValidZap } from '../../nostr/zap-receipt';
import type { Handlers } from '../dispatcher';

type NwcMethod = Extract<MethodName, `nwcService.${string}` | `zaps.${string}`>;

const zapView = (z: ValidZap) => ({
  receiptId: z.receiptId,
  sender: z.sender,
  recipient: z.recipient,
  eventId: z.eventId,
  amountSats: Number(z.amountMsat / 1000n),
  comment: z.comment,
  paidAt: z.paidAt,
});

/** Binds Flash's NWC service (apps spending from Flash) and zaps; routing only. */
export function createNwcHandlers(
  s: { nwc: NwcAppServices },
  now: () => number = Date.now,
): Pick<Handlers, NwcMethod> {
  return {
    'nwcService.list': () => s.nwc.nwcService.list(),
    'nwcService.create': async ({ name, budgetSats, budgetPeriod, expiresInDays, methods }) => {
      const { connection, uri } = await s.nwc.nwcService.create({
        name,
        budgetSats,
        budgetPeriod,
        methods,
        ...(expiresInDays !== undefined
          ? { expiresAt: Math.floor(now() / 1000) + expiresInDays * 86_400 }
          : {}),
      });
      return { connection, uri };
    },
    'nwcService.revoke': ({ id }) => s.nwc.nwcService.revoke(id),
    'zaps.send': ({ recipient, eventId, eventKind, amountSats, comment }) =>
      s.nwc.zaps.zap({
        recipient: parsePubkey(recipient),
        ...(eventId ? { event: { id: eventId, kind: eventKind ?? 42 } } : {}),
        amountSats,
        comment,
      }),
    'zaps.list': async ({ recipient, eventIds }) =>
      (
        await s.nwc.zaps.receipts({
          ...(recipient ? { recipient: parsePubkey(recipient) } : {}),
          ...(eventIds ? { eventIds } : {}),
        })
      ).map(zapView),
  };
}
