import type { Reward, RewardRules } from '../../../shared/contract/merchant';
import { RewardRules as RewardRulesSchema } from '../../../shared/contract/merchant';
import { FlashError } from '../../../shared/errors';
import type { Logger } from '../../core/logger';
import { satsToBtc } from '../btc-amounts';
import type { Greenfield, GreenfieldSchemas } from '../greenfield/client';
import { call } from '../greenfield/client';
import type { MerchantRepository, RewardRow } from '../repository';
import type { PayoutFacts, PullPaymentFacts } from './claims';
import {
  cardRewardOfName,
  invoiceOfRewardTag,
  isCardRewardRef,
  isEcashRewardRef,
  rewardStatus,
  rewardTag,
} from './claims';
import type { RewardableSale } from './rules';
import { DEFAULT_REWARD_RULES, rewardFor } from './rules';

/**
 * Rewards after a paid sale: a BTCPay pull payment (auto-approved, Lightning only, expiring) whose
 * LNURL-withdraw the customer scans, or receives by NOSTR. Issuing is journaled before the POST
 * and done once per sale: the pull payment names its sale, so a retry, a restart or another
 * counter of the store finds it instead of paying twice. Claims are read back from BTCPay.
 */

const DAY_MS = 86_400_000;
const rulesKey = (storeId: string) => `reward_rules:${storeId}`;

/** Greenfield's pull payment list carries startsAt/expiresAt beyond the spec's PullPaymentData. */
type PullPaymentData = GreenfieldSchemas['PullPaymentData'] & {
  startsAt?: number | null;
  expiresAt?: number | null;
};

export interface IssueInput {
  storeId: string;
  serverUrl: string;
  storeCurrency: string;
  sale: RewardableSale & { invoiceId: string; orderId: string };
  /** A stamp card's reward for its Nth sale, already decided (the per-sale rules do not apply). */
  stampSats?: number;
}

export interface RewardsDeps {
  repo: MerchantRepository;
  log: Logger;
  now: () => number;
}

function facts(pp: PullPaymentData): PullPaymentFacts {
  return {
    id: pp.id ?? '',
    description: pp.description ?? '',
    amount: pp.amount ?? '0',
    currency: pp.currency ?? '',
    archived: pp.archived === true,
    startsAt: typeof pp.startsAt === 'number' ? pp.startsAt : null,
    expiresAt: typeof pp.expiresAt === 'number' ? pp.expiresAt : null,
  };
}

function payoutFacts(p: GreenfieldSchemas['PayoutData']): PayoutFacts {
  return {
    pullPaymentId: p.pullPaymentId ?? '',
    state: p.state ?? '',
    payoutAmount: p.payoutAmount ?? null,
    originalAmount: p.originalAmount ?? null,
  };
}

/** A reward of the store, as found on BTCPay: its pull payment and the sale it belongs to. */
export interface StoreReward {
  invoiceId: string;
  pullPayment: PullPaymentFacts;
  status: ReturnType<typeof rewardStatus>;
}

export function createRewards(deps: RewardsDeps) {
  const { repo, log, now } = deps;
  /** One issue at a time per sale: the automatic one and a cashier's retry share it. */
  const issuing = new Map<string, Promise<Reward | null>>();

  function rules(storeId: string): RewardRules {
    const raw = repo.setting(rulesKey(storeId));
    if (!raw) return DEFAULT_REWARD_RULES;
    try {
      const parsed = RewardRulesSchema.safeParse({ ...DEFAULT_REWARD_RULES, ...(JSON.parse(raw) as object) });
      return parsed.success ? parsed.data : DEFAULT_REWARD_RULES;
    } catch {
      return DEFAULT_REWARD_RULES;
    }
  }

  async function pullPayments(gf: Greenfield, storeId: string): Promise<PullPaymentData[]> {
    return (await call('list the store’s pull payments', () =>
      gf.GET('/api/v1/stores/{storeId}/pull-payments', {
        params: { path: { storeId }, query: { includeArchived: true } },
      }),
    )) as PullPaymentData[];
  }

  async function lnurlOf(gf: Greenfield, pullPaymentId: string): Promise<string | null> {
    try {
      const data = await call('read the reward’s LNURL', () =>
        gf.GET('/api/v1/pull-payments/{pullPaymentId}/lnurl', { params: { path: { pullPaymentId } } }),
      );
      return data.lnurlBech32 ?? null;
    } catch (err) {
      log.warn('reward without LNURL', { error: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  function view(
    serverUrl: string,
    invoiceId: string,
    pp: PullPaymentFacts,
    status: StoreReward['status'],
    lnurl: string | null,
  ): Reward {
    return {
      invoiceId,
      pullPaymentId: pp.id,
      sats: status.sats,
      lnurl,
      link: `${serverUrl}/pull-payments/${pp.id}`,
      expiresAt: pp.expiresAt === null ? null : pp.expiresAt * 1000,
      state: status.state,
      claimedSats: status.claimedSats,
    };
  }

  /** Every reward of the store with its state: two Greenfield reads, whatever the count. */
  async function storeRewards(gf: Greenfield, storeId: string): Promise<Map<string, StoreReward>> {
    const [pps, payouts] = await Promise.all([
      pullPayments(gf, storeId),
      call('list the store’s payouts', () =>
        gf.GET('/api/v1/stores/{storeId}/payouts', { params: { path: { storeId } } }),
      ),
    ]);
    const claims = payouts.map(payoutFacts);
    const out = new Map<string, StoreReward>();
    for (const raw of pps) {
      if (!raw.id) continue;
      const pp = facts(raw);
      // A Flash Card top-up reward: the card's pull payment names the sale and the reward; once
      // on the card the reward is the customer's (claimed), whatever the card spends later.
      const onCard = cardRewardOfName(raw.name);
      if (onCard) {
        const status = { sats: onCard.sats, state: 'claimed' as const, claimedSats: onCard.sats };
        out.set(onCard.invoiceId, { invoiceId: onCard.invoiceId, pullPayment: pp, status });
        continue;
      }
      const invoiceId = invoiceOfRewardTag(raw.description);
      if (!invoiceId) continue;
      out.set(invoiceId, { invoiceId, pullPayment: pp, status: rewardStatus(pp, claims, now()) });
    }
    return out;
  }

  /** One sale's reward: from the local index when this counter issued it, else from the store's list. */
  async function find(
    gf: Greenfield,
    storeId: string,
    serverUrl: string,
    invoiceId: string,
  ): Promise<Reward | null> {
    const row = repo.reward(invoiceId);
    let pp: PullPaymentFacts | null = null;
    if (row) {
      pp = facts(
        (await call('read the reward', () =>
          gf.GET('/api/v1/pull-payments/{pullPaymentId}', {
            params: { path: { pullPaymentId: row.pullPaymentId } },
          }),
        )) as PullPaymentData,
      );
    } else {
      const found = (await pullPayments(gf, storeId)).find(
        (p) => invoiceOfRewardTag(p.description) === invoiceId,
      );
      if (!found?.id) return null;
      pp = facts(found);
    }
    const payouts = await call('read the reward’s claims', () =>
      gf.GET('/api/v1/pull-payments/{pullPaymentId}/payouts', {
        params: { path: { pullPaymentId: pp.id } },
      }),
    );
    const status = rewardStatus(pp, payouts.map(payoutFacts), now());
    const lnurl = row?.lnurl ?? (await lnurlOf(gf, pp.id));
    if (!row) remember(invoiceId, pp, status.sats, lnurl);
    return view(serverUrl, invoiceId, pp, status, lnurl);
  }

  function remember(invoiceId: string, pp: PullPaymentFacts, sats: number, lnurl: string | null): void {
    const row: RewardRow = {
      pullPaymentId: pp.id,
      invoiceId,
      sats,
      lnurl,
      createdAt: (pp.startsAt ?? Math.floor(now() / 1000)) * 1000,
      expiresAt: pp.expiresAt === null ? null : pp.expiresAt * 1000,
    };
    try {
      repo.saveReward(row);
    } catch (err) {
      // Only an index: a second pull payment for the same sale (made by hand on BTCPay) is not ours.
      log.warn('reward index not updated', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  async function issueOnce(gf: Greenfield, input: IssueInput): Promise<Reward | null> {
    const { sale, storeId, serverUrl } = input;
    const existing = await find(gf, storeId, serverUrl, sale.invoiceId);
    if (existing) return existing;
    const decision =
      input.stampSats !== undefined
        ? { sats: input.stampSats }
        : rewardFor(rules(storeId), sale, input.storeCurrency);
    if (decision.sats < 1) return null;
    const rules_ = rules(storeId);
    const body = {
      name: `Reward for order ${sale.orderId}`.slice(0, 100),
      description: rewardTag(sale.invoiceId),
      amount: satsToBtc(decision.sats),
      currency: 'BTC',
      autoApproveClaims: true,
      payoutMethods: ['BTC-LN'],
      expiresAt: Math.floor((now() + rules_.expiryDays * DAY_MS) / 1000),
    };
    // Journal first: a pull payment is money the store owes once BTCPay has made it.
    const journalId = repo.journalStart('reward', sale.invoiceId, body);
    let made: PullPaymentData;
    try {
      made = (await call('create the reward', () =>
        gf.POST('/api/v1/stores/{storeId}/pull-payments', { params: { path: { storeId } }, body }),
      )) as PullPaymentData;
    } catch (err) {
      // A timeout may still have made it: start-up looks for it by its description.
      if (err instanceof FlashError && err.code !== 'MERCHANT_TIMEOUT' && err.code !== 'MERCHANT_UNREACHABLE')
        repo.journalFailed(journalId, err.message);
      throw err;
    }
    repo.journalDone(journalId, made.id ?? '');
    const pp = facts(made);
    const lnurl = await lnurlOf(gf, pp.id);
    remember(sale.invoiceId, pp, decision.sats, lnurl);
    log.info('reward issued', { invoiceId: sale.invoiceId, sats: decision.sats });
    return view(
      serverUrl,
      sale.invoiceId,
      pp,
      { sats: decision.sats, state: 'unclaimed', claimedSats: 0 },
      lnurl,
    );
  }

  return {
    rules,
    setRules(storeId: string, next: RewardRules): RewardRules {
      repo.setSetting(rulesKey(storeId), JSON.stringify(next));
      return rules(storeId);
    },
    find,
    storeRewards,

    /** Sales of the store that have a reward pull payment: one read of the store's list, no payouts. */
    async rewardedInvoices(gf: Greenfield, storeId: string): Promise<Set<string>> {
      const out = new Set<string>();
      for (const pp of await pullPayments(gf, storeId)) {
        const invoiceId = invoiceOfRewardTag(pp.description);
        if (invoiceId && pp.id) out.add(invoiceId);
      }
      return out;
    },

    /** The sale's reward by the store's rules; null when the sale earns none. */
    issue(gf: Greenfield, input: IssueInput): Promise<Reward | null> {
      const running = issuing.get(input.sale.invoiceId);
      if (running) return running;
      const p = issueOnce(gf, input).finally(() => issuing.delete(input.sale.invoiceId));
      issuing.set(input.sale.invoiceId, p);
      return p;
    },

    /** Start-up: a reward asked for when Flash stopped is found by its sale, or marked failed. */
    async resume(gf: Greenfield, storeId: string): Promise<void> {
      // eCash and Flash Card rewards share the journal kind; their own journals settle their rows.
      const open = repo
        .openJournal()
        .filter((r) => r.kind === 'reward' && !isEcashRewardRef(r.ref) && !isCardRewardRef(r.ref));
      if (open.length === 0) return;
      const all = await pullPayments(gf, storeId);
      for (const row of open) {
        const found = all.find((p) => invoiceOfRewardTag(p.description) === row.ref);
        if (!found?.id) {
          repo.journalFailed(row.id, 'BTCPay never made this reward');
          continue;
        }
        repo.journalDone(row.id, found.id);
        const pp = facts(found);
        remember(row.ref, pp, rewardStatus(pp, [], now()).sats, await lnurlOf(gf, pp.id));
      }
    },
  };
}

export type Rewards = ReturnType<typeof createRewards>;

/** The NIP-17 message a customer gets: the claim link on a line of its own, as a Lightning card. */
export function rewardMessage(storeName: string, reward: Reward, language: 'en' | 'es'): string {
  const until = reward.expiresAt === null ? null : new Date(reward.expiresAt).toISOString().slice(0, 10);
  const lines =
    language === 'es'
      ? [
          `${storeName || 'La tienda'} te regala ${reward.sats} sats por tu compra.`,
          'Cóbralos con cualquier billetera Lightning:',
          `lightning:${reward.lnurl ?? ''}`,
          until ? `Válido hasta el ${until}.` : null,
          reward.link,
        ]
      : [
          `${storeName || 'The shop'} gives you ${reward.sats} sats back for your purchase.`,
          'Claim them with any Lightning wallet:',
          `lightning:${reward.lnurl ?? ''}`,
          until ? `Valid until ${until}.` : null,
          reward.link,
        ];
  return lines.filter((l): l is string => l !== null).join('\n');
}
