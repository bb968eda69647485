import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Sale, StampCustomerRef } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction, useCountdown, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { QrCode } from '../../components/QrCode';
import { useT } from '../../i18n';
import { TapToPay } from './FlashCardPanels';
import { playCounterSound, soundForChange } from './counter-sounds';
import { RewardPanel } from './RewardPanel';
import { SaleStamps } from './StampCardPanels';
import { saleNextStep, saleStateText, saleTone } from './merchant-text';

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** A sale after Charge: the QR, its live state with the next step, and the receipt. */
export function SaleScreen({
  initial,
  customer = null,
  onDone,
}: {
  initial: Sale;
  /** The stamp-card customer named at the counter, if any. */
  customer?: StampCustomerRef | null;
  onDone: () => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [sale, setSale] = useState(initial);
  useFlashEvent('merchant.sale', (next) => {
    if (next.invoiceId === sale.invoiceId) setSale(next);
  });
  const heard = useRef(initial.state);
  useEffect(() => {
    const sound = soundForChange(heard.current, sale.state);
    heard.current = sale.state;
    if (sound) playCounterSound(sound);
  }, [sale.state]);
  const left = useCountdown(sale.state === 'waiting' || sale.state === 'partial' ? sale.expiresAt : null);
  const print = useAction(
    useCallback(
      () => flash.merchant.printReceipt({ invoiceId: initial.invoiceId }),
      [flash, initial.invoiceId],
    ),
  );
  const send = useAction(
    useCallback(
      (to: string) => flash.merchant.sendReceipt({ invoiceId: initial.invoiceId, to }),
      [flash, initial.invoiceId],
    ),
  );
  const link = useAction(
    useCallback(
      () => flash.merchant.receiptLink({ invoiceId: initial.invoiceId }),
      [flash, initial.invoiceId],
    ),
  );
  const browserMode = useQuery(useCallback(() => flash.app.getInfo(), [flash])).value?.mode === 'browser';
  const browserPrint = useAction(
    useCallback(
      () => flash.merchant.receiptHtml({ invoiceId: initial.invoiceId }),
      [flash, initial.invoiceId],
    ),
  );
  const printInBrowser = async () => {
    // Opened before the answer arrives: a window opened later is no longer the click's, and is blocked.
    const page = window.open('', '_blank');
    const r = await browserPrint.run();
    if (!page) return;
    if (!r) {
      page.close();
      return;
    }
    page.document.open();
    page.document.write(r.html);
    page.document.close();
    // The new page inherits this app's CSP (no inline <style>); a constructed sheet still applies.
    const css = /<style>([\s\S]*?)<\/style>/.exec(r.html)?.[1];
    const Sheet = (page as Window & typeof globalThis).CSSStyleSheet;
    if (css && Sheet) {
      const sheet = new Sheet();
      sheet.replaceSync(css);
      page.document.adoptedStyleSheets = [sheet];
    }
    page.focus();
    page.print();
  };
  const [printed, setPrinted] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  // A customer named by npub for the stamp card gets the receipt there unless the cashier changes it.
  const [to, setTo] = useState(customer?.kind === 'npub' ? customer.value : '');
  const [mail, setMail] = useState<{ url: string; mailto: string } | null>(null);
  const tone = saleTone(sale.state);
  const open = sale.state === 'waiting' || sale.state === 'partial';
  const amount = `${sale.amount} ${sale.currency}`;

  const sendNostr = async (e: FormEvent) => {
    e.preventDefault();
    if (await send.run(to.trim())) setSent(true);
  };

  return (
    <section
      className={`merchant-sale card stack merchant-tone-${tone}`}
      aria-labelledby="merchant-sale-state"
    >
      <p id="merchant-sale-state" className="merchant-sale-state" role="status" aria-live="assertive">
        {saleStateText(t, sale.state, sale.dueSats)}
      </p>
      <p className="merchant-sale-amount">{amount}</p>
      <p>{saleNextStep(t, sale.state)}</p>
      {open && sale.qr && (
        <div className="merchant-qr stack">
          <QrCode value={sale.qr} alt={t('merchant.sale.scan', { amount })} />
          <p className="hint" aria-live="off">
            {t('merchant.sale.expiresIn', { time: clock(left) })}
          </p>
          <CopyButton text={sale.paymentUri ?? sale.qr} label={t('merchant.sale.copy')} />
        </div>
      )}
      {sale.state === 'waiting' && sale.bolt11 && <TapToPay invoiceId={sale.invoiceId} />}
      {customer && (
        <SaleStamps
          customer={customer}
          invoiceId={sale.invoiceId}
          settled={sale.state === 'paid' || sale.state === 'paidOver'}
        />
      )}
      {(sale.state === 'processing' || sale.state === 'paid' || sale.state === 'paidOver') && (
        <RewardPanel invoiceId={sale.invoiceId} settled={sale.state !== 'processing'} />
      )}
      <p className="hint mono">
        {sale.orderId} · {sale.invoiceId}
      </p>
      <div className="actions">
        <button type="button" className="button-primary" onClick={onDone}>
          {t('merchant.sale.newSale')}
        </button>
        {!open && (
          <button
            type="button"
            disabled={print.busy}
            onClick={async () => {
              const r = await print.run();
              if (r) setPrinted(r.path);
            }}
          >
            {t('merchant.sale.print')}
          </button>
        )}
        {!open && browserMode && (
          <button type="button" disabled={browserPrint.busy} onClick={() => void printInBrowser()}>
            {t('merchant.sale.printBrowser')}
          </button>
        )}
        {!open && (
          <button
            type="button"
            disabled={link.busy}
            onClick={async () => {
              const r = await link.run();
              if (r) setMail(r);
            }}
          >
            {t('merchant.sale.email')}
          </button>
        )}
      </div>
      {printed && (
        <p role="status" className="hint mono">
          {t('merchant.sale.printed', { path: printed })}
        </p>
      )}
      {mail && (
        <p className="mono merchant-link">
          <a href={mail.mailto}>{mail.url}</a>
        </p>
      )}
      {!open && (
        <form className="actions" onSubmit={sendNostr}>
          <input
            aria-label={t('merchant.sale.nostrTo')}
            placeholder={t('merchant.sale.nostrTo')}
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
          <button type="submit" disabled={!to.trim() || send.busy}>
            {t('merchant.sale.sendNostr')}
          </button>
          {sent && <span role="status">{t('merchant.sale.sent')}</span>}
        </form>
      )}
      <ErrorAlert error={print.error ?? browserPrint.error ?? send.error ?? link.error} />
    </section>
  );
}
