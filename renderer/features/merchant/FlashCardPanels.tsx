import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { CardReaderStatus, ProgrammedCard } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';

/** The readers' state, live: no reader, reader without a card, card on the reader. */
function useCardReaders(): CardReaderStatus | null {
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.merchant.cardStatus(), [flash]));
  const [status, setStatus] = useState<CardReaderStatus | null>(null);
  useEffect(() => {
    if (query.value) setStatus(query.value);
  }, [query.value]);
  useFlashEvent('merchant.card', setStatus);
  return status;
}

function ReaderLine({ status }: { status: CardReaderStatus | null }) {
  const t = useT();
  if (!status) return null;
  const text = status.problem
    ? t('merchant.card.unavailable', { reason: status.problem })
    : status.readers.length === 0
      ? t('merchant.card.noReader')
      : status.cardPresent
        ? t('merchant.card.present', { reader: status.readers[0] ?? '' })
        : t('merchant.card.waiting', { reader: status.readers[0] ?? '' });
  return <p className="hint merchant-card-reader">{text}</p>;
}

/** On the charge screen: pay the sale's Lightning invoice with the Flash Card on the reader. */
export function TapToPay({ invoiceId }: { invoiceId: string }) {
  const t = useT();
  const flash = useFlash();
  const readers = useCardReaders();
  const [sent, setSent] = useState(false);
  const pay = useAction(useCallback(() => flash.merchant.cardPay({ invoiceId }), [flash, invoiceId]));
  return (
    <div className="merchant-card stack">
      <ReaderLine status={readers} />
      <button
        type="button"
        disabled={pay.busy || Boolean(readers?.problem) || readers?.readers.length === 0}
        onClick={async () => {
          setSent(false);
          if (await pay.run()) setSent(true);
        }}
      >
        {t('merchant.card.tap')}
      </button>
      {sent && <p role="status">{t('merchant.card.accepted')}</p>}
      <ErrorAlert error={pay.error} />
    </div>
  );
}

/** The manager's Flash Card tools: program a blank card, read a balance, wipe a card. */
export function FlashCardTools() {
  const t = useT();
  const flash = useFlash();
  const readers = useCardReaders();
  const [sats, setSats] = useState('');
  const [programmed, setProgrammed] = useState<ProgrammedCard | null>(null);
  const [balance, setBalance] = useState<number | null>(null);
  const [wiped, setWiped] = useState(false);
  const program = useAction(useCallback((n: number) => flash.merchant.cardProgram({ sats: n }), [flash]));
  const read = useAction(useCallback(() => flash.merchant.cardBalance(), [flash]));
  const wipe = useAction(useCallback(() => flash.merchant.cardWipe(), [flash]));
  const amount = /^\d{1,8}$/.test(sats.trim()) ? Number(sats.trim()) : 0;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await program.run(amount);
    if (r) setProgrammed(r);
  };
  return (
    <section className="card stack" aria-labelledby="merchant-cards-title">
      <h2 id="merchant-cards-title">{t('merchant.card.title')}</h2>
      <p className="hint">{t('merchant.card.explain')}</p>
      <ReaderLine status={readers} />
      <form className="actions" onSubmit={submit}>
        <label className="field">
          <span>{t('merchant.card.amount')}</span>
          <input inputMode="numeric" value={sats} onChange={(e) => setSats(e.target.value)} />
        </label>
        <button type="submit" className="button-primary" disabled={amount <= 0 || program.busy}>
          {t('merchant.card.program')}
        </button>
      </form>
      {programmed && (
        <p role="status">
          {t('merchant.card.programmed', { sats: programmed.balanceSats, uid: programmed.uid })}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={read.busy}
          onClick={async () => {
            const r = await read.run();
            if (r) setBalance(r.sats);
          }}
        >
          {t('merchant.card.balance')}
        </button>
        <button
          type="button"
          disabled={wipe.busy}
          onClick={async () => {
            setWiped(false);
            if (await wipe.run()) setWiped(true);
          }}
        >
          {t('merchant.card.wipe')}
        </button>
      </div>
      {balance !== null && <p role="status">{t('merchant.card.balanceIs', { sats: balance })}</p>}
      {wiped && <p role="status">{t('merchant.card.wiped')}</p>}
      <ErrorAlert error={program.error ?? read.error ?? wipe.error} />
    </section>
  );
}
