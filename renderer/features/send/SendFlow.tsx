import { useState } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { SendDraft } from '../../../shared/contract/send';
import { DeviceSendGate } from '../devices/DeviceSendGate';
import { MultisigSendGate } from '../multisig/SignChecklist';
import { ImportPsbt } from './ImportPsbt';
import { MessageTools } from './MessageTools';
import type { SentResult } from './ReviewDraft';
import { ReviewDraft, SendResult } from './ReviewDraft';
import type { SendFormValues } from './SendForm';
import { initialSendForm, SendForm } from './SendForm';
import { SpeedUp } from './SpeedUp';

/** What the Wallet screen asked for: a new payment, an import, a speed-up, or message signing. */
export type SendStart =
  | { kind: 'send'; prefill?: { address: string; sats?: number | null } }
  | { kind: 'import' }
  | { kind: 'bump'; txid: string }
  | { kind: 'cpfp'; txid: string }
  | { kind: 'messages' };

type Step = { name: 'start' } | { name: 'review'; draft: SendDraft } | { name: 'result'; result: SentResult };

/** The whole send flow inside the Wallet area: start step, review, result. */
export function SendFlow(props: {
  walletId: string;
  network: Network;
  receiveAddress: string;
  start: SendStart;
  /** Back to the wallet; `sent` when something was broadcast (so the wallet refreshes). */
  onClose: (sent: boolean) => void;
}) {
  const { walletId, network, receiveAddress, start, onClose } = props;
  const [step, setStep] = useState<Step>({ name: 'start' });
  // Kept here so "Back" from the review returns to the form as the user left it.
  const [form, setForm] = useState<SendFormValues>(() =>
    initialSendForm(start.kind === 'send' ? start.prefill : undefined),
  );
  const toReview = (draft: SendDraft) => setStep({ name: 'review', draft });

  if (step.name === 'review') {
    const onBack = () => setStep({ name: 'start' });
    const onSent = (result: SentResult) => setStep({ name: 'result', result });
    // Device accounts sign on their Ledger/Trezor ("Confirm on your device"); others review as usual.
    return (
      <MultisigSendGate walletId={walletId} draft={step.draft} onBack={onBack} onSent={onSent}>
        <DeviceSendGate walletId={walletId} draft={step.draft} onBack={onBack} onSent={onSent}>
          <ReviewDraft draft={step.draft} onBack={onBack} onSent={onSent} />
        </DeviceSendGate>
      </MultisigSendGate>
    );
  }
  if (step.name === 'result')
    return <SendResult walletId={walletId} result={step.result} onDone={() => onClose(true)} />;
  switch (start.kind) {
    case 'send':
      return (
        <SendForm
          walletId={walletId}
          network={network}
          values={form}
          onChange={setForm}
          onDraft={toReview}
          onCancel={() => onClose(false)}
        />
      );
    case 'import':
      return <ImportPsbt walletId={walletId} onDraft={toReview} onCancel={() => onClose(false)} />;
    case 'bump':
    case 'cpfp':
      return (
        <SpeedUp
          walletId={walletId}
          txid={start.txid}
          method={start.kind}
          onDraft={toReview}
          onCancel={() => onClose(false)}
        />
      );
    case 'messages':
      return (
        <MessageTools walletId={walletId} defaultAddress={receiveAddress} onClose={() => onClose(false)} />
      );
  }
}
