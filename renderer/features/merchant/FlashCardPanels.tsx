import { useCallback, useEffect, useRef, useState } from 'react';
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
  // The first read opens the readers, and their first news often comes right behind its answer:
  // once an event has arrived, the (older) answer must not overwrite it.
  const heard = useRef(false);
  useEffect(() => {
    if (query.value && !heard.current) setStatus(query.value);
  }, [query.value]);
  useFlashEvent('merchant.card', (next) => {
    heard.current = true;
    setStatus(next);
  });
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

/**
 * The manager's Flash Card tools: program a blank card, read a balance, top a card up, and wipe
 * it (asking first when the card still holds sats, since wiping gives them up).
 */
export function FlashCardTools() {
  const t = useT();
  const flash = useFlash();
  const readers = useCardReaders();
  const [sats, setSats] = useState('');
  const [more, setMore] = useState('');
  const [programmed, setProgrammed] = useState<ProgrammedCard | null>(null);
  const [balance, setBalance] = useState<number | null>(null);
  const [toppedUp, setToppedUp] = useState<number | null>(null);
  const [confirmWipe, setConfirmWipe] = useState<number | null>(null);
  const [wiped, setWiped] = useState(false);
  const program = useAction(useCallback((n: number) => flash.merchant.cardProgram({ sats: n }), [flash]));
  const read = useAction(useCallback(() => flash.merchant.cardBalance(), [flash]));
  const topUp = useAction(useCallback((n: number) => flash.merchant.cardTopUp({ sats: n }), [flash]));
  const wipe = useAction(
    useCallback((giveUpSats: number) => flash.merchant.cardWipe({ giveUpSats }), [flash]),
  );
  const whole = (text: string) => (/^\d{1,8}$/.test(text.trim()) ? Number(text.trim()) : 0);
  const amount = whole(sats);
  const extra = whole(more);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await program.run(amount);
    if (r) setProgrammed(r);
  };
  const submitTopUp = async (e: FormEvent) => {
    e.preventDefault();
    setToppedUp(null);
    const r = await topUp.run(extra);
    if (r) {
      setToppedUp(r.balanceSats);
      setMore('');
    }
  };
  const doWipe = async (giveUpSats: number) => {
    setConfirmWipe(null);
    if (await wipe.run(giveUpSats)) setWiped(true);
  };
  /** Reads what the card holds first: a card with sats on it is wiped only after a yes. */
  const startWipe = async () => {
    setWiped(false);
    const held = await read.run();
    if (!held) return;
    setBalance(held.sats);
    if (held.sats > 0) setConfirmWipe(held.sats);
    else await doWipe(0);
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
      <form className="actions" onSubmit={submitTopUp}>
        <label className="field">
          <span>{t('merchant.card.topUpAmount')}</span>
          <input inputMode="numeric" value={more} onChange={(e) => setMore(e.target.value)} />
        </label>
        <button type="submit" disabled={extra <= 0 || topUp.busy}>
          {t('merchant.card.topUp')}
        </button>
      </form>
      {toppedUp !== null && <p role="status">{t('merchant.card.toppedUp', { sats: toppedUp })}</p>}
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
        <button type="button" disabled={wipe.busy || read.busy} onClick={() => void startWipe()}>
          {t('merchant.card.wipe')}
        </button>
      </div>
      {confirmWipe !== null && (
        <div className="merchant-confirm stack" role="alertdialog" aria-labelledby="merchant-wipe-confirm">
          <p id="merchant-wipe-confirm">{t('merchant.card.wipeConfirm', { sats: confirmWipe })}</p>
          <div className="actions">
            <button type="button" className="button-danger" onClick={() => void doWipe(confirmWipe)}>
              {t('merchant.card.wipeAnyway', { sats: confirmWipe })}
            </button>
            <button type="button" onClick={() => setConfirmWipe(null)}>
              {t('merchant.card.keep')}
            </button>
          </div>
        </div>
      )}
      {balance !== null && <p role="status">{t('merchant.card.balanceIs', { sats: balance })}</p>}
      {wiped && <p role="status">{t('merchant.card.wiped')}</p>}
      <ErrorAlert error={program.error ?? read.error ?? topUp.error ?? wipe.error} />
    </section>
  );
}
