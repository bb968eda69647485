/**
 * What a broadcast refusal from Bitcoin Core (relayed by ElectrumX or Fulcrum as "the transaction
 * was rejected by network rules.\n\n<reason>\n[<raw tx>]") means for a payment we journaled:
 *
 * - known: the node already has it (mempool or chain): it was broadcast.
 * - permanent: this exact transaction can never be valid (bad signature, malformed, dust, ...):
 *   it failed, and its coins are free again.
 * - conflict: the node says its inputs are missing or spent by something else. That is true only
 *   once our own view of the chain and mempool shows the other spender (or the coin gone); until
 *   then it is treated as transient.
 * - transient: the node might take it later ("mempool min fee not met", a full mempool, too long
 *   a chain of unconfirmed parents, a busy daemon, anything we do not recognise). The payment stays
 *   pending with its coins reserved: forgetting a payment that can still confirm is how a re-send
 *   pays twice.
 */
export type RejectionKind = 'known' | 'permanent' | 'conflict' | 'transient';

export interface Rejection {
  kind: RejectionKind;
  /** The node's reason, without the server's wrapper text and raw transaction. */
  reason: string;
}

/** First match wins; anything unmatched is transient. Reasons are Bitcoin Core's reject strings. */
const TABLE: readonly (readonly [RegExp, RejectionKind])[] = [
  [/txn-already-in-mempool|txn-already-known|already in (the )?mempool|already known/i, 'known'],
  [
    /transaction already in block ?chain|outputs already in utxo set|txn-same-nonwitness-data-in-mempool/i,
    'known',
  ],
  // Becomes valid later: timelocks, coinbase maturity, package and chain limits, fee floors.
  [/non-?final|non-bip68-final|premature-spend-of-coinbase|too-long-mempool-chain|package-/i, 'transient'],
  [/mempool min fee not met|min relay fee not met|mempool full|insufficient priority/i, 'transient'],
  // Another transaction holds (or held) the inputs, or the inputs are unknown to this node.
  [/txn-mempool-conflict|inputs-missingorspent|missing.?inputs|missing prevout/i, 'conflict'],
  [/rejecting replacement|replacement-adds-unconfirmed|too many potential replacements/i, 'conflict'],
  [/bad-txns-spends-conflicting-tx/i, 'conflict'],
  // The transaction itself is invalid or non-standard: it will never be accepted as it is.
  [/mandatory-script-verify-flag|non-mandatory-script-verify-flag|script-verify|bad-witness/i, 'permanent'],
  [
    /^bad-txns-|bad-txns-(vin|vout|in-belowout|inputs-duplicate|oversize|txouttotal|prevout-null|too-many-sigops)/i,
    'permanent',
  ],
  [
    /^(dust|tx-size|tx-size-small|scriptpubkey|scriptsig-size|scriptsig-not-pushonly|multi-op-return|version|bare-multisig|coinbase)\b/i,
    'permanent',
  ],
  [
    /tx decode failed|max-fee-exceeded|fee exceeds maximum|absurdly-high-fee|non-standard|nonstandard/i,
    'permanent',
  ],
];

const WRAPPER = /rejected by network rules\.?\s*/i;

/**
 * The node's reason inside a server's error text: after ElectrumX's and Fulcrum's "rejected by
 * network rules." preamble, without the raw transaction they append in brackets, and without our
 * client's "<method> failed: " prefix.
 */
export function nodeReason(message: string): string {
  let text = message;
  const wrapped = WRAPPER.exec(text);
  if (wrapped) text = text.slice(wrapped.index + wrapped[0].length);
  else text = text.replace(/^blockchain\.transaction\.broadcast(_package)? failed:\s*/i, '');
  // "...\n[0200...]" : the raw tx the server echoes back.
  text = text.replace(/\s*\[[0-9a-fA-F]*\]\s*$/, '');
  // Protocol 1.0 servers put the reason in the result as "258: txn-mempool-conflict".
  text = text.replace(/^\d{1,3}:\s*/, '');
  return text.trim().slice(0, 500);
}

export function classifyRejection(message: string): Rejection {
  const reason = nodeReason(message);
  for (const [pattern, kind] of TABLE) {
    if (pattern.test(reason)) return { kind, reason };
  }
  return { kind: 'transient', reason };
}
