import { describe, expect, it } from 'vitest';
import { classifyRejection, nodeReason } from '../../main/bitcoin/send/rejections';

/** ElectrumX (and Fulcrum) wrap the node's words and echo the raw transaction back. */
const electrumx = (reason: string) =>
  `blockchain.transaction.broadcast failed: the transaction was rejected by network rules.\n\n${reason}\n[0200000001abcdef]`;

/** Bitcoin Core's reject strings as sendrawtransaction words them (v25-v28), and what they mean. */
const TABLE: [string, 'known' | 'permanent' | 'conflict' | 'transient'][] = [
  ['txn-already-in-mempool', 'known'],
  ['txn-already-known', 'known'],
  ['Transaction already in block chain', 'known'],
  ['Transaction outputs already in utxo set', 'known'],
  ['txn-same-nonwitness-data-in-mempool', 'known'],
  ['mempool min fee not met, 166 < 1000', 'transient'],
  ['min relay fee not met, 100 < 141', 'transient'],
  ['mempool full', 'transient'],
  ['too-long-mempool-chain, too many unconfirmed ancestors [limit: 25]', 'transient'],
  ['non-BIP68-final', 'transient'],
  ['non-final', 'transient'],
  ['bad-txns-nonfinal', 'transient'],
  ['bad-txns-premature-spend-of-coinbase, tried to spend coinbase at depth 12', 'transient'],
  ['Work queue depth exceeded', 'transient'],
  ['txn-mempool-conflict', 'conflict'],
  ['bad-txns-inputs-missingorspent', 'conflict'],
  ['Missing inputs', 'conflict'],
  [
    'insufficient fee, rejecting replacement 4c2e1f0b, not enough additional fees to relay; 0.00000022 < 0.0000011',
    'conflict',
  ],
  [
    'insufficient fee, rejecting replacement 4c2e1f0b; new feerate 0.00001 <= old feerate 0.00002',
    'conflict',
  ],
  ['replacement-adds-unconfirmed', 'conflict'],
  ['too many potential replacements', 'conflict'],
  ['bad-txns-spends-conflicting-tx', 'conflict'],
  [
    'mandatory-script-verify-flag-failed (Signature must be zero for failed CHECK(MULTI)SIG operation)',
    'permanent',
  ],
  ['non-mandatory-script-verify-flag (Witness program hash mismatch)', 'permanent'],
  ['bad-witness-nonstandard', 'permanent'],
  ['bad-txns-in-belowout, value in (0.001) < value out (0.002)', 'permanent'],
  ['bad-txns-inputs-duplicate', 'permanent'],
  ['bad-txns-vout-negative', 'permanent'],
  ['dust', 'permanent'],
  ['tx-size', 'permanent'],
  ['scriptpubkey', 'permanent'],
  ['multi-op-return', 'permanent'],
  ['TX decode failed', 'permanent'],
  ['Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)', 'permanent'],
  ['max-fee-exceeded', 'permanent'],
  ['something nobody has seen before', 'transient'],
];

describe('broadcast rejections of Bitcoin Core, relayed by Electrum servers', () => {
  it.each(TABLE)('%s is %s', (reason, kind) => {
    expect(classifyRejection(electrumx(reason))).toEqual({ kind, reason });
    // The same words bare (the stack, protocol 1.0 results) classify the same way.
    expect(classifyRejection(reason).kind).toBe(kind);
  });

  it('reads the reason out of each server wrapper', () => {
    expect(nodeReason(electrumx('dust'))).toBe('dust');
    expect(nodeReason('the transaction was rejected by network rules.\n\ntxn-mempool-conflict')).toBe(
      'txn-mempool-conflict',
    );
    expect(nodeReason('258: txn-mempool-conflict')).toBe('txn-mempool-conflict');
    expect(nodeReason('blockchain.transaction.broadcast failed: daemon error: connection refused')).toBe(
      'daemon error: connection refused',
    );
  });
});
