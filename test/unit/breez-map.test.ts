import type { Payment } from '@breeztech/breez-sdk-liquid/node';
import { describe, expect, it } from 'vitest';
import { parseHeadlessArgs } from '../../main/headless/args';
import {
  paymentKey,
  swapKey,
  toLightningError,
  toLightningPayment,
  toProviderEvent,
} from '../../main/lightning/breez/map';

const HASH = 'ab'.repeat(32);

function lightning(
  p: Partial<Payment> & { status: Payment['status'] },
  extra: Record<string, unknown> = {},
): Payment {
  return {
    timestamp: 1_700_000_000,
    amountSat: 1_000,
    feesSat: 22,
    paymentType: 'send',
    details: {
      type: 'lightning',
      swapId: 'swap1',
      description: 'tea',
      liquidExpirationBlockheight: 1,
      paymentHash: HASH,
      ...extra,
    },
    ...p,
  } as Payment;
}

describe('Breez payments in the provider’s words', () => {
  it('keys Lightning swaps by payment hash, swaps without one by a hash of the swap id', () => {
    expect(paymentKey(lightning({ status: 'pending' }))).toBe(HASH);
    expect(paymentKey(lightning({ status: 'pending' }, { bolt12Offer: 'lno1x' }))).toBe(swapKey('swap1'));
    const chain = {
      ...lightning({ status: 'pending' }),
      details: {
        type: 'bitcoin',
        swapId: 'chain1',
        bitcoinAddress: 'bcrt1q',
        description: '',
        autoAcceptedFees: false,
        liquidExpirationBlockheight: 1,
        bitcoinExpirationBlockheight: 1,
      },
    } as Payment;
    expect(paymentKey(chain)).toBe(swapKey('chain1'));
    expect(swapKey('chain1')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('maps every SDK state, and a receive with its claim broadcast is paid', () => {
    const state = (status: Payment['status'], type: Payment['paymentType'] = 'send', extra = {}) =>
      toLightningPayment(lightning({ status, paymentType: type }, extra), 1_700_000_100)?.state;
    expect(state('created')).toBe('pending');
    expect(state('pending')).toBe('pending');
    expect(state('complete')).toBe('succeeded');
    expect(state('failed')).toBe('failed');
    expect(state('timedOut')).toBe('failed');
    expect(state('refundable', 'receive')).toBe('refundable');
    expect(state('refundPending')).toBe('pending');
    expect(state('waitingFeeAcceptance', 'receive')).toBe('waiting-fee-acceptance');
    expect(state('pending', 'receive')).toBe('pending');
    expect(state('pending', 'receive', { claimTxId: 'cd'.repeat(32) })).toBe('succeeded');
    const p = toLightningPayment(lightning({ status: 'complete' }, { preimage: 'ef'.repeat(32) }), 0);
    expect(p).toMatchObject({
      amountMsat: 1_000_000n,
      feeMsat: 22_000n,
      preimage: 'ef'.repeat(32),
      direction: 'outgoing',
    });
    expect(toLightningPayment(lightning({ status: 'timedOut' }), 0)?.failure).toBe('timeout');
  });

  it('maps events, ignoring the ones the service has no use for', () => {
    expect(toProviderEvent({ type: 'synced' }, 0)).toEqual({ type: 'synced' });
    expect(toProviderEvent({ type: 'dataSynced', didPullNewRecords: true }, 0)).toBeNull();
    expect(toProviderEvent({ type: 'syncFailed', error: 'x' }, 0)).toBeNull();
    expect(
      toProviderEvent({ type: 'paymentRefundable', details: lightning({ status: 'refundable' }) }, 0),
    ).toMatchObject({
      type: 'payment',
      payment: { state: 'refundable' },
    });
  });

  it('reads the kind of an SDK error from its text (lib/core/src/error.rs)', () => {
    const kind = (message: string) => toLightningError(new Error(message)).kind;
    expect(kind('Cannot pay: not enough funds')).toBe('insufficient-balance');
    expect(kind('Amount must be between 100 and 25000000')).toBe('amount-out-of-limits');
    expect(kind('Invalid network: invoice is for mainnet')).toBe('wrong-network');
    expect(kind('The specified invoice is not valid: Invoice has expired')).toBe('expired');
    expect(kind('Generic error: Destination is not valid')).toBe('invoice-invalid');
    expect(kind('The specified funds have already been sent')).toBe('already-paid');
    expect(kind('The payment is already in progress')).toBe('already-paid');
    expect(kind('Payment start could not be verified within the configured timeout')).toBe('timeout');
    expect(kind('Generic error: Could not contact servers: "error sending request"')).toBe('unreachable');
    expect(kind('Service connectivity: fetch failed')).toBe('unreachable');
    expect(kind('The provided fees have expired')).toBe('expired');
    expect(kind('something new')).toBe('provider-error');
  });
});

describe('--breez-stand-in', () => {
  it('is a regtest-only test switch taking a loopback URL', () => {
    expect(
      parseHeadlessArgs(['--network', 'regtest', '--breez-stand-in', 'http://127.0.0.1:4000']).breezStandIn,
    ).toBe('http://127.0.0.1:4000');
    expect(parseHeadlessArgs([]).breezStandIn).toBeNull();
    expect(() => parseHeadlessArgs(['--breez-stand-in', 'http://127.0.0.1:4000'])).toThrow(
      /needs --network regtest/,
    );
    expect(() =>
      parseHeadlessArgs(['--network', 'regtest', '--breez-stand-in', 'http://example.com:80']),
    ).toThrow(/local stack/);
  });
});
