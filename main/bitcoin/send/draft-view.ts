import { randomUUID } from 'node:crypto';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Psbt } from 'bitcoinjs-lib';
import { Transaction } from 'bitcoinjs-lib';
import { scriptToAddress } from '../../../shared/bitcoin/address';
import { unsignedTxid } from '../../hardware/psbt';
import { buildMultisigPsbt } from '../multisig/build';
import type { Account, SendContext } from './context';
import { satPerKvb, singleKey } from './context';
import type { FeeConcern } from './fee-guard';
import { judgeFee } from './fee-guard';
import { knownAmounts } from './input-amounts';
import type { PaymentKind, PaymentRow, PaymentState } from './journal';
import type { PsbtInputSpec, PsbtOutputSpec } from './psbt';
import { buildPsbt, importPsbt as decodePsbt } from './psbt';
import { estimateVsize } from './size';

/** A later payment of ours that a fee bump will cancel (it spends the change being replaced). */
export interface EvictedPayment {
  txid: string;
  /** Paid to others by it. */
  amountSats: number;
  /** Its first recipient, null for a non-standard output or a payment to ourselves. */
  address: string | null;
  /** The user's label of that payment, or of its recipient's address. */
  label: string | null;
}

export interface FeeWarning {
  reason: FeeConcern['reason'];
  /** 1,000 sat/vB and 100,000 sats: the limits it crossed, for the explanation. */
  limitRate: number;
  limitSats: number;
  /** The user typed the fee back: signing is allowed. */
  accepted: boolean;
}

export interface Draft {
  draftId: string;
  walletId: string;
  kind: PaymentKind;
  state: PaymentState;
  /** `change` only for what this account derived on its change chain (ownership.ts). */
  outputs: { address: string | null; sats: number; change: boolean }[];
  /** Paid to others. */
  amountSats: number;
  feeSats: number;
  vsize: number;
  /** fee / vsize, sat/vB (3 decimals). */
  feeRate: number;
  changeSats: number;
  inputs: { txid: string; vout: number; sats: number }[];
  replaceable: boolean;
  replacesTxid: string | null;
  parentTxid: string | null;
  psbtBase64: string;
  /** Set when the fee looks like a mistake (fee-guard.ts): it is not signed until accepted. */
  feeWarning: FeeWarning | null;
  /** For a bump: our later payments it cancels. */
  evicts: EvictedPayment[];
}

/**
 * The user's "yes, this fee" for one transaction, kept by wallet and unsigned txid so it follows
 * the transaction when a device sends it back signed as a new draft. In memory on purpose: it is
 * a confirmation on screen, not money state, and after a restart the user confirms again.
 */
export function createFeeAcceptances() {
  const accepted = new Map<string, number>();
  const key = (walletId: string, psbt: Psbt) => `${walletId}:${unsignedTxid(psbt)}`;
  return {
    accept(walletId: string, psbt: Psbt, feeSats: number): void {
      accepted.set(key(walletId, psbt), feeSats);
    },
    isAccepted(walletId: string, psbt: Psbt, feeSats: number): boolean {
      return accepted.get(key(walletId, psbt)) === feeSats;
    },
  };
}

export type FeeAcceptances = ReturnType<typeof createFeeAcceptances>;

/** Rows, drafts and PSBTs as the review screen, the signer and the device step see them. */
export function createDraftView(ctx: SendContext, acceptances: FeeAcceptances) {
  const { reader, journal } = ctx;

  /** Outputs as ours/change or recipients, by the one ownership helper. */
  function outputsOf(walletId: string, psbt: Psbt): Draft['outputs'] {
    const acct = ctx.account(walletId);
    const owner = ctx.ownership(walletId);
    return psbt.txOutputs.map((o, i) => ({
      address: scriptToAddress(o.script, acct.network),
      sats: Number(o.value),
      change: owner.isChange(o.script, psbt.data.outputs[i]),
    }));
  }

  /** What leaves the wallet: every output that is not our change, and the fee. */
  function split(walletId: string, psbt: Psbt): { paySats: number; changeSats: number } {
    let paySats = 0;
    let changeSats = 0;
    for (const o of outputsOf(walletId, psbt)) {
      if (o.change) changeSats += o.sats;
      else paySats += o.sats;
    }
    return { paySats, changeSats };
  }

  function concernOf(row: PaymentRow, psbt: Psbt): FeeWarning | null {
    const concern = judgeFee({
      feeSats: row.feeSats,
      vsize: row.vsize,
      leavingSats: split(row.walletId, psbt).paySats + row.feeSats,
    });
    if (!concern) return null;
    return {
      reason: concern.reason,
      limitRate: 'limitRate' in concern ? concern.limitRate : 1000,
      limitSats: 'limitSats' in concern ? concern.limitSats : 100_000,
      accepted: acceptances.isAccepted(row.walletId, psbt, row.feeSats),
    };
  }

  /**
   * Our payments that spend, directly or further down, an output of `txid`: a replacement of
   * `txid` evicts them from every mempool.
   */
  function evictedBy(walletId: string, txid: string): EvictedPayment[] {
    const acct = ctx.account(walletId);
    const owner = ctx.ownership(walletId);
    const out: EvictedPayment[] = [];
    const seen = new Set<string>([txid]);
    const queue = [...reader.children(walletId, txid)];
    for (let child = queue.shift(); child !== undefined; child = queue.shift()) {
      if (seen.has(child)) continue;
      seen.add(child);
      queue.push(...reader.children(walletId, child));
      const raw = journal.byTxid(child)?.rawTx ?? reader.rawTx(child);
      if (!raw) continue;
      const tx = Transaction.fromBuffer(raw);
      const paid = tx.outs.filter((o) => owner.ownerOf(o.script) === null);
      const address = paid[0] ? scriptToAddress(paid[0].script, acct.network) : null;
      out.push({
        txid: child,
        amountSats: paid.reduce((s, o) => s + Number(o.value), 0),
        address,
        label:
          reader.label(walletId, 'tx', child) ?? (address ? reader.label(walletId, 'addr', address) : null),
      });
    }
    return out;
  }

  function toDraft(row: PaymentRow): Draft {
    const acct = ctx.account(row.walletId);
    const psbt = decodePsbt(row.psbt, acct.network);
    const amounts = knownAmounts(psbt, ctx.amountSources(row.walletId));
    return {
      draftId: row.id,
      walletId: row.walletId,
      kind: row.kind,
      state: row.state,
      outputs: outputsOf(row.walletId, psbt),
      amountSats: row.amountSats,
      feeSats: row.feeSats,
      vsize: row.vsize,
      feeRate: row.feeRateSatPerKvb / 1000,
      changeSats: row.changeSats,
      inputs: psbt.txInputs.map((inp, i) => ({
        txid: bytesToHex(Uint8Array.from(inp.hash).reverse()),
        vout: inp.index,
        sats: Number(amounts[i] ?? 0n),
      })),
      replaceable: psbt.txInputs.some((i) => (i.sequence ?? 0xffffffff) < 0xfffffffe),
      replacesTxid: row.replacesTxid,
      parentTxid: row.parentTxid,
      psbtBase64: psbt.toBase64(),
      feeWarning: concernOf(row, psbt),
      evicts: row.replacesTxid ? evictedBy(row.walletId, row.replacesTxid) : [],
    };
  }

  /** Journals a PSBT as a new 'drafted' payment (no network call) and returns its draft. */
  function insert(
    walletId: string,
    kind: PaymentKind,
    psbt: Psbt,
    facts: {
      feeSats: number;
      vsize: number;
      changeIndex: number | null;
      replacesTxid?: string | undefined;
      parentTxid?: string | undefined;
    },
  ): Draft {
    const { paySats, changeSats } = split(walletId, psbt);
    const id = randomUUID();
    journal.insertDraft(
      {
        id,
        walletId,
        kind,
        psbt: psbt.toBuffer(),
        amountSats: paySats,
        feeSats: facts.feeSats,
        vsize: facts.vsize,
        feeRateSatPerKvb: satPerKvb(facts.feeSats, facts.vsize),
        changeSats,
        changeIndex: facts.changeIndex,
        replacesTxid: facts.replacesTxid ?? null,
        parentTxid: facts.parentTxid ?? null,
        inputs: psbt.txInputs.map((i) => ({
          txid: bytesToHex(Uint8Array.from(i.hash).reverse()),
          vout: i.index,
        })),
      },
      ctx.now(),
    );
    return toDraft(ctx.requireRow(id));
  }

  /** Builds the PSBT of a payment we composed ourselves and journals it as a draft. */
  function save(
    acct: Account,
    kind: PaymentKind,
    inputs: readonly PsbtInputSpec[],
    outputs: readonly PsbtOutputSpec[],
    extra: { changeIndex: number | null; replacesTxid?: string; parentTxid?: string },
  ): Draft {
    const psbt = acct.multisig
      ? buildMultisigPsbt(acct.multisig, inputs, outputs)
      : buildPsbt(singleKey(acct), inputs, outputs);
    const fee = inputs.reduce((s, i) => s + i.value, 0) - outputs.reduce((s, o) => s + o.value, 0);
    const vsize = estimateVsize(
      inputs.length,
      outputs.map((o) => o.script.length),
      acct.scriptType,
    );
    return insert(acct.id, kind, psbt, { feeSats: fee, vsize, ...extra });
  }

  return { toDraft, insert, save, concernOf, outputsOf, evictedBy };
}

export type DraftView = ReturnType<typeof createDraftView>;
