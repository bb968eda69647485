import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { ZapView } from '../../../shared/contract/nwc';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { SubmitCancel } from '../../components/FormActions';
import { useI18n, useT } from '../../i18n';
import type { People } from './people';
import { displayName, usePeople } from './people';

const PRESETS = [21, 100, 1000, 5000] as const;

/**
 * ⚡ Zap (NIP-57): pays the person (or their post) through Flash's default Lightning wallet. The
 * amount and comment are asked here; main fetches their Lightning address, checks the invoice
 * against the zap request, pays it and journals it.
 */
export function ZapButton({
  recipient,
  name,
  event,
}: {
  recipient: string;
  name: string;
  event?: { id: string; kind: number };
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  if (!open)
    return (
      <span className="zap-inline">
        <button
          type="button"
          className="button-small zap-button"
          aria-label={event ? t('zap.postLabel', { name }) : t('zap.personLabel', { name })}
          onClick={() => {
            setDone(null);
            setOpen(true);
          }}
        >
          {t('zap.button')}
        </button>
        {done && (
          <span role="status" className="zap-done">
            {done}
          </span>
        )}
      </span>
    );
  return (
    <ZapForm
      recipient={recipient}
      name={name}
      {...(event ? { event } : {})}
      onClose={(message) => {
        setOpen(false);
        setDone(message);
      }}
    />
  );
}

function ZapForm({
  recipient,
  name,
  event,
  onClose,
}: {
  recipient: string;
  name: string;
  event?: { id: string; kind: number };
  onClose: (message: string | null) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [sats, setSats] = useState('21');
  const [comment, setComment] = useState('');
  const zap = useAction(
    useCallback(
      (amountSats: number, text: string) =>
        flash.zaps.send({
          recipient,
          ...(event ? { eventId: event.id, eventKind: event.kind } : {}),
          amountSats,
          comment: text,
        }),
      [flash, recipient, event],
    ),
  );
  const amount = Number(sats);
  const valid = Number.isSafeInteger(amount) && amount >= 1 && amount <= 100_000_000;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    const out = await zap.run(amount, comment.trim());
    if (out)
      onClose(
        out.state === 'succeeded'
          ? t('zap.sent', { sats: amount, name })
          : t('zap.pending', { sats: amount, name }),
      );
  };
  return (
    <form className="card stack zap-form" onSubmit={onSubmit} aria-label={t('zap.title', { name })}>
      <h3>{t('zap.title', { name })}</h3>
      <div className="actions zap-presets" role="group" aria-label={t('zap.presets')}>
        {PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            className={`button-small${sats === String(p) ? ' button-primary' : ''}`}
            aria-pressed={sats === String(p)}
            onClick={() => setSats(String(p))}
          >
            {t('zap.presetSats', { sats: p })}
          </button>
        ))}
      </div>
      <Field
        label={t('zap.amount')}
        inputMode="numeric"
        value={sats}
        onChange={(e) => setSats(e.target.value.replace(/[^\d]/g, ''))}
        required
      />
      <Field
        label={t('zap.comment')}
        hint={t('zap.commentHint')}
        maxLength={280}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <ErrorAlert error={zap.error} />
      <SubmitCancel
        label={zap.busy ? t('zap.sending') : t('zap.send', { sats: valid ? amount : 0 })}
        disabled={!valid || zap.busy}
        onCancel={() => onClose(null)}
      />
    </form>
  );
}

/** Valid zap receipts for some posts or a person, refreshed as new ones arrive. */
export function useZaps(query: { eventIds?: string[]; recipient?: string }) {
  const flash = useFlash();
  const key = `${query.recipient ?? ''}|${(query.eventIds ?? []).join(',')}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the query's contents.
  const load = useCallback(() => flash.zaps.list(query), [flash, key]);
  const result = useQuery(load);
  const { reload } = result;
  useFlashEvent('nostr.zap', (zap) => {
    if (zap.recipient === query.recipient || (zap.eventId && query.eventIds?.includes(zap.eventId))) reload();
  });
  return result;
}

/** "⚡ 2,100 sats · 3 zaps", opening to who zapped, how much and what they said. */
export function ZapSummary({ zaps, people }: { zaps: ZapView[]; people: People }) {
  const t = useT();
  const { language } = useI18n();
  if (zaps.length === 0) return null;
  const total = zaps.reduce((sum, z) => sum + z.amountSats, 0);
  return (
    <details className="zap-summary">
      <summary>{t('zap.total', { sats: total.toLocaleString(language), count: zaps.length })}</summary>
      <ul aria-label={t('zap.list')}>
        {zaps.map((z) => (
          <li key={z.receiptId}>
            {t('zap.from', {
              name: displayName(z.sender, people),
              sats: z.amountSats.toLocaleString(language),
            })}
            {z.comment && <q className="zap-comment">{z.comment}</q>}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Zaps to the user's own key, as their receipts arrive (shown once there is one). */
export function ZapsReceived({ pubkey }: { pubkey: string }) {
  const t = useT();
  const zaps = useZaps({ recipient: pubkey });
  const list = zaps.value ?? [];
  const people = usePeople([...new Set(list.map((z) => z.sender))]);
  if (list.length === 0) return null;
  return (
    <section className="card stack zaps-received" aria-label={t('zap.received')}>
      <h2>{t('zap.received')}</h2>
      <ZapSummary zaps={list} people={people} />
    </section>
  );
}
