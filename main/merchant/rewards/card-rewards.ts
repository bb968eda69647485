import type { Reward, RewardRules } from '../../../shared/contract/merchant';
import { FlashError } from '../../../shared/errors';
import type { Logger } from '../../core/logger';
import type { FlashCards } from '../flash-cards';
import type { Greenfield } from '../greenfield/client';
import type { MerchantRepository } from '../repository';
import { cardRewardRef, invoiceOfCardRewardRef, isCardRewardRef } from './claims';
import type { RewardableSale } from './rules';
import { rewardFor } from './rules';

/**
 * Rewards topped up onto the customer's Flash Card: after the sale settles, the customer taps the
 * card and the reward is added the way any top-up is (the card moves to a new pull payment holding
 * its balance plus the reward). Once per sale: the reward journal is written before BTCPay is
 * asked, and the card journal tags its top-up with the sale, so a second tap, another card or a
 * crash at any step finds the earlier top-up (or finishes it) instead of adding the reward twice.
 * Once on the card the reward is the customer's: it counts as claimed.
 */

export interface CardRewardsDeps {
  repo: MerchantRepository;
  cards: Pick<FlashCards, 'readCardUid' | 'rewardTopUp' | 'rewardPullPayments' | 'topUp'>;
  log: Logger;
  now: () => number;
}

export interface CardIssueInput {
  gf: Greenfield;
  storeId: string;
  rules: RewardRules;
  storeCurrency: string;
  sale: RewardableSale & { invoiceId: string; orderId: string };
}

/** The sale → card link, one setting per sale. */
interface CardRewardRecord {
  uid: string;
  pullPaymentId: string;
  sats: number;
  createdAt: number;
}

/** What the reward journal row holds: the card first tapped and the reward's amount. */
interface CardRewardJournal {
  uid: string;
  sats: number;
}

/** A reward of the store topped up onto a card, for the sales list and the totals. */
export interface StoreCardReward {
  invoiceId: string;
  issuedAtMs: number;
  status: { sats: number; state: 'claimed'; claimedSats: number };
}

const PREFIX = 'card_reward:';

export function createCardRewards(deps: CardRewardsDeps) {
  const { repo, cards, log, now } = deps;
  const issuing = new Map<string, Promise<Reward | null>>();

  function record(invoiceId: string): CardRewardRecord | null {
    const raw = repo.setting(`${PREFIX}${invoiceId}`);
    return raw ? (JSON.parse(raw) as CardRewardRecord) : null;
  }

  function view(invoiceId: string, r: CardRewardRecord): Reward {
    return {
      invoiceId,
      pullPaymentId: r.pullPaymentId,
      sats: r.sats,
      lnurl: null,
      link: '',
      expiresAt: null,
      state: 'claimed',
      claimedSats: r.sats,
      card: { uid: r.uid },
    };
  }

  function settle(journalId: number, invoiceId: string, r: CardRewardRecord): Reward {
    repo.setSetting(`${PREFIX}${invoiceId}`, JSON.stringify(r));
    repo.journalDone(journalId, r.pullPaymentId);
    return view(invoiceId, r);
  }

  /**
   * Open reward rows of the sale (a tap that failed half-way, or a crash), settled from the card
   * journal of the card each names: the finished reward, the rows still half-way on a card (only
   * that card can finish them), and the pull payments of tries put back as they were.
   */
  function settleEarlier(invoiceId: string): {
    done: Reward | null;
    halfWay: { id: number; payload: CardRewardJournal }[];
    undone: Set<string>;
  } {
    const undone = new Set<string>();
    const tried = new Set(
      repo
        .journalFor('reward', cardRewardRef(invoiceId))
        .map((r) => (JSON.parse(r.payload) as CardRewardJournal).uid),
    );
    for (const uid of tried) for (const id of cards.rewardTopUp(uid, invoiceId).undone) undone.add(id);
    const halfWay: { id: number; payload: CardRewardJournal }[] = [];
    const rows = repo
      .openJournal()
      .filter((r) => r.kind === 'reward' && r.ref === cardRewardRef(invoiceId))
      .map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as CardRewardJournal }));
    for (const row of rows) {
      const onCard = cards.rewardTopUp(row.payload.uid, invoiceId);
      if (onCard.state === 'done') {
        const r = {
          uid: row.payload.uid,
          pullPaymentId: onCard.pullPaymentId,
          sats: row.payload.sats,
          createdAt: now(),
        };
        return { done: settle(row.id, invoiceId, r), halfWay: [], undone };
      }
      if (onCard.state === 'none') repo.journalFailed(row.id, 'the card was never topped up');
      else halfWay.push(row);
    }
    return { done: null, halfWay, undone };
  }

  /**
   * The reward another counter of the store gave (BTCPay holds its pull payment, named for the
   * sale); tries this counter put back do not count. Its card is not known here.
   */
  async function givenElsewhere(input: CardIssueInput, undone: Set<string>): Promise<Reward | null> {
    const made = (await cards.rewardPullPayments(input.gf, input.storeId, input.sale.invoiceId)).filter(
      (p) => !undone.has(p.id),
    );
    const first = made[0];
    if (!first) return null;
    return view(input.sale.invoiceId, { uid: '', pullPaymentId: first.id, sats: first.sats, createdAt: 0 });
  }

  async function issueOnce(input: CardIssueInput): Promise<Reward | null> {
    const { sale } = input;
    const existing = record(sale.invoiceId);
    if (existing) return view(sale.invoiceId, existing);
    const decision = rewardFor(input.rules, sale, input.storeCurrency);
    if (decision.sats === 0) return null;
    const earlier = settleEarlier(sale.invoiceId);
    if (earlier.done) return earlier.done;
    if (earlier.halfWay.length === 0) {
      const elsewhere = await givenElsewhere(input, earlier.undone);
      if (elsewhere) return elsewhere;
    }
    const uid = await cards.readCardUid();
    // Half-way on the card first tapped: only that card can finish it.
    if (earlier.halfWay.some((row) => row.payload.uid !== uid))
      throw new FlashError('MERCHANT_CARD_FAILED', 'This reward is being added to another card.', {
        reason: 'put the card tapped first back on the reader to finish',
      });
    const resume = earlier.halfWay[0];
    const sats = resume ? resume.payload.sats : decision.sats;
    // Journal first: the sats are the customer's once the card holds them.
    const journalId = resume
      ? resume.id
      : repo.journalStart('reward', cardRewardRef(sale.invoiceId), { uid, sats } satisfies CardRewardJournal);
    let topped: Awaited<ReturnType<FlashCards['topUp']>>;
    try {
      topped = await cards.topUp(input.gf, input.storeId, sats, sale.invoiceId);
    } catch (err) {
      // Left half-way on the card (lifted, or no answer from BTCPay): the next tap finishes it.
      if (cards.rewardTopUp(uid, sale.invoiceId).state === 'none')
        repo.journalFailed(journalId, err instanceof Error ? err.message : String(err));
      throw err;
    }
    if (topped.uid !== uid)
      throw new FlashError('MERCHANT_CARD_FAILED', 'The card changed during the top-up.', {
        reason: 'keep one card on the reader and press again',
      });
    log.info('Flash Card reward added', { invoiceId: sale.invoiceId, sats });
    return settle(journalId, sale.invoiceId, {
      uid,
      pullPaymentId: topped.pullPaymentId,
      sats,
      createdAt: now(),
    });
  }

  return {
    /**
     * Start-up: rewards a crash left open are settled from the card journal where it knows the
     * outcome (topped up, or never); one left half-way on a card waits for that card's next tap.
     */
    resume(): void {
      const open = repo.openJournal().filter((r) => r.kind === 'reward' && isCardRewardRef(r.ref));
      for (const ref of new Set(open.map((r) => r.ref))) settleEarlier(invoiceOfCardRewardRef(ref));
    },

    find(invoiceId: string): Reward | null {
      const r = record(invoiceId);
      return r ? view(invoiceId, r) : null;
    },

    /** The reward the sale earns, added to the card on the reader, once per sale. */
    issue(input: CardIssueInput): Promise<Reward | null> {
      const running = issuing.get(input.sale.invoiceId);
      if (running) return running;
      const p = issueOnce(input).finally(() => issuing.delete(input.sale.invoiceId));
      issuing.set(input.sale.invoiceId, p);
      return p;
    },

    /** Every reward this counter topped up onto a card. */
    all(): Map<string, StoreCardReward> {
      const out = new Map<string, StoreCardReward>();
      for (const { key, value } of repo.settingsWithPrefix(PREFIX)) {
        const invoiceId = key.slice(PREFIX.length);
        const r = JSON.parse(value) as CardRewardRecord;
        out.set(invoiceId, {
          invoiceId,
          issuedAtMs: r.createdAt,
          status: { sats: r.sats, state: 'claimed', claimedSats: r.sats },
        });
      }
      return out;
    },
  };
}

export type CardRewards = ReturnType<typeof createCardRewards>;
