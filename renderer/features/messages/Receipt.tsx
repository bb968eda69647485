import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { NostrReceipt, NostrSendResult } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Amount } from '../../components/Amount';
import { Field } from '../../components/Field';
import { SubmitCancel } from '../../components/FormActions';
import { useI18n, useT } from '../../i18n';

/** A receipt received or sent in a chat, drawn from the message's machine-readable part. */
export function ReceiptCard({ receipt }: { receipt: NostrReceipt }) {
  const { t, language } = useI18n();
  const date = new Date(receipt.date * 1000);
  return (
    <section className="social-receipt" aria-label={t('social.receipt.card', { merchant: receipt.merchant })}>
      <p className="social-receipt-title">{t('social.receipt.title', { merchant: receipt.merchant })}</p>
      <p className="hint">
        <time dateTime={date.toISOString()}>{date.toLocaleDateString(language)}</time>
      </p>
      <table className="social-receipt-items">
        <thead>
          <tr>
            <th scope="col">{t('social.receipt.item')}</th>
            <th scope="col">{t('social.receipt.quantity')}</th>
            <th scope="col">{t('social.receipt.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {receipt.items.map((i, n) => (
            <tr key={n}>
              <td>{i.description}</td>
              <td>{i.quantity}</td>
              <td>
                <Amount sats={i.quantity * i.unitSats} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {t('social.receipt.total')}
            </th>
            <td>
              <Amount sats={receipt.totalSats} />
            </td>
          </tr>
        </tfoot>
      </table>
      {receipt.txid && (
        <p className="mono social-receipt-ref">{t('social.receipt.txid', { txid: receipt.txid })}</p>
      )}
      {receipt.invoice && (
        <p className="mono social-receipt-ref">{t('social.receipt.invoice', { invoice: receipt.invoice })}</p>
      )}
      {receipt.note && <p>{receipt.note}</p>}
    </section>
  );
}

interface ItemDraft {
  description: string;
  quantity: string;
  unitSats: string;
}

const EMPTY_ITEM: ItemDraft = { description: '', quantity: '1', unitSats: '' };

function toItems(items: ItemDraft[]) {
  const out: { description: string; quantity: number; unitSats: number }[] = [];
  for (const i of items) {
    if (i.description.trim() === '' && i.unitSats.trim() === '') continue;
    const quantity = Number(i.quantity);
    const unitSats = Number(i.unitSats);
    if (i.description.trim() === '' || !Number.isSafeInteger(quantity) || quantity < 1) return null;
    if (!Number.isSafeInteger(unitSats) || unitSats < 0) return null;
    out.push({ description: i.description.trim(), quantity, unitSats });
  }
  return out.length > 0 ? out : null;
}

/** Composes a receipt (lines, payment reference, note); main adds the date, merchant and total. */
export function ReceiptForm({
  to,
  onSent,
  onClose,
}: {
  to: string[];
  onSent: (result: NostrSendResult) => void;
  onClose: () => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [items, setItems] = useState<ItemDraft[]>([{ ...EMPTY_ITEM }]);
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const send = useAction(
    useCallback(
      (input: Parameters<typeof flash.nostr.sendReceipt>[0]) => flash.nostr.sendReceipt(input),
      [flash],
    ),
  );
  const parsed = toItems(items);
  const ref = reference.trim();
  const refKind =
    ref === ''
      ? 'none'
      : /^[0-9a-f]{64}$/i.test(ref)
        ? 'txid'
        : /^ln[a-z0-9]+$/i.test(ref)
          ? 'invoice'
          : 'bad';
  const total = parsed?.reduce((s, i) => s + i.quantity * i.unitSats, 0) ?? null;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!parsed || refKind === 'bad') return;
    const out = await send.run({
      to,
      receipt: {
        items: parsed,
        ...(refKind === 'txid' ? { txid: ref } : {}),
        ...(refKind === 'invoice' ? { invoice: ref } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
    });
    if (out) onSent(out);
  };
  const setItem = (n: number, patch: Partial<ItemDraft>) =>
    setItems((list) => list.map((i, k) => (k === n ? { ...i, ...patch } : i)));

  return (
    <form
      className="stack social-receipt-form"
      onSubmit={onSubmit}
      aria-labelledby="social-receipt-form-title"
    >
      <h3 id="social-receipt-form-title">{t('social.receipt.formTitle')}</h3>
      <p className="hint">{t('social.receipt.explain')}</p>
      {items.map((item, n) => (
        <fieldset key={n} className="social-receipt-line">
          <legend>{t('social.receipt.line', { n: n + 1 })}</legend>
          <Field
            label={t('social.receipt.item')}
            value={item.description}
            maxLength={200}
            onChange={(e) => setItem(n, { description: e.target.value })}
          />
          <Field
            label={t('social.receipt.quantity')}
            className="social-receipt-qty"
            inputMode="numeric"
            value={item.quantity}
            onChange={(e) => setItem(n, { quantity: e.target.value })}
          />
          <Field
            label={t('social.receipt.unitSats')}
            inputMode="numeric"
            value={item.unitSats}
            onChange={(e) => setItem(n, { unitSats: e.target.value })}
          />
          {items.length > 1 && (
            <button
              type="button"
              className="button-small social-receipt-remove"
              aria-label={t('social.receipt.removeLine', { n: n + 1 })}
              onClick={() => setItems((list) => list.filter((_, k) => k !== n))}
            >
              {t('social.receipt.remove')}
            </button>
          )}
        </fieldset>
      ))}
      <div className="actions">
        <button
          type="button"
          className="button-small"
          onClick={() => setItems((l) => [...l, { ...EMPTY_ITEM }])}
        >
          {t('social.receipt.addLine')}
        </button>
      </div>
      <div className="field">
        <label htmlFor="receipt-ref">{t('social.receipt.reference')}</label>
        <input
          id="receipt-ref"
          className="mono"
          value={reference}
          spellCheck={false}
          aria-describedby="receipt-ref-hint"
          onChange={(e) => setReference(e.target.value)}
        />
        <p id="receipt-ref-hint" className={refKind === 'bad' ? 'hint hint-error' : 'hint'}>
          {refKind === 'bad' ? t('social.receipt.badReference') : t('social.receipt.referenceHint')}
        </p>
      </div>
      <Field
        label={t('social.receipt.note')}
        value={note}
        maxLength={500}
        onChange={(e) => setNote(e.target.value)}
      />
      {total !== null && (
        <p role="status">
          {t('social.receipt.total')}: <Amount sats={total} />
        </p>
      )}
      <ErrorAlert error={send.error} />
      <SubmitCancel
        label={t('social.receipt.send')}
        disabled={send.busy || !parsed || refKind === 'bad'}
        onCancel={onClose}
      />
    </form>
  );
}
