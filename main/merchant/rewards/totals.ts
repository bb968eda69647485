import type { DailyTotal } from '../../../shared/contract/merchant';
import type { RewardStatus } from './claims';

export type DayRewards = DailyTotal['rewards'];

export const NO_REWARDS: DayRewards = { count: 0, sats: 0, claimed: 0, claimedSats: 0, expired: 0 };

function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A reward of either kind (pull payment or eCash token): when it was issued and what became of it. */
export interface IssuedReward {
  /** ms since the epoch; null when unknown (the reward is left out). */
  issuedAtMs: number | null;
  status: RewardStatus;
}

/** Rewards per local day they were issued on: how many, how much, and how much was claimed. */
export function rewardTotals(
  rewards: Iterable<IssuedReward>,
  days: readonly string[],
): Map<string, DayRewards> {
  const out = new Map<string, DayRewards>(days.map((d) => [d, { ...NO_REWARDS }]));
  for (const r of rewards) {
    if (r.issuedAtMs === null) continue;
    const bucket = out.get(localDay(r.issuedAtMs));
    if (!bucket) continue;
    bucket.count += 1;
    bucket.sats += r.status.sats;
    if (r.status.state === 'claimed') bucket.claimed += 1;
    bucket.claimedSats += r.status.claimedSats;
    if (r.status.state === 'expired') bucket.expired += 1;
  }
  return out;
}
