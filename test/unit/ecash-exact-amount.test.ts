import { describe, expect, it } from 'vitest';
import { exactFromHeld } from '../../main/ecash/exact-amount';
import type { PlainProof } from '../../main/ecash/proof-codec';

const proofs = (amounts: number[]): PlainProof[] =>
  amounts.map((amount, i) => ({ id: '00ad268c4d1f5826', amount, secret: `s${i}`, C: `02${i}` }));
const amounts = (ps: PlainProof[]) => ps.map((p) => p.amount);

describe('exact amount from held proofs', () => {
  it('finds a set that adds up exactly, largest proofs first', () => {
    const held = proofs([1, 1, 2, 4, 4, 8, 16, 64]);
    expect(amounts(exactFromHeld(held, 21))).toEqual([16, 4, 1]);
    expect(amounts(exactFromHeld(held, 100))).toEqual([64, 16, 8, 4, 4, 2, 1, 1]);
  });

  it('uses several small proofs where the matching large one is missing', () => {
    expect(amounts(exactFromHeld(proofs([2, 2, 2, 1, 1]), 6))).toEqual([2, 2, 2]);
    expect(amounts(exactFromHeld(proofs([8, 2, 2, 1, 1]), 13))).toEqual([8, 2, 2, 1]);
  });

  it('finds every exact sum that a set of powers of two can make', () => {
    const held = proofs([1, 2, 2, 4, 8, 8, 8, 32]);
    const total = 65;
    const reachable = new Set<number>([0]);
    for (const p of held) for (const s of [...reachable]) reachable.add(s + p.amount);
    for (let amount = 1; amount <= total; amount++) {
      const got = exactFromHeld(held, amount);
      if (reachable.has(amount)) expect(got.reduce((s, p) => s + p.amount, 0)).toBe(amount);
      else expect(got).toEqual([]);
    }
  });

  it('gives nothing for amounts it cannot make, or that are not positive whole numbers', () => {
    const held = proofs([4, 8]);
    expect(exactFromHeld(held, 3)).toEqual([]);
    expect(exactFromHeld(held, 13)).toEqual([]);
    expect(exactFromHeld(held, 0)).toEqual([]);
    expect(exactFromHeld(held, -4)).toEqual([]);
    expect(exactFromHeld(held, 1.5)).toEqual([]);
  });

  it('never uses one proof twice', () => {
    const got = exactFromHeld(proofs([4, 2, 1]), 7);
    expect(new Set(got.map((p) => p.secret)).size).toBe(3);
  });
});
