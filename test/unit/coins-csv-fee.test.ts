import { describe, expect, it } from 'vitest';
import { Transaction } from 'bitcoinjs-lib';
import { escapeCsvField, guardFormula, toCsv } from '../../main/bitcoin/coins/csv';
import { computeFee, formatRate } from '../../main/bitcoin/coins/fee';

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** A tx spending `prevs` (txid, vout) into outputs of `values`; segwit when `witness`. */
function buildTx(prevs: [Transaction, number][], values: bigint[], witness = true): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  for (const [prev, vout] of prevs) {
    tx.addInput(hexToBytes(prev.getId()).reverse(), vout);
  }
  values.forEach((v, i) =>
    tx.addOutput(Uint8Array.from([0x00, 0x14, ...new Array<number>(20).fill(i + 1)]), v),
  );
  if (witness) tx.ins.forEach((_, i) => tx.setWitness(i, [new Uint8Array(72), new Uint8Array(33)]));
  return tx;
}

function coinbase(values: bigint[]): Transaction {
  const tx = new Transaction();
  tx.addInput(new Uint8Array(32), 0xffffffff, 0xffffffff, Uint8Array.from([0x51, 0x51]));
  values.forEach((v) => tx.addOutput(Uint8Array.from([0x51]), v));
  return tx;
}

describe('history CSV', () => {
  it('quotes per RFC 4180 and ends records with CRLF', () => {
    expect(escapeCsvField('plain')).toBe('plain');
    expect(escapeCsvField('a,b')).toBe('"a,b"');
    expect(escapeCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvField('two\nlines')).toBe('"two\nlines"');
    const csv = toCsv(['a', 'b', 'c'], [[1, null, 'x,y']]);
    expect(csv).toBe('a,b,c\r\n1,,"x,y"\r\n');
  });

  it('guards text cells against formula injection but leaves numbers alone', () => {
    for (const bad of ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx']) expect(guardFormula(bad)).toBe(`'${bad}`);
    expect(guardFormula('rent, March')).toBe('rent, March');
    const csv = toCsv(['amount', 'label'], [[-12_000, '=HYPERLINK("http://evil","x")']]);
    expect(csv.split('\r\n')[1]).toBe(`-12000,"'=HYPERLINK(""http://evil"",""x"")"`);
  });
});

describe('fee from stored transactions', () => {
  it('is inputs minus outputs when every prevout is known, with the rate per vbyte', () => {
    const funding = coinbase([100_000n, 50_000n]);
    const spend = buildTx(
      [
        [funding, 0],
        [funding, 1],
      ],
      [120_000n, 29_000n],
    );
    const known = new Map([[funding.getId(), funding]]);
    const fee = computeFee(spend, (txid) => known.get(txid) ?? null);
    expect(fee.feeSats).toBe(1_000);
    expect(fee.vsize).toBe(spend.virtualSize());
    expect(fee.feeRate).toBe(formatRate(1_000, spend.virtualSize()));
    // vsize counts witness bytes at a quarter: smaller than the full size.
    expect(fee.vsize).toBeLessThan(spend.byteLength());
  });

  it('is unknown when a prevout is missing, and for a coinbase', () => {
    const a = coinbase([10_000n]);
    const b = coinbase([20_000n, 5n]);
    const spend = buildTx(
      [
        [a, 0],
        [b, 0],
      ],
      [29_000n],
      false,
    );
    const onlyA = new Map([[a.getId(), a]]);
    expect(computeFee(spend, (t) => onlyA.get(t) ?? null)).toMatchObject({ feeSats: null, feeRate: null });
    const both = new Map([
      [a.getId(), a],
      [b.getId(), b],
    ]);
    const legacy = computeFee(spend, (t) => both.get(t) ?? null);
    expect(legacy.feeSats).toBe(1_000);
    expect(legacy.vsize).toBe(spend.byteLength()); // no witness: vsize = size
    expect(computeFee(a, () => null).feeSats).toBeNull();
  });

  it('formats rates with two decimals using integer arithmetic', () => {
    expect(formatRate(1_000, 141)).toBe('7.09');
    expect(formatRate(282, 141)).toBe('2.00');
    expect(formatRate(1, 3)).toBe('0.33');
  });
});
