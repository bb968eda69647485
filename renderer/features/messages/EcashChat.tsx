import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { EcashChatPaymentView, EcashOperationView } from '../../../shared/contract';
import type { NostrMessage } from '../../../shared/contract/nostr';
import { findChatPayments } from '../../../shared/ecash/chat-payments';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Amount } from '../../components/Amount';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';

/** Whether a message carries something eCash can act on (a token, a request, a payment). */
export function hasEcashPayment(text: string): boolean {
  return findChatPayments(text).length > 0;
}

/**
 * The message text with its eCash parts cut short (the card below shows them): a token or a
 * request keeps its first characters, a NUT-18 payment (JSON only) shows no text at all.
 */
export function shortenPayments(text: string): string {
  let out = text;
  for (const found of findChatPayments(text)) {
    if (found.kind === 'payload') return '';
    out = out.split(found.text).join(`${found.text.slice(0, 12)}…`);
  }
  return out.replace(/cashu:(\/\/)?(?=cashu)/gi, '').trim();
}

const unitLabel = (unit: string): string => (unit === 'sat' ? 'sats' : unit);

function Units({ amount, unit }: { amount: number; unit: string }) {
  const t = useT();
  return unit === 'sat' ? <Amount sats={amount} /> : <>{t('ecashChat.units', { amount, unit })}</>;
}

/**
 * The eCash pay card of a chat message: a token or a NUT-18 payment ("Claim", through main's
 * journaled receive, once per message) or a NUT-18 request ("Pay with eCash"). Main reads the
 * message again and decides; the card only shows what it answers.
 */
export function EcashChatCard({
  conversationId,
  message,
}: {
  conversationId: string;
  message: NostrMessage;
}) {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(
    () => flash.ecash.chatPayments({ conversationId }),
    // Refetched when the message changes (a new delivery state or the claim's message event).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [flash, conversationId, message.id],
  );
  const cards = useQuery(load);
  const { reload } = cards;
  // A payment claimed by itself (or a claim finishing later) updates its card.
  useFlashEvent('ecash.operation', (op) => {
    if (op.counterparty?.endsWith(message.id)) reload();
  });
  const [done, setDone] = useState<EcashOperationView | null>(null);
  const claim = useAction(
    useCallback(
      () => flash.ecash.claimChatToken({ conversationId, messageId: message.id }),
      [flash, conversationId, message.id],
    ),
  );
  const card: EcashChatPaymentView | undefined = cards.value?.find((c) => c.messageId === message.id);
  if (!card) return null;
  if (card.kind === 'request') return <EcashRequestCard card={card} />;
  const op = done ?? card.operation;
  const title = card.kind === 'payload' ? t('ecashChat.payload.title') : t('ecashChat.token.title');
  return (
    <section className="msg-pay msg-pay-ecash" aria-label={title}>
      <p className="msg-pay-title">{title}</p>
      {card.error ? (
        <p className="hint msg-pay-invalid">{t('ecashChat.invalid')}</p>
      ) : (
        <dl className="msg-pay-facts">
          <div>
            <dt>{t('ecashChat.amount')}</dt>
            <dd>{card.amount !== null && <Units amount={card.amount} unit={card.unit ?? 'sat'} />}</dd>
          </div>
          <div>
            <dt>{t('ecashChat.mint')}</dt>
            <dd className="mono">{card.mintUrl}</dd>
          </div>
        </dl>
      )}
      {message.direction === 'out' ? (
        <p className="hint">{t('ecashChat.sent')}</p>
      ) : op ? (
        <p className="hint" role="status">
          {op.state === 'claimed'
            ? t('ecashChat.claimed', { amount: op.amount - op.fee, unit: unitLabel(op.unit), fee: op.fee })
            : op.state === 'failed'
              ? t('ecashChat.failed', { error: op.error ?? '' })
              : t('ecashChat.stored')}
        </p>
      ) : (
        !card.error && (
          <div className="actions">
            <button
              type="button"
              className="button-primary"
              disabled={claim.busy}
              onClick={async () => {
                const out = await claim.run();
                if (out) setDone(out);
              }}
            >
              {t('ecashChat.claim')}
            </button>
          </div>
        )
      )}
      <ErrorAlert error={claim.error} />
    </section>
  );
}

function EcashRequestCard({ card }: { card: EcashChatPaymentView }) {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(
    () => flash.ecash.decodePaymentRequest({ request: card.text }),
    [flash, card.text],
  );
  const view = useQuery(load);
  const [sats, setSats] = useState('');
  const [paid, setPaid] = useState<{ operation: EcashOperationView; delivered: boolean } | null>(null);
  const pay = useAction(
    useCallback(
      (amount: number | undefined) =>
        flash.ecash.payPaymentRequest({ request: card.text, ...(amount ? { amount } : {}) }),
      [flash, card.text],
    ),
  );
  const title = t('ecashChat.request.title');
  if (view.error) return <p className="hint msg-pay-invalid">{t('ecashChat.invalid')}</p>;
  const v = view.value;
  if (!v) return null;
  const needsAmount = v.amount === null;
  const amount = Number(sats);
  const amountOk = !needsAmount || (Number.isSafeInteger(amount) && amount > 0);
  const already = paid?.operation ?? v.paid;
  const onPay = async (e: FormEvent) => {
    e.preventDefault();
    if (!amountOk) return;
    const out = await pay.run(needsAmount ? amount : undefined);
    if (out) setPaid(out);
  };
  return (
    <section className="msg-pay msg-pay-ecash" aria-label={title}>
      <p className="msg-pay-title">{title}</p>
      <dl className="msg-pay-facts">
        <div>
          <dt>{t('ecashChat.amount')}</dt>
          <dd>
            {v.amount !== null ? (
              <Units amount={v.amount} unit={v.unit ?? 'sat'} />
            ) : (
              t('ecashChat.request.anyAmount')
            )}
          </dd>
        </div>
        {v.mints.length > 0 && (
          <div>
            <dt>{t('ecashChat.mint')}</dt>
            <dd className="mono">{v.mints.join(', ')}</dd>
          </div>
        )}
      </dl>
      {v.description && <p className="hint">{t('ecashChat.request.description', { text: v.description })}</p>}
      {card.direction === 'out' ? (
        <p className="hint">{t('ecashChat.request.yours')}</p>
      ) : already ? (
        <p className="hint" role="status">
          {paid
            ? paid.delivered
              ? t('ecashChat.request.delivered')
              : t('ecashChat.request.notDelivered')
            : t('ecashChat.request.paid', { state: already.state })}
        </p>
      ) : v.amount !== null && v.payableFrom.length === 0 ? (
        <p className="hint">{t('ecashChat.request.cannotPay')}</p>
      ) : (
        <form className="msg-pay-form" onSubmit={onPay}>
          {needsAmount && (
            <Field
              label={t('ecashChat.request.amountField')}
              inputMode="numeric"
              value={sats}
              onChange={(e) => setSats(e.target.value.replace(/[^0-9]/g, ''))}
            />
          )}
          <div className="actions">
            <button type="submit" className="button-primary" disabled={pay.busy || !amountOk}>
              {t('ecashChat.request.pay')}
            </button>
          </div>
        </form>
      )}
      <ErrorAlert error={pay.error} />
    </section>
  );
}

/** "Send eCash" in a one-to-one chat: a token (optionally locked to their NIP-61 key) as a DM. */
export function SendEcashInChat({ to }: { to: string }) {
  const t = useT();
  const flash = useFlash();
  const [open, setOpen] = useState(false);
  const [sats, setSats] = useState('');
  const [memo, setMemo] = useState('');
  const [lock, setLock] = useState(false);
  const [asNutzap, setAsNutzap] = useState(false);
  const nutzap = useAction(
    useCallback(
      (amount: number, note: string) =>
        flash.ecash.nutzap({ to, amount, ...(note ? { comment: note } : {}) }),
      [flash, to],
    ),
  );
  const send = useAction(
    useCallback(
      (amount: number, note: string, lockToContact: boolean) =>
        flash.ecash.sendInChat({
          to,
          amount,
          ...(note ? { memo: note } : {}),
          ...(lockToContact ? { lockToContact } : {}),
        }),
      [flash, to],
    ),
  );
  if (!open)
    return (
      <button type="button" className="button-small" onClick={() => setOpen(true)}>
        {t('ecashChat.send.open')}
      </button>
    );
  const amount = Number(sats);
  const ok = Number.isSafeInteger(amount) && amount > 0;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ok) return;
    const out = asNutzap ? await nutzap.run(amount, memo.trim()) : await send.run(amount, memo.trim(), lock);
    if (out) {
      setSats('');
      setMemo('');
      setOpen(false);
    }
  };
  return (
    <form className="card msg-ecash-send" onSubmit={onSubmit} aria-label={t('ecashChat.send.title')}>
      <p className="msg-pay-title">{t('ecashChat.send.title')}</p>
      <p className="hint">{t('ecashChat.send.what')}</p>
      <Field
        label={t('ecashChat.send.amount')}
        inputMode="numeric"
        value={sats}
        onChange={(e) => setSats(e.target.value.replace(/[^0-9]/g, ''))}
      />
      <Field
        label={t('ecashChat.send.memo')}
        value={memo}
        maxLength={200}
        onChange={(e) => setMemo(e.target.value)}
      />
      <label className="checkbox">
        <input type="checkbox" checked={lock} onChange={(e) => setLock(e.target.checked)} />{' '}
        {t('ecashChat.send.lock')}
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={asNutzap} onChange={(e) => setAsNutzap(e.target.checked)} />{' '}
        {t('ecashChat.send.nutzap')}
      </label>
      {asNutzap && <p className="hint">{t('ecashChat.send.nutzapWhat')}</p>}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={!ok || send.busy || nutzap.busy}>
          {t('ecashChat.send.submit')}
        </button>
        <button type="button" className="button-small" onClick={() => setOpen(false)}>
          {t('ecashChat.send.cancel')}
        </button>
      </div>
      <ErrorAlert error={send.error ?? nutzap.error} />
    </form>
  );
}

/**
 * "Ask for eCash" in a one-to-one chat: a NUT-18 request (amount, what for; the NOSTR transport,
 * so the payment comes back as a message and is claimed by itself) sent as a message.
 */
export function RequestEcashInChat({ to }: { to: string }) {
  const t = useT();
  const flash = useFlash();
  const [open, setOpen] = useState(false);
  const [sats, setSats] = useState('');
  const [what, setWhat] = useState('');
  const ask = useAction(
    useCallback(
      async (amount: number, description: string) => {
        const made = await flash.ecash.createPaymentRequest({
          amount,
          transport: 'nostr',
          ...(description ? { description } : {}),
        });
        if (!made.ok) return made;
        return flash.nostr.sendMessage({ to: [to], text: made.value.request });
      },
      [flash, to],
    ),
  );
  if (!open)
    return (
      <button type="button" className="button-small" onClick={() => setOpen(true)}>
        {t('ecashChat.ask.open')}
      </button>
    );
  const amount = Number(sats);
  const ok = Number.isSafeInteger(amount) && amount > 0;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ok) return;
    const out = await ask.run(amount, what.trim());
    if (out) {
      setSats('');
      setWhat('');
      setOpen(false);
    }
  };
  return (
    <form className="card msg-ecash-send" onSubmit={onSubmit} aria-label={t('ecashChat.ask.title')}>
      <p className="msg-pay-title">{t('ecashChat.ask.title')}</p>
      <p className="hint">{t('ecashChat.ask.what')}</p>
      <Field
        label={t('ecashChat.send.amount')}
        inputMode="numeric"
        value={sats}
        onChange={(e) => setSats(e.target.value.replace(/[^0-9]/g, ''))}
      />
      <Field
        label={t('ecashChat.ask.for')}
        value={what}
        maxLength={200}
        onChange={(e) => setWhat(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={!ok || ask.busy}>
          {t('ecashChat.ask.submit')}
        </button>
        <button type="button" className="button-small" onClick={() => setOpen(false)}>
          {t('ecashChat.send.cancel')}
        </button>
      </div>
      <ErrorAlert error={ask.error} />
    </form>
  );
}
