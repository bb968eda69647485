import { useCallback, useEffect, useMemo, useState } from 'react';
import type {
  ChargeInput,
  Counter,
  EcashRequest,
  OrderTotals,
  Sale,
  StampCard,
  StampCustomerRef,
} from '../../../shared/contract/merchant';
import {
  divRound,
  formatAtoms,
  isDecimalString,
  satsForAmount,
  toAtoms,
} from '../../../shared/merchant/decimal';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { call } from '../../app/result';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import { StampCustomerPanel, useStampCardOn } from './StampCardPanels';

type Unit = 'currency' | 'sats' | 'BTC';
type Tip = { kind: 'none' } | { kind: 'percent'; percent: number } | { kind: 'amount'; amount: string };

interface CartLine {
  itemId: string;
  count: number;
  /** Typed amounts only, in the app's currency. */
  price?: string;
}

const KEYS = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '.', '0', '⌫'] as const;

/** Keypad text in `unit` → an amount in the app's currency (rounded to its decimals), or null. */
function keypadAmount(text: string, unit: Unit, counter: Counter): string | null {
  if (!isDecimalString(text) || toAtoms(text) <= 0n) return null;
  if (unit === 'currency')
    return formatAtoms(divRound(toAtoms(text), 1n, counter.decimals), counter.decimals);
  if (!counter.rate) return null;
  const btc = unit === 'BTC' ? toAtoms(text) : divRound(toAtoms(text), 100_000_000n, 12);
  // BTC × (currency per BTC), in atoms: divide the atom product by one atom unit.
  return formatAtoms(divRound(btc * toAtoms(counter.rate), 10n ** 12n, counter.decimals), counter.decimals);
}

/** Sats for an amount in the app's currency at the store's rate (display only). */
function satsFor(amount: string, counter: Counter): string | null {
  if (!counter.rate || !isDecimalString(amount)) return null;
  const sats = satsForAmount(amount, counter.rate);
  return sats.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function CounterScreen({
  counter,
  onCharged,
  onEcash,
}: {
  counter: Counter;
  /** `customer`: the stamp-card customer the sale was made for, if the cashier named one. */
  onCharged: (sale: Sale, customer: StampCustomerRef | null) => void;
  /** BTCPay out of reach: the cart goes to an eCash sale instead. */
  onEcash: (request: EcashRequest) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [category, setCategory] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [cart, setCart] = useState<CartLine[]>([]);
  const [keypad, setKeypad] = useState('');
  const [unit, setUnit] = useState<Unit>('currency');
  const [tip, setTip] = useState<Tip>({ kind: 'none' });
  const [customTip, setCustomTip] = useState('');
  const [discount, setDiscount] = useState('');
  const [note, setNote] = useState('');
  const stampsOn = useStampCardOn();
  const [stampCard, setStampCard] = useState<StampCard | null>(null);
  const [totals, setTotals] = useState<OrderTotals | null>(null);
  const [quoteError, setQuoteError] = useState<unknown>(null);

  const input: ChargeInput | null = useMemo(() => {
    if (cart.length === 0) return null;
    const d = discount.trim();
    return {
      lines: cart.map((l) => ({ itemId: l.itemId, count: l.count, ...(l.price ? { price: l.price } : {}) })),
      discountPercent: d && isDecimalString(d) && Number(d) > 0 ? d : null,
      tipAmount: tip.kind === 'amount' && isDecimalString(tip.amount) ? tip.amount : null,
      tipPercent: tip.kind === 'percent' ? String(tip.percent) : null,
      ...(note.trim() ? { note: note.trim() } : {}),
    };
  }, [cart, discount, tip, note]);

  // Totals come from main (BTCPay's order math); the customer display follows the cart.
  useEffect(() => {
    let current = true;
    if (!input) {
      setTotals(null);
      void flash.merchant.showCart({ clear: true });
      return;
    }
    const timer = setTimeout(() => {
      call(flash.merchant.quote(input)).then(
        (q) => {
          if (!current) return;
          setTotals(q);
          setQuoteError(null);
          void flash.merchant.showCart(input);
        },
        (err: unknown) => {
          if (current) setQuoteError(err);
        },
      );
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [flash, input]);

  const charge = useAction(useCallback((i: ChargeInput) => flash.merchant.charge(i), [flash]));
  const openDisplay = useAction(useCallback(() => flash.merchant.openCustomerDisplay(), [flash]));
  const ecash = useAction(useCallback((i: ChargeInput) => flash.merchant.ecashRequest(i), [flash]));
  const offline = charge.error?.code === 'MERCHANT_UNREACHABLE' || charge.error?.code === 'MERCHANT_TIMEOUT';

  const shown = counter.items.filter(
    (i) =>
      (category === null || i.categories.includes(category)) &&
      (search.trim() === '' ||
        `${i.title} ${i.description ?? ''}`.toLowerCase().includes(search.trim().toLowerCase())),
  );
  const countOf = (id: string) => cart.filter((l) => l.itemId === id).reduce((n, l) => n + l.count, 0);
  const add = (id: string, delta: number) =>
    setCart((c) => {
      const at = c.findIndex((l) => l.itemId === id && !l.price);
      if (at < 0) return delta > 0 ? [...c, { itemId: id, count: delta }] : c;
      const next = [...c];
      const count = (next[at] as CartLine).count + delta;
      if (count <= 0) next.splice(at, 1);
      else next[at] = { itemId: id, count };
      return next;
    });
  const keypadValue = keypadAmount(keypad, unit, counter);
  const pressKey = (k: (typeof KEYS)[number]) => {
    if (k === '⌫') setKeypad((s) => s.slice(0, -1));
    else if (k === '.') setKeypad((s) => (s.includes('.') || unit === 'sats' ? s : `${s || '0'}.`));
    else setKeypad((s) => (s.length >= 15 ? s : s === '0' ? k : s + k));
  };
  const addKeypad = () => {
    if (!keypadValue) return;
    setCart((c) => [...c, { itemId: '', count: 1, price: keypadValue }]);
    setKeypad('');
  };

  const clearCart = () => {
    setCart([]);
    setTip({ kind: 'none' });
    setDiscount('');
    setNote('');
  };
  const submit = async () => {
    if (!input) return;
    const customer = stampsOn && stampCard ? stampCard.customer : null;
    const sale = await charge.run(customer ? { ...input, customer } : input);
    if (sale) {
      clearCart();
      setStampCard(null);
      onCharged(sale, customer);
    }
  };
  const takeEcash = async () => {
    if (!input) return;
    const request = await ecash.run(input);
    if (request) {
      clearCart();
      charge.clearError();
      onEcash(request);
    }
  };

  const openCustomerDisplay = async () => {
    const r = await openDisplay.run();
    if (r && !r.opened) {
      // Browser mode: a second tab of this page, on the same one-time token.
      const token = window.sessionStorage.getItem('flash.bridgeToken') ?? '';
      window.open(`/?display=customer#token=${encodeURIComponent(token)}`, 'flash-customer-display');
    }
  };

  const money = (v: string) => `${v} ${counter.currency}`;
  return (
    <div className="merchant-counter">
      <section className="merchant-items" aria-label={t('merchant.counter.search')}>
        <div className="merchant-filters">
          <input
            type="search"
            aria-label={t('merchant.counter.search')}
            placeholder={t('merchant.counter.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <div className="merchant-chips" role="group" aria-label={t('merchant.counter.all')}>
            <button type="button" aria-pressed={category === null} onClick={() => setCategory(null)}>
              {t('merchant.counter.all')}
            </button>
            {counter.categories.map((c) => (
              <button key={c} type="button" aria-pressed={category === c} onClick={() => setCategory(c)}>
                {c}
              </button>
            ))}
          </div>
        </div>
        <div className="merchant-grid">
          {shown.map((item) => {
            const soldOut = item.inventory !== null && countOf(item.id) >= item.inventory;
            const fixed = item.priceType === 'Fixed' && item.price !== null;
            return (
              <button
                key={item.id}
                type="button"
                className="merchant-item"
                disabled={soldOut || !fixed}
                onClick={() => add(item.id, 1)}
              >
                <span className="merchant-item-title">{item.title}</span>
                <span className="merchant-item-price">{item.price !== null ? money(item.price) : '—'}</span>
                {soldOut && <span className="hint">{t('merchant.counter.outOfStock')}</span>}
                {countOf(item.id) > 0 && <span className="merchant-badge">{countOf(item.id)}</span>}
              </button>
            );
          })}
        </div>
        {counter.showCustomAmount && (
          <div className="merchant-keypad" aria-label={t('merchant.counter.keypad')} role="group">
            <div className="merchant-keypad-display">
              <output aria-label={t('merchant.counter.keypad')}>{keypad || '0'}</output>
              <span>{unit === 'currency' ? counter.currency : unit}</span>
              {unit !== 'currency' && keypadValue && <span className="hint">= {money(keypadValue)}</span>}
            </div>
            <div className="merchant-chips" role="radiogroup" aria-label={t('merchant.counter.unit')}>
              {(['currency', 'sats', 'BTC'] as const).map((u) => (
                <button
                  key={u}
                  type="button"
                  role="radio"
                  aria-checked={unit === u}
                  disabled={u !== 'currency' && !counter.rate}
                  onClick={() => {
                    setUnit(u);
                    setKeypad('');
                  }}
                >
                  {u === 'currency' ? counter.currency : u}
                </button>
              ))}
            </div>
            <div className="merchant-keys">
              {KEYS.map((k) => (
                <button key={k} type="button" onClick={() => pressKey(k)}>
                  {k}
                </button>
              ))}
            </div>
            <div className="actions">
              <button type="button" onClick={() => setKeypad('')}>
                {t('merchant.counter.clearKeypad')}
              </button>
              <button type="button" className="button-primary" disabled={!keypadValue} onClick={addKeypad}>
                {t('merchant.counter.add')}
              </button>
            </div>
          </div>
        )}
      </section>

      <section className="merchant-cart card stack" aria-labelledby="merchant-cart-title">
        <h2 id="merchant-cart-title">{t('merchant.counter.cart')}</h2>
        {cart.length === 0 ? (
          <p className="hint">{t('merchant.counter.empty')}</p>
        ) : (
          <ul className="merchant-lines">
            {cart.map((l, i) => {
              const item = counter.items.find((x) => x.id === l.itemId);
              const title = item?.title ?? t('merchant.counter.customAmount');
              return (
                <li key={`${l.itemId}-${i}`}>
                  <span>
                    {l.count} × {title}
                  </span>
                  <span>{money(l.price ?? item?.price ?? '0')}</span>
                  {l.price ? (
                    <button
                      type="button"
                      aria-label={t('merchant.counter.less', { item: title })}
                      onClick={() => setCart((c) => c.filter((_, j) => j !== i))}
                    >
                      −
                    </button>
                  ) : (
                    <span className="merchant-stepper">
                      <button
                        type="button"
                        aria-label={t('merchant.counter.less', { item: title })}
                        onClick={() => add(l.itemId, -1)}
                      >
                        −
                      </button>
                      <button
                        type="button"
                        aria-label={t('merchant.counter.more', { item: title })}
                        onClick={() => add(l.itemId, 1)}
                      >
                        +
                      </button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {counter.enableTips && (
          <div className="stack">
            <span className="label">{t('merchant.counter.tip')}</span>
            <div className="merchant-chips" role="radiogroup" aria-label={t('merchant.counter.tip')}>
              <button
                type="button"
                role="radio"
                aria-checked={tip.kind === 'none'}
                onClick={() => setTip({ kind: 'none' })}
              >
                {t('merchant.counter.noTip')}
              </button>
              {counter.tipPercentages.map((p) => (
                <button
                  key={p}
                  type="button"
                  role="radio"
                  aria-checked={tip.kind === 'percent' && tip.percent === p}
                  onClick={() => setTip({ kind: 'percent', percent: p })}
                >
                  {p}%
                </button>
              ))}
            </div>
            <label className="field">
              <span>{t('merchant.counter.customTip')}</span>
              <input
                inputMode="decimal"
                value={customTip}
                onChange={(e) => {
                  setCustomTip(e.target.value);
                  setTip(
                    e.target.value.trim()
                      ? { kind: 'amount', amount: e.target.value.trim() }
                      : { kind: 'none' },
                  );
                }}
              />
            </label>
          </div>
        )}
        {counter.showDiscount && (
          <label className="field">
            <span>{t('merchant.counter.discount')}</span>
            <input inputMode="decimal" value={discount} onChange={(e) => setDiscount(e.target.value)} />
          </label>
        )}
        {stampsOn && <StampCustomerPanel card={stampCard} onCard={setStampCard} />}
        <label className="field">
          <span>{t('merchant.counter.note')}</span>
          <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </label>
        {totals && (
          <dl className="merchant-totals">
            {totals.itemsTotal !== totals.subtotal && (
              <>
                <dt>{t('merchant.counter.itemsTotal')}</dt>
                <dd>{money(totals.itemsTotal)}</dd>
                <dt>{t('merchant.counter.discount')}</dt>
                <dd>−{money(totals.discount)}</dd>
              </>
            )}
            <dt>{t('merchant.counter.subtotal')}</dt>
            <dd>{money(totals.subtotal)}</dd>
            <dt>{t('merchant.counter.tax')}</dt>
            <dd>{money(totals.tax)}</dd>
            <dt>{t('merchant.counter.tip')}</dt>
            <dd>{money(totals.tip)}</dd>
            <dt className="merchant-total">{t('merchant.counter.total')}</dt>
            <dd className="merchant-total" data-testid="merchant-total">
              {money(totals.total)}
            </dd>
            {satsFor(totals.total, counter) && (
              <dd className="hint merchant-sats">
                {t('merchant.counter.inSats', { sats: satsFor(totals.total, counter) ?? '' })}
              </dd>
            )}
          </dl>
        )}
        <ErrorAlert error={quoteError ?? charge.error ?? openDisplay.error} />
        {offline && input && (
          <div className="stack merchant-offline">
            <p>{t('merchant.ecash.offline')}</p>
            <button type="button" disabled={ecash.busy} onClick={() => void takeEcash()}>
              {t('merchant.ecash.take')}
            </button>
            <ErrorAlert error={ecash.error} />
          </div>
        )}
        <button
          type="button"
          className="button-primary merchant-charge"
          disabled={!input || !totals || charge.busy}
          onClick={() => void submit()}
        >
          {t('merchant.counter.charge', { amount: totals ? money(totals.total) : '' })}
        </button>
        <p className="hint">
          {counter.rate
            ? t('merchant.counter.rate', {
                rate: counter.rate,
                currency: counter.currency,
                age: counter.rateAt ? new Date(counter.rateAt).toLocaleTimeString() : '',
              })
            : t('merchant.counter.noRate', { currency: counter.currency })}
        </p>
        <button type="button" onClick={() => void openCustomerDisplay()}>
          {t('merchant.counter.customerDisplay')}
        </button>
      </section>
    </div>
  );
}
