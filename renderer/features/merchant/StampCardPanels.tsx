import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { StampCard, StampCustomerRef } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';

/** A card UID as the cashier may type it (7 bytes of hex, separators allowed); anything else is an npub. */
const CARD_UID = /^([0-9a-f]{2}[\s:]?){6}[0-9a-f]{2}$/i;

function refFor(text: string): StampCustomerRef {
  const value = text.trim();
  return { kind: CARD_UID.test(value) ? 'card' : 'npub', value };
}

/** Whether the store's rewards are a stamp card (the counter then asks who the customer is). */
export function useStampCardOn(): boolean {
  const flash = useFlash();
  const rules = useQuery(useCallback(() => flash.merchant.getRewardRules(), [flash]));
  return rules.value?.enabled === true && rules.value.kind === 'stamps';
}

/**
 * At the counter: who the customer is, for the stamp card (npub typed or scanned, a card UID, or
 * the Flash Card on the reader), and their stamps so far, counted on BTCPay by main.
 */
export function StampCustomerPanel({
  card,
  onCard,
}: {
  card: StampCard | null;
  onCard: (card: StampCard | null) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [text, setText] = useState('');
  const find = useAction(
    useCallback(
      (input: { customer: StampCustomerRef } | { cardOnReader: true }) => flash.merchant.stampCard(input),
      [flash],
    ),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    const found = await find.run({ customer: refFor(text) });
    if (found) onCard(found);
  };
  const tap = async () => {
    const found = await find.run({ cardOnReader: true });
    if (found) onCard(found);
  };

  return (
    <section className="stack merchant-stamps" aria-labelledby="merchant-stamps-title">
      <h3 id="merchant-stamps-title">{t('merchant.stamps.customer')}</h3>
      {card ? (
        <div className="actions">
          <p role="status" className="merchant-stamp-count">
            {t('merchant.stamps.count', { stamps: card.stamps, every: card.every })}
          </p>
          <span className="hint mono merchant-stamp-customer">{card.customer.value}</span>
          <button
            type="button"
            onClick={() => {
              onCard(null);
              setText('');
            }}
          >
            {t('merchant.stamps.clear')}
          </button>
        </div>
      ) : (
        <form className="actions" onSubmit={submit}>
          <input
            aria-label={t('merchant.stamps.customerHint')}
            placeholder={t('merchant.stamps.customerHint')}
            value={text}
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" disabled={!text.trim() || find.busy}>
            {t('merchant.stamps.identify')}
          </button>
          <button type="button" disabled={find.busy} onClick={() => void tap()}>
            {t('merchant.stamps.tapCard')}
          </button>
        </form>
      )}
      <ErrorAlert error={find.error} />
    </section>
  );
}

/** On the sale screen: the stamp this sale put on the customer's card, once BTCPay settled it. */
export function SaleStamps({
  customer,
  invoiceId,
  settled,
}: {
  customer: StampCustomerRef;
  invoiceId: string;
  settled: boolean;
}) {
  const t = useT();
  const flash = useFlash();
  const [card, setCard] = useState<StampCard | null>(null);
  const read = useAction(
    useCallback(() => flash.merchant.stampCard({ customer, invoiceId }), [flash, customer, invoiceId]),
  );
  const { run } = read;
  useEffect(() => {
    void run().then((c) => {
      if (c) setCard(c);
    });
    // `settled`: read again once the sale counts.
  }, [run, settled]);
  if (!card) return <ErrorAlert error={read.error} />;
  const full = settled && card.stamps === card.every;
  return (
    <div className="stack merchant-stamps" data-testid="sale-stamps">
      <p role="status" className="merchant-stamp-count">
        {t('merchant.stamps.count', { stamps: card.stamps, every: card.every })}
      </p>
      {full && <p className="merchant-stamp-full">{t('merchant.stamps.full')}</p>}
    </div>
  );
}
