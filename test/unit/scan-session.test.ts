import { randomBytes } from 'node:crypto';
import { networks, payments, Psbt } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { decodePsbtUr, encodePsbtUr } from '../../main/bitcoin/send/ur';
import { urProgress } from '../../main/scan/ur-progress';
import { createScanSession, type ScanStep } from '../../renderer/features/scan/scan-session';
import { readUrPart, UrPartSet } from '../../renderer/features/scan/ur-parts';

/** A real, unsigned PSBT spending `inputs` made-up coins to regtest addresses. */
function psbtBytes(inputs: number): Uint8Array {
  const psbt = new Psbt({ network: networks.regtest });
  for (let i = 0; i < inputs; i++) {
    const pubkey = Buffer.concat([Buffer.from([2]), randomBytes(32)]);
    const { output } = payments.p2wpkh({ pubkey, network: networks.regtest });
    psbt.addInput({ hash: randomBytes(32), index: i, witnessUtxo: { script: output!, value: 50_000n } });
  }
  const { address } = payments.p2wpkh({
    pubkey: Buffer.concat([Buffer.from([3]), randomBytes(32)]),
    network: networks.regtest,
  });
  psbt.addOutput({ address: address!, value: 40_000n * BigInt(inputs) });
  return psbt.toBuffer();
}

/** The session as the dialog uses it, with main's decoder answering in place of the bridge. */
const session = () => createScanSession({ urProgress: async (parts) => urProgress(parts) });

describe('reading a UR part header', () => {
  it('names the type and place of a part of an animated UR', () => {
    expect(readUrPart('UR:CRYPTO-PSBT/3-12/LPAXCFAXHL')).toEqual({ type: 'crypto-psbt', seq: 3, total: 12 });
    expect(readUrPart(' ur:crypto-account/15-4/lpbsbkad ')).toEqual({
      type: 'crypto-account',
      seq: 15,
      total: 4,
    });
  });

  it('is null for single-part URs and everything that is not a UR part', () => {
    for (const text of [
      'ur:crypto-psbt/hdosjojkidjyzmadaenyaoaeaeae',
      'lnbcrt10u1pjxyz',
      'cashuBo2F0gaJhaUgA',
      'ur:crypto-psbt/0-3/lpadax',
      'ur:crypto-psbt/1-0/lpadax',
      'ur:crypto-psbt/1-3/lpad ax',
    ]) {
      expect(readUrPart(text), text).toBeNull();
    }
  });

  it('keeps each part once and starts over when another UR type shows up', () => {
    const set = new UrPartSet();
    const a = readUrPart('ur:crypto-psbt/1-2/lpadao')!;
    expect(set.add('ur:crypto-psbt/1-2/lpadao', a)).toBe(true);
    expect(set.add('UR:CRYPTO-PSBT/1-2/LPADAO', a)).toBe(false);
    const other = readUrPart('ur:crypto-account/1-3/lpadax')!;
    expect(set.add('ur:crypto-account/1-3/lpadax', other)).toBe(true);
    expect(set.parts).toEqual(['ur:crypto-account/1-3/lpadax']);
  });
});

describe('main decoder progress', () => {
  it('counts the distinct fragments it has and says when the message is whole', () => {
    const parts = encodePsbtUr(psbtBytes(3), 60);
    const total = readUrPart(parts[0]!)!.total;
    expect(total).toBeGreaterThan(3);
    expect(urProgress(parts.slice(0, 2))).toEqual({
      type: 'crypto-psbt',
      received: 2,
      expected: total,
      complete: false,
    });
    expect(urProgress([parts[0]!, parts[0]!, parts[1]!]).received).toBe(2);
    expect(urProgress(parts.slice(0, total))).toMatchObject({
      received: total,
      expected: total,
      complete: true,
    });
  });

  it('takes a single-part UR as whole, and skips a misread part instead of failing', () => {
    const [single] = encodePsbtUr(psbtBytes(1), 2000);
    expect(urProgress([single!])).toEqual({ type: 'crypto-psbt', received: 1, expected: 1, complete: true });
    const parts = encodePsbtUr(psbtBytes(3), 60);
    const misread = parts[1]!.slice(0, -6) + 'zzzzzz';
    expect(urProgress([parts[0]!, misread, parts[2]!])).toMatchObject({ received: 2, complete: false });
    expect(urProgress(['ur:crypto-psbt/1-3/nonsense'])).toEqual({
      type: '',
      received: 0,
      expected: 0,
      complete: false,
    });
  });
});

describe('from decoded frames to the text the field gets', () => {
  it('hands over a plain QR at once, trimmed', async () => {
    expect(await session().offer('  lnbcrt2500n1pjtest\n')).toEqual({
      kind: 'done',
      text: 'lnbcrt2500n1pjtest',
    });
    expect(await session().offer('   ')).toEqual({ kind: 'same' });
  });

  it('collects an animated PSBT through repeated and missed frames until the decoder has it all', async () => {
    const bytes = psbtBytes(4);
    const parts = encodePsbtUr(bytes, 60);
    const total = readUrPart(parts[0]!)!.total;
    const s = session();
    // The camera sees each frame several times, misses the second pure part on the first loop,
    // and catches up from the fountain parts that follow.
    const frames = [parts[0]!, parts[0]!, ...parts.slice(2, total), parts[2]!, ...parts.slice(total)];
    const steps: ScanStep[] = [];
    for (const frame of frames) {
      const step = await s.offer(frame);
      steps.push(step);
      if (step.kind === 'done') break;
    }
    const progress = steps.filter((st) => st.kind === 'progress');
    expect(progress[0]).toEqual({ kind: 'progress', type: 'crypto-psbt', received: 1, expected: total });
    expect(steps[1]).toEqual({ kind: 'same' });
    const received = progress.map((p) => p.received);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    const done = steps.at(-1)!;
    expect(done.kind).toBe('done');
    // What the field gets is what the PSBT import box reads: the same bytes come back out.
    expect(Buffer.from(decodePsbtUr(done.kind === 'done' ? done.text : ''))).toEqual(Buffer.from(bytes));
  });

  it('never finishes on parts that cannot make the whole message', async () => {
    const parts = encodePsbtUr(psbtBytes(3), 60);
    const total = readUrPart(parts[0]!)!.total;
    const s = session();
    let last: ScanStep = { kind: 'same' };
    for (const part of parts.slice(0, total - 1)) last = await s.offer(part);
    expect(last).toEqual({ kind: 'progress', type: 'crypto-psbt', received: total - 1, expected: total });
  });

  it('passes a single-part UR through as it is', async () => {
    const [single] = encodePsbtUr(psbtBytes(1), 2000);
    expect(await session().offer(single!)).toEqual({ kind: 'done', text: single });
  });
});
