import type { Network } from '../../../shared/contract';
import type { BroadcastResult } from './broadcast';
import { createBroadcaster } from './broadcast';
import { bumpFee } from './bump';
import { createConfirmation } from './confirm';
import type { SendDeps } from './context';
import { createSendContext } from './context';
import { childPaysForParent } from './cpfp';
import type { Draft } from './draft-view';
import { createDraftView, createFeeAcceptances } from './draft-view';
import type { FeeEstimates } from './fees';
import { fetchFeeEstimates } from './fees';
import { importPayment } from './import';
import { verifyMessage as verifyMessageSig } from './message';
import type { PrepareInput } from './prepare';
import { preparePayment } from './prepare';
import { exportPsbt, importPsbt as decodePsbt } from './psbt';
import type { PendingPayment } from './retry';
import { createRetryLoop } from './retry';
import { signWalletMessage } from './sign-message';
import { encodePsbtUr } from './ur';

export type { BroadcastResult } from './broadcast';
export type { SendDeps } from './context';
export type { Draft, EvictedPayment, FeeWarning } from './draft-view';
export type { PrepareInput, SendOutput } from './prepare';
export type { PendingPayment } from './retry';

export interface SendService {
  estimateFees(): Promise<FeeEstimates>;
  prepare(input: PrepareInput): Draft;
  getDraft(draftId: string): Draft;
  /** Signs with the vault's key, journals the raw tx durably, then broadcasts. */
  signAndBroadcast(draftId: string): Promise<BroadcastResult>;
  /** The user typed an absurd-looking fee back (exact sats): that fee may be signed. */
  acceptFee(input: { draftId: string; feeSats: number }): Draft;
  /** The PSBT a hardware device may sign, after the checks software signing makes. */
  draftForSigning(draftId: string): { walletId: string; psbtBase64: string; state: Draft['state'] };
  bumpFee(input: { walletId: string; txid: string; feeRate: number }): Draft;
  cpfp(input: { walletId: string; txid: string; feeRate: number }): Promise<Draft>;
  importPsbt(input: { walletId: string; data: string | Uint8Array }): Draft;
  exportPsbt(draftId: string): { base64: string; binary: Uint8Array };
  /** The draft's PSBT as ur:crypto-psbt parts for an animated QR. */
  exportPsbtUr(draftId: string, maxFragmentLength?: number): string[];
  /** Signed payments the network has not taken yet, with when they are tried again. */
  pending(walletId: string): PendingPayment[];
  signMessage(input: { walletId: string; address: string; message: string }): string;
  verifyMessage(input: { address: string; message: string; signature: string; network?: Network }): boolean;
  /** Completes or retries every payment left in 'broadcasting' and marks mined ones confirmed. */
  recover(): Promise<void>;
  start(): void;
  stop(): void;
}

/**
 * The send area: each money-moving operation is its own module (prepare, bump, cpfp, import,
 * confirm, broadcast, retry) over one shared context; this factory wires them.
 */
export function createSendService(deps: SendDeps): SendService {
  const ctx = createSendContext(deps);
  const acceptances = createFeeAcceptances();
  const view = createDraftView(ctx, acceptances);
  const broadcaster = createBroadcaster(ctx);
  const confirmation = createConfirmation(ctx, view, acceptances, broadcaster);
  const retry = createRetryLoop(ctx, broadcaster);
  const unsubscribers: (() => void)[] = [];

  return {
    estimateFees() {
      return fetchFeeEstimates(deps.electrum.client());
    },
    prepare: (input) => preparePayment(ctx, view, input),
    getDraft: (draftId) => view.toDraft(ctx.requireRow(draftId)),
    async signAndBroadcast(draftId) {
      const result = await confirmation.signAndBroadcast(draftId);
      if (result.state === 'broadcasting') retry.scheduleRetry(result.draftId);
      return result;
    },
    acceptFee: ({ draftId, feeSats }) => confirmation.acceptFee(draftId, feeSats),
    draftForSigning: (draftId) => confirmation.forSigning(draftId),
    bumpFee: (input) => bumpFee(ctx, view, input),
    cpfp: (input) => childPaysForParent(ctx, view, input),
    importPsbt: (input) => importPayment(ctx, view, input),
    exportPsbt(draftId) {
      const row = ctx.requireRow(draftId);
      return exportPsbt(decodePsbt(row.psbt, ctx.account(row.walletId).network));
    },
    exportPsbtUr(draftId, maxFragmentLength) {
      return encodePsbtUr(this.exportPsbt(draftId).binary, maxFragmentLength);
    },
    pending: (walletId) => {
      ctx.account(walletId);
      return retry.pending(walletId);
    },
    signMessage: (input) => signWalletMessage(ctx, input),
    verifyMessage: ({ address, message, signature, network }) =>
      verifyMessageSig(address, message, signature, network),
    recover: () => retry.run(),
    start() {
      ctx.journal.pruneDrafts(ctx.now() - 24 * 60 * 60 * 1000);
      unsubscribers.push(deps.electrum.onConnected(() => void retry.onConnected()));
      unsubscribers.push(
        deps.bus.on('wallet.updated', ({ walletId }) => retry.refreshConfirmations(walletId)),
      );
      void retry.run();
    },
    stop() {
      retry.stop();
      for (const u of unsubscribers.splice(0)) u();
    },
  };
}
