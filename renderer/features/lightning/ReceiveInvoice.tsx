import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { buildBitcoinUri } from '../../../shared/bitcoin/uri';
import type { CreatedInvoiceView } from '../../../shared/contract/lightning';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { QrCode } from '../../components/QrCode';
import { useFormatDateTime, useI18n } from '../../i18n';
import { formatMsatAsSats, satsTextToMsat } from './format';
import { FiatAmount } from '../prices/FiatAmount';

/**
 * Receive: an amount (optional) and a description make an invoice, shown as a QR code with a
 * copy button. When the on-chain account can receive too, the same QR can be a unified BIP21
 * link (`bitcoin:ADDR?amount=…&lightning=BOLT11`) so any wallet can pay it. The invoice turns
 * "Paid" the moment main hears so (lightning.invoicePaid).
 */
export function ReceiveInvoice({ walletId }: { walletId: string | null }) {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const formatDateTime = useFormatDateTime();
  const [amountText, setAmountText] = useState('');
  const [description, setDescription] = useState('');
  const [invoice, setInvoice] = useState<CreatedInvoiceView | null>(null);
  const [paidMsat, setPaidMsat] = useState<string | null>(null);
  const [unified, setUnified] = useState(true);
  const overview = useQuery(
    useCallback(
      () =>
        walletId
          ? flash.wallet.getOverview({ walletId })
          : Promise.resolve({ ok: true as const, value: null }),
      [flash, walletId],
    ),
  );
  const create = useAction(
    useCallback(
      (amountMsat: string | null, text: string) =>
        flash.lightning.createInvoice({ description: text, ...(amountMsat ? { amountMsat } : {}) }),
      [flash],
    ),
  );
  useFlashEvent('lightning.invoicePaid', (paid) => {
    if (invoice && paid.paymentHash === invoice.paymentHash) setPaidMsat(paid.amountMsat);
  });

  const amountMsat = satsTextToMsat(amountText);
  const badAmount = amountText.trim() !== '' && amountMsat === null;
  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    setPaidMsat(null);
    const out = await create.run(amountMsat, description.trim());
    if (out) setInvoice(out);
  };

  const address = overview.value?.receive.address ?? null;
  // A BIP21 amount is whole sats: a sub-sat invoice amount cannot be offered on-chain as well.
  const wholeSats =
    invoice?.amountMsat && BigInt(invoice.amountMsat) % 1000n === 0n
      ? Number(BigInt(invoice.amountMsat) / 1000n)
      : null;
  const unifiedUri =
    invoice && address && (invoice.amountMsat === null || wholeSats !== null)
      ? buildBitcoinUri({
          address,
          ...(wholeSats !== null ? { amountSats: wholeSats } : {}),
          lightning: invoice.bolt11.toUpperCase(),
        })
      : null;
  const showUnified = unified && unifiedUri !== null;
  const expired = invoice !== null && paidMsat === null && invoice.expiresAt * 1000 < Date.now();

  return (
    <section className="card stack" aria-labelledby="ln-receive-title">
      <h2 id="ln-receive-title">{t('ln.receive.title')}</h2>
      {!invoice ? (
        <form className="stack" onSubmit={onCreate}>
          <Field
            label={t('ln.receive.amount')}
            inputMode="numeric"
            value={amountText}
            onChange={(e) => setAmountText(e.target.value)}
            aria-invalid={badAmount}
          />
          <Field
            label={t('ln.receive.description')}
            value={description}
            maxLength={639}
            onChange={(e) => setDescription(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="button-primary" disabled={create.busy || badAmount}>
              {t('ln.receive.create')}
            </button>
          </div>
          <ErrorAlert error={create.error} />
        </form>
      ) : (
        <div className="receive">
          <div className="stack">
            {paidMsat !== null ? (
              <p className="alert alert-ok ln-paid" role="status">
                {t('ln.receive.paid', {
                  amount: t('amount.sats', { value: formatMsatAsSats(paidMsat, separators) }),
                })}
              </p>
            ) : expired ? (
              <p className="alert alert-warning">{t('ln.receive.expired')}</p>
            ) : (
              <>
                <QrCode
                  value={showUnified && unifiedUri ? unifiedUri : `lightning:${invoice.bolt11.toUpperCase()}`}
                  alt={showUnified ? t('ln.receive.unifiedQrAlt') : t('ln.receive.qrAlt')}
                />
                <p role="status">{t('ln.receive.waiting')}</p>
              </>
            )}
          </div>
          <div className="receive-details">
            {invoice.amountMsat && (
              <p className="amount">
                {t('amount.sats', { value: formatMsatAsSats(invoice.amountMsat, separators) })}
                <FiatAmount sats={Number(BigInt(invoice.amountMsat) / 1000n)} />
              </p>
            )}
            <p className="address mono ln-invoice" data-testid="ln-invoice">
              {invoice.bolt11}
            </p>
            <div className="actions">
              <CopyButton text={invoice.bolt11} label={t('ln.receive.copy')} />
              {showUnified && unifiedUri && <CopyButton text={unifiedUri} label={t('ln.receive.copyUri')} />}
            </div>
            {unifiedUri && paidMsat === null && (
              <label className="radio">
                <input type="checkbox" checked={unified} onChange={(e) => setUnified(e.target.checked)} />{' '}
                {t('ln.receive.unified')}
              </label>
            )}
            {invoice.feeMsat !== null && invoice.feeMsat !== '0' && (
              <p className="hint" data-testid="ln-invoice-fee">
                {t('breez.invoiceFee', {
                  fee: t('amount.sats', { value: formatMsatAsSats(invoice.feeMsat, separators) }),
                })}
              </p>
            )}
            <p className="hint">{t('ln.receive.expires', { time: formatDateTime(invoice.expiresAt) })}</p>
            <div className="actions">
              <button
                type="button"
                onClick={() => {
                  setInvoice(null);
                  setPaidMsat(null);
                  setAmountText('');
                  setDescription('');
                }}
              >
                {t('ln.receive.new')}
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
