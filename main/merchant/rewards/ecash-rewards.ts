import type { EcashOperationView } from '../../../shared/contract/ecash';
import type { Reward, RewardRules, RewardState } from '../../../shared/contract/merchant';
import { FlashError } from '../../../shared/errors';
import type { Logger } from '../../core/logger';
import type { MerchantRepository } from '../repository';
import { ecashRewardRef, invoiceOfEcashRewardRef, isEcashRewardRef, rewardTag } from './claims';
import type { RewardableSale } from './rules';
import { rewardFor } from './rules';

/**
 * Rewards paid as Cashu tokens from the merchant's own eCash at one of the wallet's mints. The
 * eCash service does the Cashu work and keeps the sent token (reclaimable while unspent); this
 * module makes it once per sale: the merchant journal is written before the send, the send names
 * its sale (the operation's counterparty), and the sale → operation link is kept, so a restart
 * or a second click finds the token instead of paying twice. Claimed or not is the token's state
 * in the eCash journal.
 */

/** The eCash service's calls the rewards use (the wallet's own service in the app). */
export interface RewardEcashPort {
  balances(): { mintUrl: string; unit: string; spendable: number }[];
  send(input: {
    mintUrl: string;
    unit: string;
    amount: number;
    memo?: string;
    counterparty?: string;
  }): Promise<{ operation: EcashOperationView; token: string }>;
  sentToken(operationId: string): {
    operation: EcashOperationView;
    token: string;
    qr?: { animated: boolean; parts: string[] };
  };
  getOperation(id: string): EcashOperationView;
  listOperations(limit: number, offset: number): { items: EcashOperationView[] };
  /** Advances open operations: a sent token's state is checked with its mint. */
  recover(): Promise<void>;
}

export interface EcashRewardsDeps {
  repo: MerchantRepository;
  ecash: RewardEcashPort | null;
  log: Logger;
  now: () => number;
}

export interface EcashIssueInput {
  rules: RewardRules;
  storeCurrency: string;
  sale: RewardableSale & { invoiceId: string; orderId: string };
  /** A stamp card's reward for its Nth sale, already decided (the per-sale rules do not apply). */
  stampSats?: number;
}

/** The sale → eCash operation link, one setting per sale. */
interface EcashRewardRecord {
  operationId: string;
  mintUrl: string;
  sats: number;
  createdAt: number;
}

/** A reward of the store paid in eCash, for the sales list and the totals. */
export interface StoreEcashReward {
  invoiceId: string;
  issuedAtMs: number;
  status: { sats: number; state: RewardState; claimedSats: number };
}

const PREFIX = 'ecash_reward:';
const UNIT = 'sat';
/** How far back the eCash journal is searched for a send a crash left unlinked. */
const SEARCH_OPS = 500;

function sameMint(a: string, b: string): boolean {
  const clean = (u: string) => u.trim().replace(/\/+$/, '').toLowerCase();
  return clean(a) === clean(b);
}

/** A sent token's state in the eCash journal, as a reward's. */
export function ecashRewardState(op: EcashOperationView): RewardState {
  if (op.state === 'claimed') return 'claimed';
  if (op.state === 'reclaimed' || op.state === 'cancelled') return 'archived';
  return 'unclaimed';
}

export function createEcashRewards(deps: EcashRewardsDeps) {
  const { repo, log, now } = deps;
  const issuing = new Map<string, Promise<Reward | null>>();

  function port(): RewardEcashPort {
    if (!deps.ecash) throw new FlashError('MERCHANT_ECASH_OFF', 'eCash is not available in this app.');
    return deps.ecash;
  }

  function record(invoiceId: string): EcashRewardRecord | null {
    const raw = repo.setting(`${PREFIX}${invoiceId}`);
    return raw ? (JSON.parse(raw) as EcashRewardRecord) : null;
  }

  function link(invoiceId: string, r: EcashRewardRecord): void {
    repo.setSetting(`${PREFIX}${invoiceId}`, JSON.stringify(r));
  }

  function view(invoiceId: string, r: EcashRewardRecord): Reward {
    const sent = port().sentToken(r.operationId);
    const state = ecashRewardState(sent.operation);
    return {
      invoiceId,
      pullPaymentId: '',
      sats: r.sats,
      lnurl: null,
      link: '',
      expiresAt: null,
      state,
      claimedSats: state === 'claimed' ? r.sats : 0,
      ecash: {
        token: sent.token,
        mintUrl: r.mintUrl,
        operationId: r.operationId,
        ...(sent.qr ? { qr: sent.qr } : {}),
      },
    };
  }

  /** A send the eCash journal holds for this sale (a crash came between the send and the link). */
  function sendOfSale(invoiceId: string): EcashOperationView | null {
    const tag = rewardTag(invoiceId);
    return (
      port()
        .listOperations(SEARCH_OPS, 0)
        .items.find((o) => o.kind === 'send' && o.counterparty === tag && o.state !== 'cancelled') ?? null
    );
  }

  /**
   * A crash between the send and the link: the eCash journal holds the send (it names its sale),
   * so it is adopted; an open journal row with no send behind it is closed as never made.
   */
  function settleUnlinked(invoiceId: string): void {
    const ref = ecashRewardRef(invoiceId);
    const open = repo.openJournal().filter((row) => row.kind === 'reward' && row.ref === ref);
    const op = sendOfSale(invoiceId);
    if (op)
      link(invoiceId, { operationId: op.id, mintUrl: op.mintUrl, sats: op.amount, createdAt: op.createdAt });
    for (const row of open) {
      if (op) repo.journalDone(row.id, op.id);
      else repo.journalFailed(row.id, 'the eCash send was never made');
    }
  }

  function find(invoiceId: string): Reward | null {
    if (!deps.ecash) return null;
    if (!record(invoiceId)) settleUnlinked(invoiceId);
    const r = record(invoiceId);
    return r ? view(invoiceId, r) : null;
  }

  async function issueOnce(input: EcashIssueInput): Promise<Reward | null> {
    const { sale, rules } = input;
    const existing = find(sale.invoiceId);
    if (existing) return existing;
    const decision =
      input.stampSats !== undefined ? { sats: input.stampSats } : rewardFor(rules, sale, input.storeCurrency);
    if (decision.sats < 1) return null;
    const mintUrl = rules.ecashMint;
    if (!mintUrl)
      throw new FlashError('MERCHANT_REWARD_ECASH_SHORT', 'Choose the mint whose eCash pays the rewards.');
    const ecash = port();
    const spendable = ecash
      .balances()
      .filter((b) => sameMint(b.mintUrl, mintUrl) && b.unit === UNIT)
      .reduce((s, b) => s + b.spendable, 0);
    if (spendable < decision.sats)
      throw new FlashError(
        'MERCHANT_REWARD_ECASH_SHORT',
        `The store’s eCash at this mint does not cover the reward (${decision.sats} sats; ${spendable} held).`,
        { sats: decision.sats, spendable, mintUrl },
      );
    const body = { mintUrl, sats: decision.sats };
    // Journal first: the token is money given away once the eCash service has made it.
    const journalId = repo.journalStart('reward', ecashRewardRef(sale.invoiceId), body);
    let sent: { operation: EcashOperationView; token: string };
    try {
      sent = await ecash.send({
        mintUrl,
        unit: UNIT,
        amount: decision.sats,
        memo: `Reward for order ${sale.orderId}`.slice(0, 100),
        counterparty: rewardTag(sale.invoiceId),
      });
    } catch (err) {
      // Whether a send was journaled is for the eCash journal to say: the next look settles it.
      if (!sendOfSale(sale.invoiceId))
        repo.journalFailed(journalId, err instanceof Error ? err.message : String(err));
      if (err instanceof FlashError && err.code === 'ECASH_INSUFFICIENT_BALANCE')
        throw new FlashError(
          'MERCHANT_REWARD_ECASH_SHORT',
          'The store’s eCash at this mint does not cover the reward.',
          { sats: decision.sats, mintUrl },
        );
      throw err;
    }
    const r: EcashRewardRecord = {
      operationId: sent.operation.id,
      mintUrl,
      sats: decision.sats,
      createdAt: now(),
    };
    link(sale.invoiceId, r);
    repo.journalDone(journalId, sent.operation.id);
    log.info('eCash reward issued', { invoiceId: sale.invoiceId, sats: decision.sats });
    return view(sale.invoiceId, r);
  }

  return {
    available: (): boolean => deps.ecash !== null,
    find,

    /** The sale's eCash reward by the rules, once per sale; null when the sale earns none. */
    issue(input: EcashIssueInput): Promise<Reward | null> {
      const running = issuing.get(input.sale.invoiceId);
      if (running) return running;
      const p = issueOnce(input).finally(() => issuing.delete(input.sale.invoiceId));
      issuing.set(input.sale.invoiceId, p);
      return p;
    },

    /**
     * Start-up: eCash rewards a crash left open are settled now, not when their sale is next looked
     * at. The eCash journal is brought up to date first (a send it reverts is not adopted); a send
     * still making its token stays open until it has one.
     */
    async resume(): Promise<void> {
      if (!deps.ecash) return;
      const openRefs = () =>
        repo.openJournal().filter((row) => row.kind === 'reward' && isEcashRewardRef(row.ref));
      const refs = new Set(openRefs().map((row) => row.ref));
      if (refs.size === 0) return;
      try {
        await deps.ecash.recover();
      } catch (err) {
        log.warn('eCash check failed', { error: err instanceof Error ? err.message : String(err) });
      }
      for (const ref of refs) {
        const invoiceId = invoiceOfEcashRewardRef(ref);
        const linked = record(invoiceId);
        if (linked) {
          // The crash came after the link: only the journal row was left to close.
          for (const row of openRefs().filter((r) => r.ref === ref))
            repo.journalDone(row.id, linked.operationId);
          continue;
        }
        if (sendOfSale(invoiceId)?.state === 'swapping') continue;
        settleUnlinked(invoiceId);
      }
    },

    /** Asks the mints about sent tokens, then reads the sale's reward. */
    async refresh(invoiceId: string): Promise<Reward | null> {
      if (!deps.ecash || !record(invoiceId)) return find(invoiceId);
      try {
        await port().recover();
      } catch (err) {
        log.warn('eCash check failed', { error: err instanceof Error ? err.message : String(err) });
      }
      return find(invoiceId);
    },

    /** Every eCash reward this counter gave, with its token's state from the eCash journal. */
    all(): Map<string, StoreEcashReward> {
      const out = new Map<string, StoreEcashReward>();
      if (!deps.ecash) return out;
      for (const { key, value } of repo.settingsWithPrefix(PREFIX)) {
        const invoiceId = key.slice(PREFIX.length);
        const r = JSON.parse(value) as EcashRewardRecord;
        let state: RewardState;
        try {
          state = ecashRewardState(port().getOperation(r.operationId));
        } catch {
          continue;
        }
        out.set(invoiceId, {
          invoiceId,
          issuedAtMs: r.createdAt,
          status: { sats: r.sats, state, claimedSats: state === 'claimed' ? r.sats : 0 },
        });
      }
      return out;
    },
  };
}

export type EcashRewards = ReturnType<typeof createEcashRewards>;

/** The NIP-17 message a customer gets with an eCash reward: the token on a line of its own. */
export function ecashRewardMessage(storeName: string, reward: Reward, language: 'en' | 'es'): string {
  const token = reward.ecash?.token ?? '';
  const lines =
    language === 'es'
      ? [
          `${storeName || 'La tienda'} te regala ${reward.sats} sats en eCash por tu compra.`,
          'Recíbelos con cualquier billetera Cashu:',
          token,
        ]
      : [
          `${storeName || 'The shop'} gives you ${reward.sats} sats back in eCash for your purchase.`,
          'Receive them with any Cashu wallet:',
          token,
        ];
  return lines.join('\n');
}
