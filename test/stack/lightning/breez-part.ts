import { randomUUID } from 'node:crypto';
import type { Config, LiquidNetwork, SdkEvent } from '@breeztech/breez-sdk-liquid/node';
import { z } from 'zod';
import type { RegtestChain } from '../chain';
import type { Route } from '../control-api';
import { BadRequest } from '../control-api';
import type { BreezFault, FakeBreezSdk } from './breez-fake';
import { BREEZ_FAULTS, BreezStandIn } from './breez-fake';
import type { LightningLedger } from './ledger';

/**
 * The Breez stand-in served over the stack's control API, for the app in browser mode with
 * `--breez-stand-in <control URL>` (main/lightning/breez/remote.ts is its client): each SDK call
 * is one JSON POST answered by a FakeBreezSdk, events are long-polled. Also the routes a test or
 * a person uses to act as the outside world: a payer's deposit to a swap address, and faults.
 */

const SDK_METHODS = new Set<keyof FakeBreezSdk>([
  'disconnect',
  'getInfo',
  'getPayment',
  'listPayments',
  'prepareSendPayment',
  'sendPayment',
  'prepareReceivePayment',
  'receivePayment',
  'preparePayOnchain',
  'payOnchain',
  'fetchLightningLimits',
  'fetchOnchainLimits',
  'listRefundables',
  'prepareRefund',
  'refund',
  'rescanOnchainSwaps',
  'fetchPaymentProposedFees',
  'acceptPaymentProposedFees',
  'sync',
  'parse',
  'recommendedFees',
]);

interface Session {
  sdk: FakeBreezSdk;
  events: { seq: number; event: SdkEvent }[];
  seq: number;
  waiters: Set<() => void>;
}

const ConnectBody = z
  .object({
    network: z.enum(['mainnet', 'testnet', 'regtest']),
    fingerprint: z.string().regex(/^[0-9a-f]{8}$/),
  })
  .strict();
const CallBody = z.object({ session: z.string(), method: z.string(), arg: z.unknown() }).strict();
const EventsBody = z
  .object({
    session: z.string(),
    after: z.number().int().min(0),
    waitMs: z.number().int().min(0).max(30_000),
  })
  .strict();
const DepositBody = z
  .object({
    address: z.string().min(14).max(120),
    sats: z.number().int().positive(),
    feesChanged: z.boolean().optional(),
  })
  .strict();
const FaultBody = z
  .object({ mode: z.enum(BREEZ_FAULTS as unknown as [BreezFault, ...BreezFault[]]) })
  .strict();

const MAX_EVENTS_KEPT = 500;

export interface BreezPart {
  standIn: BreezStandIn;
  routes: Route[];
  stop(): Promise<void>;
}

export function startBreezPart(opts: { ledger: LightningLedger; chain?: RegtestChain }): BreezPart {
  const standIn = new BreezStandIn({
    ledger: opts.ledger,
    stepMs: 400,
    ...(opts.chain
      ? {
          sendOnchain: (address: string, sats: number) => ({
            txid: (opts.chain as RegtestChain).send(address, sats).txid,
          }),
          bitcoinTip: () => (opts.chain as RegtestChain).tipHeight,
        }
      : {}),
  });
  const sessions = new Map<string, Session>();

  function session(id: string): Session {
    const s = sessions.get(id);
    if (!s) throw new Error('Liquid SDK instance is not running');
    return s;
  }

  const routes: Route[] = [
    {
      method: 'POST',
      path: '/lightning/breez/connect',
      handler: async (body) => {
        const { network, fingerprint } = ConnectBody.parse(body);
        const config = { network: network as LiquidNetwork, paymentTimeoutSec: 15 } as Config;
        const sdk = standIn.connectFingerprint(config, fingerprint);
        const id = randomUUID();
        const s: Session = { sdk, events: [], seq: 0, waiters: new Set() };
        await sdk.addEventListener({
          onEvent: (event) => {
            s.events.push({ seq: ++s.seq, event });
            if (s.events.length > MAX_EVENTS_KEPT) s.events.shift();
            for (const wake of [...s.waiters]) wake();
          },
        });
        sessions.set(id, s);
        return { session: id };
      },
    },
    {
      method: 'POST',
      path: '/lightning/breez/call',
      handler: async (body) => {
        const { session: id, method, arg } = CallBody.parse(body);
        if (!SDK_METHODS.has(method as keyof FakeBreezSdk)) throw new BadRequest(`no SDK method ${method}`);
        const s = session(id);
        const fn = (s.sdk as unknown as Record<string, (a: unknown) => Promise<unknown>>)[method] as (
          a: unknown,
        ) => Promise<unknown>;
        const value = await fn.call(s.sdk, arg);
        if (method === 'disconnect') sessions.delete(id);
        return value ?? null;
      },
    },
    {
      method: 'POST',
      path: '/lightning/breez/events',
      handler: async (body) => {
        const { session: id, after, waitMs } = EventsBody.parse(body);
        const s = session(id);
        if (!s.events.some((e) => e.seq > after) && waitMs > 0) {
          await new Promise<void>((resolve) => {
            const wake = () => {
              s.waiters.delete(wake);
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(wake, waitMs);
            s.waiters.add(wake);
          });
        }
        const events = s.events.filter((e) => e.seq > after);
        return { events: events.map((e) => e.event), next: events.at(-1)?.seq ?? Math.max(after, s.seq) };
      },
    },
    {
      method: 'POST',
      path: '/lightning/breez/deposit',
      handler: (body) => {
        const { address, sats, feesChanged } = DepositBody.parse(body);
        try {
          return standIn.deposit(address, sats, feesChanged ? { feesChanged } : {});
        } catch (err) {
          throw new BadRequest(err instanceof Error ? err.message : String(err));
        }
      },
    },
    {
      method: 'POST',
      path: '/lightning/breez/fault',
      handler: (body) => {
        standIn.setFault(FaultBody.parse(body).mode);
        return { mode: standIn.currentFault() };
      },
    },
    {
      method: 'GET',
      path: '/lightning/breez',
      handler: () => ({
        fault: standIn.currentFault(),
        fees: standIn.fees,
        limits: standIn.limits,
        wallets: standIn.listWallets(),
        openSwapAddresses: standIn.openSwapAddresses(),
      }),
    },
  ];
  return {
    standIn,
    routes,
    stop: async () => {
      for (const s of sessions.values()) for (const wake of [...s.waiters]) wake();
      sessions.clear();
      standIn.close();
    },
  };
}
