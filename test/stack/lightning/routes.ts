import { z } from 'zod';
import type { Route } from '../control-api';
import { BadRequest } from '../control-api';
import type { LedgerFault, LedgerInvoice, LedgerNode, LedgerPayment, LightningLedger } from './ledger';
import { LEDGER_FAULTS, LedgerPayError } from './ledger';

/** JSON for the control API: msat as decimal strings (JSON has no 64-bit integers). */
export function invoiceJson(i: LedgerInvoice) {
  return {
    node: i.node,
    bolt11: i.bolt11,
    paymentHash: i.paymentHash,
    amountMsat: i.amountMsat === null ? null : i.amountMsat.toString(),
    description: i.description,
    descriptionHash: i.descriptionHash,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    state: i.state,
    amountPaidMsat: i.amountPaidMsat.toString(),
    settledAt: i.settledAt,
  };
}

export function paymentJson(p: LedgerPayment) {
  return {
    index: p.index,
    from: p.from,
    to: p.to,
    bolt11: p.bolt11,
    paymentHash: p.paymentHash,
    amountMsat: p.amountMsat.toString(),
    feeMsat: p.feeMsat.toString(),
    state: p.state,
    failure: p.failure,
    preimage: p.preimage,
    createdAt: p.createdAt,
    settledAt: p.settledAt,
  };
}

function nodeJson(ledger: LightningLedger, n: LedgerNode) {
  const b = ledger.balance(n.name);
  return {
    name: n.name,
    pubkey: n.pubkey,
    alias: n.alias,
    balanceMsat: b.balanceMsat.toString(),
    spendableMsat: b.spendableMsat.toString(),
    fault: ledger.fault(n.name),
  };
}

const NodeName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/);
const Msat = z.string().regex(/^\d{1,20}$/);
const oneAmount = (a: { sats?: number | undefined; msat?: string | undefined }) =>
  !(a.sats !== undefined && a.msat !== undefined);

function msatOf(a: { sats?: number | undefined; msat?: string | undefined }): bigint | undefined {
  if (a.sats !== undefined) return BigInt(a.sats) * 1000n;
  if (a.msat !== undefined) return BigInt(a.msat);
  return undefined;
}

const NodeBody = z
  .object({ name: NodeName, alias: z.string().max(32).optional(), sats: z.number().int().min(0).optional() })
  .strict();
const FundBody = z
  .object({ node: NodeName, sats: z.number().int().positive().optional(), msat: Msat.optional() })
  .strict()
  .refine(oneAmount, 'give sats or msat, not both');
const InvoiceBody = z
  .object({
    node: NodeName,
    sats: z.number().int().positive().optional(),
    msat: Msat.optional(),
    description: z.string().max(639).optional(),
    descriptionHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    expirySeconds: z.number().int().min(1).max(31_536_000).optional(),
    /** false: an invoice without basic_mpp, which refuses to be paid in parts. */
    mpp: z.boolean().optional(),
  })
  .strict()
  .refine(oneAmount, 'give sats or msat, not both');
const PayBody = z
  .object({
    node: NodeName,
    invoice: z.string().min(1).max(8000),
    sats: z.number().int().positive().optional(),
    msat: Msat.optional(),
    maxFeeMsat: Msat.optional(),
    /** Pay only this part of the invoice's amount: one path of a multi-part payment. */
    partialMsat: Msat.optional(),
    /** false: answer as soon as the payment is in flight instead of waiting for its end. */
    wait: z.boolean().optional(),
  })
  .strict()
  .refine(oneAmount, 'give sats or msat, not both');
const FaultBody = z
  .object({ node: NodeName, mode: z.enum(LEDGER_FAULTS as unknown as [LedgerFault, ...LedgerFault[]]) })
  .strict();

function nodeParam(url: URL, ledger: LightningLedger): string {
  const name = url.searchParams.get('node') ?? '';
  if (!ledger.hasNode(name)) throw new BadRequest(`no node "${name}"; see GET /lightning/nodes`);
  return name;
}

function known(ledger: LightningLedger, name: string): string {
  if (!ledger.hasNode(name)) throw new BadRequest(`no node "${name}"; see GET /lightning/nodes`);
  return name;
}

/** Control routes of the fake Lightning network (`/lightning/...`). */
export function ledgerRoutes(ledger: LightningLedger): Route[] {
  return [
    {
      method: 'GET',
      path: '/lightning/nodes',
      handler: () => ({ network: ledger.network, nodes: ledger.listNodes().map((n) => nodeJson(ledger, n)) }),
    },
    {
      method: 'POST',
      path: '/lightning/node',
      handler: (body) => {
        const { name, alias, sats } = NodeBody.parse(body);
        if (ledger.hasNode(name)) throw new BadRequest(`node "${name}" exists`);
        const node = ledger.createNode(name, {
          ...(alias !== undefined ? { alias } : {}),
          balanceMsat: BigInt(sats ?? 0) * 1000n,
        });
        return nodeJson(ledger, node);
      },
    },
    {
      method: 'POST',
      path: '/lightning/fund',
      handler: (body) => {
        const parsed = FundBody.parse(body);
        const msat = msatOf(parsed);
        if (msat === undefined) throw new BadRequest('give sats or msat');
        ledger.fund(known(ledger, parsed.node), msat);
        return nodeJson(ledger, ledger.node(parsed.node));
      },
    },
    {
      method: 'POST',
      path: '/lightning/invoice',
      handler: (body) => {
        const parsed = InvoiceBody.parse(body);
        const amountMsat = msatOf(parsed) ?? null;
        const invoice = ledger.createInvoice(known(ledger, parsed.node), {
          amountMsat,
          ...(parsed.descriptionHash !== undefined
            ? { descriptionHash: parsed.descriptionHash }
            : { description: parsed.description ?? '' }),
          ...(parsed.expirySeconds !== undefined ? { expirySeconds: parsed.expirySeconds } : {}),
          ...(parsed.mpp === false ? { features: [8, 14] } : {}),
        });
        return invoiceJson(invoice);
      },
    },
    {
      method: 'POST',
      path: '/lightning/pay',
      handler: async (body) => {
        const parsed = PayBody.parse(body);
        const from = known(ledger, parsed.node);
        const amountMsat = msatOf(parsed);
        try {
          const opts = {
            ...(amountMsat !== undefined ? { amountMsat } : {}),
            ...(parsed.maxFeeMsat !== undefined ? { maxFeeMsat: BigInt(parsed.maxFeeMsat) } : {}),
            ...(parsed.partialMsat !== undefined ? { partialMsat: BigInt(parsed.partialMsat) } : {}),
          };
          const payment =
            parsed.wait === false
              ? ledger.startPayment(from, parsed.invoice, opts)
              : await ledger.pay(from, parsed.invoice, opts);
          return paymentJson(payment);
        } catch (err) {
          if (err instanceof LedgerPayError) throw new BadRequest(`${err.failure}: ${err.message}`);
          throw err;
        }
      },
    },
    {
      method: 'GET',
      path: '/lightning/payments',
      handler: (_body, url) => ({ payments: ledger.listPayments(nodeParam(url, ledger)).map(paymentJson) }),
    },
    {
      method: 'GET',
      path: '/lightning/invoices',
      handler: (_body, url) => ({ invoices: ledger.listInvoices(nodeParam(url, ledger)).map(invoiceJson) }),
    },
    {
      method: 'POST',
      path: '/lightning/fault',
      handler: (body) => {
        const { node, mode } = FaultBody.parse(body);
        ledger.setFault(known(ledger, node), mode);
        return { node, mode };
      },
    },
  ];
}
