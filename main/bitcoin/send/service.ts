import { randomUUID } from 'node:crypto';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import type { Network } from '../../../shared/contract';
import { parseAddress, scriptToAddress } from '../../../shared/bitcoin/address';
import { FlashError, isFlashError } from '../../../shared/errors';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import type { Db } from '../../store/database';
import type { VaultService } from '../../vault/types';
import type { ElectrumService } from '../electrum/types';
import { networkParams } from '../wallet/networks';
import { readWords, type StoredWords } from '../wallet/stored-words';
import type { Selection } from './coin-select';
import { selectCoins, sendMax, useCoins } from './coin-select';
import { SendError } from './errors';
import type { FeeEstimates } from './fees';
import { fetchFeeEstimates, INCREMENTAL_RELAY_RATE, MAX_FEE_RATE } from './fees';
import type { PaymentRow, PaymentState } from './journal';
import { createJournal } from './journal';
import { signMessageWithKey, verifyMessage as verifyMessageSig } from './message';
import type { AccountRef, PsbtInputSpec, PsbtOutputSpec } from './psbt';
import type { ScriptType } from '../accounts/types';
import {
  buildPsbt,
  exportPsbt,
  inputValue,
  isChangeOutput,
  finalizeAndExtract,
  importPsbt as decodePsbt,
  psbtFee,
  signPsbtWithMnemonic,
} from './psbt';
import { dustOf, dustThreshold, estimateVsize, feeFor, scriptLengthOf } from './size';
import type { WalletUtxo } from './wallet-reader';
import { encodePsbtUr } from './ur';
import { createWalletReader } from './wallet-reader';

export interface SendDeps {
  db: Db;
  vault: VaultService;
  electrum: ElectrumService;
  bus: EventBus;
  log: Logger;
  now?: () => number;
}

export type SendOutput = { address: string; sats: number } | { address: string; max: true };

export interface PrepareInput {
  walletId: string;
  outputs: SendOutput[];
  /** sat/vB; up to 3 decimals. */
  feeRate: number;
  /** Manual coin choice ("txid:vout"); only these coins are spent. */
  coins?: string[];
}

export interface Draft {
  draftId: string;
  walletId: string;
  kind: PaymentRow['kind'];
  state: PaymentState;
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
}

export interface BroadcastResult {
  draftId: string;
  txid: string;
  /** 'broadcasting' when the server could not be reached: the journal retries on reconnect. */
  state: 'broadcast' | 'broadcasting';
}

export interface SendService {
  estimateFees(): Promise<FeeEstimates>;
  prepare(input: PrepareInput): Draft;
  getDraft(draftId: string): Draft;
  /** Signs with the vault's key, journals the raw tx, then broadcasts. */
  signAndBroadcast(draftId: string): Promise<BroadcastResult>;
  bumpFee(input: { walletId: string; txid: string; feeRate: number }): Draft;
  cpfp(input: { walletId: string; txid: string; feeRate: number }): Promise<Draft>;
  importPsbt(input: { walletId: string; data: string | Uint8Array }): Draft;
  exportPsbt(draftId: string): { base64: string; binary: Uint8Array };
  /** The draft's PSBT as ur:crypto-psbt parts for an animated QR. */
  exportPsbtUr(draftId: string, maxFragmentLength?: number): string[];
  signMessage(input: { walletId: string; address: string; message: string }): string;
  verifyMessage(input: { address: string; message: string; signature: string; network?: Network }): boolean;
  /** Completes every payment left in 'broadcasting' and marks mined ones confirmed. */
  recover(): Promise<void>;
  start(): void;
  stop(): void;
}

/** An account as the send flow needs it: keys, script type, and where its words live (if anywhere). */
type Account = AccountRef & { id: string; scriptType: ScriptType; seedWalletId: string | null };

const ALREADY_KNOWN =
  /already.?(in.?mempool|known|in.?block.?chain)|txn-already|transaction already in block chain/i;

function checkFeeRate(rate: number): void {
  if (!Number.isFinite(rate) || rate < 1 || rate > MAX_FEE_RATE) {
    throw new SendError('BAD_FEE_RATE', `A fee rate is between 1 and ${MAX_FEE_RATE} sat/vB.`, {
      feeRate: rate,
    });
  }
}

const rateOf = (fee: number, vsize: number): number => Math.floor((fee * 1000) / vsize) / 1000;
const satPerKvb = (fee: number, vsize: number): number => Math.floor((fee * 1000) / vsize);

export function createSendService(deps: SendDeps): SendService {
  const { db, vault, electrum, log } = deps;
  const now = deps.now ?? Date.now;
  const reader = createWalletReader(db);
  const journal = createJournal(db);
  const unsubscribers: (() => void)[] = [];
  let recovering: Promise<void> | null = null;

  function account(walletId: string): Account {
    const w = reader.wallet(walletId);
    if (!w) throw new FlashError('WALLET_NOT_FOUND', 'No such wallet.', { walletId });
    return {
      id: w.id,
      network: w.network,
      xpub: w.xpub,
      fingerprint: w.fingerprint,
      accountPath: w.accountPath,
      scriptType: w.scriptType,
      seedWalletId: w.seedWalletId,
    };
  }

  function requireRow(draftId: string): PaymentRow {
    const row = journal.get(draftId);
    if (!row) throw new FlashError('DRAFT_NOT_FOUND', 'This payment draft no longer exists.', { draftId });
    return row;
  }

  function toDraft(row: PaymentRow): Draft {
    const acct = account(row.walletId);
    const psbt = decodePsbt(row.psbt, acct.network);
    const outputs = psbt.txOutputs.map((o, i) => ({
      address: scriptToAddress(o.script, acct.network),
      sats: Number(o.value),
      change: isChangeOutput(psbt, i),
    }));
    return {
      draftId: row.id,
      walletId: row.walletId,
      kind: row.kind,
      state: row.state,
      outputs,
      amountSats: row.amountSats,
      feeSats: row.feeSats,
      vsize: row.vsize,
      feeRate: row.feeRateSatPerKvb / 1000,
      changeSats: row.changeSats,
      inputs: psbt.txInputs.map((inp, i) => ({
        txid: bytesToHex(Uint8Array.from(inp.hash).reverse()),
        vout: inp.index,
        sats: Number(inputValue(psbt, i) ?? 0n),
      })),
      replaceable: psbt.txInputs.some((i) => (i.sequence ?? 0xffffffff) < 0xfffffffe),
      replacesTxid: row.replacesTxid,
      parentTxid: row.parentTxid,
      psbtBase64: psbt.toBase64(),
    };
  }

  function inputSpec(u: WalletUtxo): PsbtInputSpec {
    return {
      txid: u.txid,
      vout: u.vout,
      value: u.value,
      scriptPubKey: u.scriptPubKey,
      chain: u.chain,
      index: u.index,
      prevTx: reader.rawTx(u.txid),
    };
  }

  function changeAddress(walletId: string) {
    const c = reader.firstUnusedChange(walletId);
    if (!c)
      throw new SendError('NOTHING_TO_SPEND', 'No unused change address is ready; let the wallet sync.');
    return c;
  }

  /** Spendable by default: confirmed coins and our own unconfirmed change (never a stranger's). */
  function defaultCoins(walletId: string): WalletUtxo[] {
    return reader.utxos(walletId).filter((u) => u.height > 0 || u.direction !== 'in');
  }

  function saveDraft(
    acct: Account,
    kind: PaymentRow['kind'],
    inputs: readonly PsbtInputSpec[],
    outputs: readonly PsbtOutputSpec[],
    extra: { amountSats: number; changeIndex: number | null; replacesTxid?: string; parentTxid?: string },
  ): Draft {
    const psbt = buildPsbt(acct, inputs, outputs);
    const fee = psbtFee(psbt);
    const vsize = estimateVsize(
      inputs.length,
      outputs.map((o) => o.script.length),
      acct.scriptType,
    );
    const id = randomUUID();
    journal.insertDraft(
      {
        id,
        walletId: acct.id,
        kind,
        psbt: psbt.toBuffer(),
        amountSats: extra.amountSats,
        feeSats: fee,
        vsize,
        feeRateSatPerKvb: satPerKvb(fee, vsize),
        changeSats: outputs.filter((o) => o.change).reduce((s, o) => s + o.value, 0),
        changeIndex: extra.changeIndex,
        replacesTxid: extra.replacesTxid ?? null,
        parentTxid: extra.parentTxid ?? null,
        inputs: inputs.map((i) => ({ txid: i.txid, vout: i.vout })),
      },
      now(),
    );
    return toDraft(requireRow(id));
  }

  function readMnemonic(walletId: string): StoredWords {
    const seedWalletId = account(walletId).seedWalletId;
    if (seedWalletId === null) {
      throw new FlashError(
        'WATCH_ONLY',
        'Flash holds no keys for this account: sign the PSBT with your device or signer, then import it.',
        { walletId },
      );
    }
    if (vault.status().state !== 'unlocked')
      throw new FlashError('VAULT_LOCKED', 'Unlock the vault to sign.');
    return readWords(vault, seedWalletId);
  }

  async function broadcastRow(row: PaymentRow): Promise<BroadcastResult> {
    if (!row.rawTx || !row.txid) throw new Error(`payment ${row.id} has no signed tx`);
    const txid = row.txid;
    let client;
    try {
      client = electrum.client();
    } catch (err) {
      log.warn('broadcast deferred: no server', { paymentId: row.id });
      if (isFlashError(err)) return { draftId: row.id, txid, state: 'broadcasting' };
      throw err;
    }
    try {
      const result = await client.request('blockchain.transaction.broadcast', [bytesToHex(row.rawTx)]);
      if (typeof result === 'string' && result !== txid) {
        log.warn('server answered a different txid', { expected: txid, got: result.slice(0, 80) });
      }
      journal.markBroadcast(row.id, now());
      deps.bus.emit('wallet.updated', { walletId: row.walletId });
      return { draftId: row.id, txid, state: 'broadcast' };
    } catch (err) {
      if (isFlashError(err) && err.code === 'ELECTRUM_PROTOCOL' && err.details?.rpcCode !== undefined) {
        if (ALREADY_KNOWN.test(err.message)) {
          journal.markBroadcast(row.id, now());
          return { draftId: row.id, txid, state: 'broadcast' };
        }
        journal.transition(row.id, 'broadcasting', 'failed', now(), err.message.slice(0, 500));
        throw new SendError('BROADCAST_REJECTED', `The server rejected the transaction: ${err.message}`, {
          txid,
        });
      }
      // Timeout or lost connection: the tx may or may not have reached the server. The journal
      // keeps it in 'broadcasting'; recover() asks the server on the next connection.
      log.warn('broadcast outcome unknown', { paymentId: row.id, error: String(err) });
      return { draftId: row.id, txid, state: 'broadcasting' };
    }
  }

  async function recoverOnce(): Promise<void> {
    let client;
    try {
      client = electrum.client();
    } catch {
      return;
    }
    for (const row of journal.inState('broadcasting')) {
      if (!row.txid) continue;
      try {
        await client.request('blockchain.transaction.get', [row.txid]);
        journal.markBroadcast(row.id, now());
        log.info('journal: broadcasting payment found on server', { paymentId: row.id });
        continue;
      } catch (err) {
        if (!(isFlashError(err) && err.code === 'ELECTRUM_PROTOCOL')) return; // offline again
      }
      try {
        await broadcastRow(row);
      } catch (err) {
        log.warn('journal: re-broadcast rejected', { paymentId: row.id, error: String(err) });
      }
    }
    refreshConfirmations();
    // A payment the wallet never saw may have been dropped (server restart, mempool eviction):
    // send it again; if the network refuses it now (its coins went elsewhere), it failed, and its
    // coins stop being reserved.
    for (const row of journal.inState('broadcast')) {
      if (!row.txid || !row.rawTx || reader.tx(row.walletId, row.txid)) continue;
      try {
        await client.request('blockchain.transaction.get', [row.txid]);
        continue;
      } catch (err) {
        if (!(isFlashError(err) && err.code === 'ELECTRUM_PROTOCOL')) return;
      }
      try {
        await client.request('blockchain.transaction.broadcast', [bytesToHex(row.rawTx)]);
        log.info('journal: re-broadcast a dropped payment', { paymentId: row.id });
      } catch (err) {
        if (isFlashError(err) && err.code === 'ELECTRUM_PROTOCOL' && !ALREADY_KNOWN.test(err.message)) {
          journal.transition(row.id, 'broadcast', 'failed', now(), `dropped: ${err.message.slice(0, 400)}`);
        }
      }
    }
  }

  function refreshConfirmations(walletId?: string): void {
    for (const row of journal.inState('broadcast')) {
      if (walletId && row.walletId !== walletId) continue;
      if (!row.txid) continue;
      const tx = reader.tx(row.walletId, row.txid);
      if (tx && tx.height > 0) journal.transition(row.id, 'broadcast', 'confirmed', now());
    }
  }

  return {
    estimateFees() {
      return fetchFeeEstimates((calls) => electrum.client().batch(calls));
    },

    prepare(input) {
      const acct = account(input.walletId);
      checkFeeRate(input.feeRate);
      if (input.outputs.length === 0) throw new SendError('BAD_OUTPUTS', 'Add a recipient.');
      const maxCount = input.outputs.filter((o) => 'max' in o).length;
      if (maxCount > 1) throw new SendError('BAD_OUTPUTS', 'Only one output can take the maximum.');
      const parsed = input.outputs.map((o) => {
        const script = parseAddress(o.address, acct.network).scriptPubKey;
        if ('max' in o) return { script, value: 0, max: true };
        if (!Number.isSafeInteger(o.sats) || o.sats <= 0) {
          throw new SendError('BAD_OUTPUTS', 'An amount is a positive whole number of sats.');
        }
        const dust = dustThreshold(script);
        if (o.sats < dust) {
          throw new SendError(
            'AMOUNT_BELOW_DUST',
            `${o.sats} sats is below the dust limit of ${dust} sats.`,
            {
              dustSats: dust,
            },
          );
        }
        return { script, value: o.sats, max: false };
      });
      let coins = defaultCoins(input.walletId);
      if (input.coins) {
        const all = new Map(reader.utxos(input.walletId).map((u) => [`${u.txid}:${u.vout}`, u]));
        coins = input.coins.map((key) => {
          const u = all.get(key);
          const [txid = '', vout = '-1'] = key.split(':');
          if (!u && reader.isFrozen(input.walletId, txid, Number(vout))) {
            throw new SendError('COIN_FROZEN', `${key} is frozen: unfreeze it before spending it.`, {
              coin: key,
            });
          }
          if (!u)
            throw new SendError('UNKNOWN_COIN', `${key} is not a spendable coin of this wallet.`, {
              coin: key,
            });
          return u;
        });
      }
      const fixed = parsed.filter((p) => !p.max);
      if (maxCount === 1) {
        const maxOut = parsed.find((p) => p.max) as { script: Uint8Array };
        const r = sendMax(
          coins,
          fixed.map((p) => ({ scriptLength: p.script.length, value: p.value })),
          maxOut.script.length,
          input.feeRate,
          dustThreshold(maxOut.script),
          acct.scriptType,
        );
        const outputs = parsed.map((p) => ({ script: p.script, value: p.max ? r.amount : p.value }));
        return saveDraft(acct, 'send', r.inputs.map(inputSpec), outputs, {
          amountSats: outputs.reduce((s, o) => s + o.value, 0),
          changeIndex: null,
        });
      }
      const selInput = {
        coins,
        outputs: fixed.map((p) => ({ scriptLength: p.script.length, value: p.value })),
        feeRate: input.feeRate,
        spendType: acct.scriptType,
      };
      const sel: Selection<WalletUtxo> = input.coins ? useCoins(selInput) : selectCoins(selInput);
      const outputs: PsbtOutputSpec[] = fixed.map((p) => ({ script: p.script, value: p.value }));
      let changeIndex: number | null = null;
      if (sel.change > 0) {
        const c = changeAddress(input.walletId);
        changeIndex = c.index;
        outputs.push({ script: c.scriptPubKey, value: sel.change, change: { chain: 1, index: c.index } });
      }
      return saveDraft(acct, 'send', sel.inputs.map(inputSpec), outputs, {
        amountSats: fixed.reduce((s, p) => s + p.value, 0),
        changeIndex,
      });
    },

    getDraft(draftId) {
      return toDraft(requireRow(draftId));
    },

    async signAndBroadcast(draftId) {
      let row = requireRow(draftId);
      if (row.state === 'broadcasting') return broadcastRow(row);
      if (row.state !== 'drafted' && row.state !== 'signed') {
        throw new SendError('DRAFT_STATE', `This payment is already ${row.state}.`, { state: row.state });
      }
      if (row.state === 'drafted') {
        const acct = account(row.walletId);
        const psbt = decodePsbt(row.psbt, acct.network);
        // An imported PSBT may come back fully signed (hardware wallet): then the vault is not needed.
        const unsigned = psbt.data.inputs.some(
          (i) =>
            !i.finalScriptWitness && !i.finalScriptSig && !i.tapKeySig && (i.partialSig?.length ?? 0) === 0,
        );
        if (unsigned) {
          const secret = readMnemonic(row.walletId);
          const { signedInputs } = signPsbtWithMnemonic(psbt, secret, acct);
          secret.mnemonic = '';
          secret.passphrase = '';
          if (signedInputs === 0)
            throw new SendError('PSBT_NOT_OURS', 'No input of this PSBT belongs to this wallet.');
        }
        const fee = psbtFee(psbt);
        const done = finalizeAndExtract(psbt);
        // Journal first: the raw tx is on disk before any byte goes to the network.
        journal.recordSigned(
          row.id,
          'drafted',
          'broadcasting',
          { psbt: psbt.toBuffer(), txid: done.txid, rawTx: done.raw, feeSats: fee },
          now(),
        );
      } else {
        journal.transition(row.id, 'signed', 'broadcasting', now());
      }
      row = requireRow(draftId);
      return broadcastRow(row);
    },

    bumpFee({ walletId, txid, feeRate }) {
      const acct = account(walletId);
      checkFeeRate(feeRate);
      const info = reader.tx(walletId, txid);
      if (info && info.height > 0)
        throw new SendError('NOT_REPLACEABLE', 'This transaction is already confirmed.');
      const raw = journal.byTxid(txid)?.rawTx ?? reader.rawTx(txid);
      if (!raw) throw new SendError('TX_NOT_FOUND', 'This transaction is not known to the wallet.', { txid });
      const tx = Transaction.fromBuffer(raw);
      if (!tx.ins.some((i) => i.sequence < 0xfffffffe)) {
        throw new SendError('NOT_REPLACEABLE', 'This transaction did not signal replace-by-fee.');
      }
      const inputs: PsbtInputSpec[] = tx.ins.map((i) => {
        const prevTxid = bytesToHex(Uint8Array.from(i.hash).reverse());
        const owned = reader.ownedOutput(walletId, prevTxid, i.index);
        if (!owned)
          throw new SendError(
            'NOT_REPLACEABLE',
            'Only transactions spending this wallet’s coins alone can be bumped.',
          );
        return {
          txid: prevTxid,
          vout: i.index,
          value: owned.value,
          scriptPubKey: owned.scriptPubKey,
          chain: owned.chain,
          index: owned.index,
          prevTx: reader.rawTx(prevTxid),
        };
      });
      const oldFee =
        inputs.reduce((s, i) => s + i.value, 0) - tx.outs.reduce((s, o) => s + Number(o.value), 0);
      const oldVsize = tx.virtualSize();
      if (feeRate <= oldFee / oldVsize) {
        throw new SendError(
          'FEE_TOO_LOW',
          `The new rate must beat the current ${rateOf(oldFee, oldVsize)} sat/vB.`,
          {
            currentRate: rateOf(oldFee, oldVsize),
          },
        );
      }
      const recipients: PsbtOutputSpec[] = [];
      let change: { script: Uint8Array; index: number } | null = null;
      for (const o of tx.outs) {
        const owner = reader.scriptOwner(walletId, o.script);
        if (!change && owner && owner.chain === 1)
          change = { script: Uint8Array.from(o.script), index: owner.index };
        else recipients.push({ script: Uint8Array.from(o.script), value: Number(o.value) });
      }
      if (!change) {
        const c = changeAddress(walletId);
        change = { script: c.scriptPubKey, index: c.index };
      }
      const pay = recipients.reduce((s, o) => s + o.value, 0);
      const extras = defaultCoins(walletId)
        .filter((u) => u.txid !== txid)
        .sort((a, b) => b.value - a.value);
      const chosen = [...inputs];
      const lens = recipients.map((o) => o.script.length);
      for (;;) {
        const total = chosen.reduce((s, i) => s + i.value, 0);
        const need = (vsize: number) =>
          Math.max(feeFor(vsize, feeRate), oldFee + feeFor(vsize, INCREMENTAL_RELAY_RATE));
        const vWith = estimateVsize(chosen.length, [...lens, change.script.length], acct.scriptType);
        const changeValue = total - pay - need(vWith);
        if (changeValue >= dustOf(acct.scriptType)) {
          return saveDraft(
            acct,
            'bump',
            chosen,
            [
              ...recipients,
              { script: change.script, value: changeValue, change: { chain: 1, index: change.index } },
            ],
            {
              amountSats: pay,
              changeIndex: change.index,
              replacesTxid: txid,
            },
          );
        }
        const vWithout = estimateVsize(chosen.length, lens, acct.scriptType);
        if (recipients.length > 0 && total - pay >= need(vWithout)) {
          return saveDraft(acct, 'bump', chosen, recipients, {
            amountSats: pay,
            changeIndex: null,
            replacesTxid: txid,
          });
        }
        const next = extras.shift();
        if (!next) throw new SendError('INSUFFICIENT_FUNDS', 'Not enough coins to pay the higher fee.');
        chosen.push(inputSpec(next));
      }
    },

    async cpfp({ walletId, txid, feeRate }) {
      const acct = account(walletId);
      checkFeeRate(feeRate);
      const info = reader.tx(walletId, txid);
      if (!info)
        throw new SendError('TX_NOT_FOUND', 'This transaction is not known to the wallet.', { txid });
      if (info.height > 0) throw new SendError('NOT_REPLACEABLE', 'This transaction is already confirmed.');
      const raw = reader.rawTx(txid);
      if (!raw)
        throw new SendError('TX_NOT_FOUND', 'The raw transaction is missing; let the wallet sync.', { txid });
      const parent = Transaction.fromBuffer(raw);
      const ours = reader.utxos(walletId).filter((u) => u.txid === txid);
      if (ours.length === 0)
        throw new SendError('NOTHING_TO_SPEND', 'No unspent output of this transaction is ours.');
      // The parent's fee needs its input amounts: from our store, else from the server.
      let inSum = 0;
      for (const i of parent.ins) {
        const prevTxid = bytesToHex(Uint8Array.from(i.hash).reverse());
        let prevRaw = reader.rawTx(prevTxid);
        if (!prevRaw) {
          const hexTx = await electrum.client().request('blockchain.transaction.get', [prevTxid]);
          if (typeof hexTx !== 'string')
            throw new SendError('TX_NOT_FOUND', 'The server did not return a parent input.');
          prevRaw = Uint8Array.from(Buffer.from(hexTx, 'hex'));
        }
        const prev = Transaction.fromBuffer(prevRaw);
        if (prev.getId() !== prevTxid)
          throw new SendError('TX_NOT_FOUND', 'The server returned the wrong transaction.');
        const out = prev.outs[i.index];
        if (!out) throw new SendError('TX_NOT_FOUND', 'A parent input points at a missing output.');
        inSum += Number(out.value);
      }
      const parentFee = inSum - parent.outs.reduce((s, o) => s + Number(o.value), 0);
      const parentVsize = parent.virtualSize();
      if (parentFee / parentVsize >= feeRate) {
        throw new SendError('FEE_TOO_LOW', 'The transaction already pays this rate.', {
          currentRate: rateOf(parentFee, parentVsize),
        });
      }
      const c = changeAddress(walletId);
      const childVsize = estimateVsize(ours.length, [scriptLengthOf(acct.scriptType)], acct.scriptType);
      const childFee = Math.max(feeFor(parentVsize + childVsize, feeRate) - parentFee, feeFor(childVsize, 1));
      const amount = ours.reduce((s, u) => s + u.value, 0) - childFee;
      if (amount < dustOf(acct.scriptType))
        throw new SendError('INSUFFICIENT_FUNDS', 'The incoming amount is too small to pay for a child.');
      return saveDraft(
        acct,
        'cpfp',
        ours.map(inputSpec),
        [{ script: c.scriptPubKey, value: amount, change: { chain: 1, index: c.index } }],
        {
          amountSats: 0,
          changeIndex: c.index,
          parentTxid: txid,
        },
      );
    },

    importPsbt({ walletId, data }) {
      const acct = account(walletId);
      const psbt = decodePsbt(data, acct.network);
      const fee = psbtFee(psbt);
      const inputs = psbt.txInputs.map((i) => ({
        txid: bytesToHex(Uint8Array.from(i.hash).reverse()),
        vout: i.index,
      }));
      let change = 0;
      let pay = 0;
      psbt.txOutputs.forEach((o) => {
        if (reader.scriptOwner(walletId, o.script)) change += Number(o.value);
        else pay += Number(o.value);
      });
      const vsize = estimateVsize(
        inputs.length,
        psbt.txOutputs.map((o) => o.script.length),
        acct.scriptType,
      );
      const id = randomUUID();
      journal.insertDraft(
        {
          id,
          walletId,
          kind: 'import',
          psbt: psbt.toBuffer(),
          amountSats: pay,
          feeSats: fee,
          vsize,
          feeRateSatPerKvb: satPerKvb(fee, vsize),
          changeSats: change,
          changeIndex: null,
          inputs,
        },
        now(),
      );
      return toDraft(requireRow(id));
    },

    exportPsbt(draftId) {
      const row = requireRow(draftId);
      return exportPsbt(decodePsbt(row.psbt, account(row.walletId).network));
    },

    exportPsbtUr(draftId, maxFragmentLength) {
      return encodePsbtUr(this.exportPsbt(draftId).binary, maxFragmentLength);
    },

    signMessage({ walletId, address, message }) {
      const acct = account(walletId);
      const parsed = parseAddress(address, acct.network);
      const where = reader.addressIndex(walletId, parsed.address);
      if (!where) throw new SendError('UNSUPPORTED_ADDRESS', 'This address does not belong to the wallet.');
      const type = acct.scriptType;
      if (type === 'tr') {
        throw new SendError(
          'UNSUPPORTED_ADDRESS',
          'Taproot addresses sign messages with BIP322, which Flash does not support yet. Use an address of a Native SegWit, Nested SegWit or Legacy account.',
        );
      }
      if (acct.accountPath === null)
        throw new FlashError('WATCH_ONLY', 'Flash holds no keys for this account.');
      const secret = readMnemonic(walletId);
      const seed = mnemonicToSeedSync(secret.mnemonic, secret.passphrase);
      const root = HDKey.fromMasterSeed(seed, networkParams(acct.network).btc.bip32);
      seed.fill(0);
      const child = root.derive(`${acct.accountPath}/${where.chain}/${where.index}`);
      try {
        if (!child.privateKey) throw new Error('no private key');
        return signMessageWithKey(message, child.privateKey, type);
      } finally {
        child.wipePrivateData();
        root.wipePrivateData();
      }
    },

    verifyMessage({ address, message, signature, network }) {
      return verifyMessageSig(address, message, signature, network);
    },

    recover() {
      if (!recovering) {
        recovering = recoverOnce().finally(() => {
          recovering = null;
        });
      }
      return recovering;
    },

    start() {
      journal.pruneDrafts(now() - 24 * 60 * 60 * 1000);
      unsubscribers.push(electrum.onConnected(() => void this.recover()));
      unsubscribers.push(deps.bus.on('wallet.updated', ({ walletId }) => refreshConfirmations(walletId)));
      void this.recover();
    },

    stop() {
      for (const u of unsubscribers.splice(0)) u();
    },
  };
}
