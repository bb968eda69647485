import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { EcashRequest, MerchantStatus, Sale, StampCustomerRef } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import { ConnectStore } from './ConnectStore';
import { CounterScreen } from './CounterScreen';
import { EcashSaleScreen } from './EcashSale';
import { HistoryScreen } from './HistoryScreen';
import { MerchantSettings } from './MerchantSettings';
import { PickApp } from './PickApp';
import { SaleScreen } from './SaleScreen';
import { TotalsScreen } from './TotalsScreen';
import './merchant.css';

type Tab = 'counter' | 'history' | 'totals' | 'settings';

/** The merchant area: connect, pick the POS app, then the counter, sales, totals and settings. */
export function MerchantArea() {
  const t = useT();
  const flash = useFlash();
  const statusQuery = useQuery(useCallback(() => flash.merchant.getStatus(), [flash]));
  const [status, setStatus] = useState<MerchantStatus | null>(null);
  useEffect(() => {
    if (statusQuery.value) setStatus(statusQuery.value);
  }, [statusQuery.value]);
  useFlashEvent('merchant.status', setStatus);
  const reloadStatus = statusQuery.reload;
  const [tab, setTab] = useState<Tab>('counter');
  const [picking, setPicking] = useState(false);
  const [sale, setSale] = useState<Sale | null>(null);
  const [saleCustomer, setSaleCustomer] = useState<StampCustomerRef | null>(null);
  const [ecashRequest, setEcashRequest] = useState<EcashRequest | null>(null);
  const [counterTick, setCounterTick] = useState(0);
  const conn = status?.connection ?? null;
  const ready = Boolean(conn?.storeId && conn.appId) && !picking;
  const counter = useQuery(
    useCallback(
      () => (ready ? flash.merchant.getCounter() : Promise.resolve({ ok: true as const, value: null })),
      // counterTick: settings saved → read the counter again.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      [flash, ready, counterTick],
    ),
  );
  const cashier = status?.cashierMode ?? false;
  useEffect(() => {
    if (cashier && tab === 'settings') setTab('counter');
  }, [cashier, tab]);

  if (!status) {
    return (
      <div className="stack">
        <h1>{t('merchant.title')}</h1>
        <ErrorAlert error={statusQuery.error} />
      </div>
    );
  }
  const tabs: Tab[] = cashier
    ? ['counter', 'history', 'totals']
    : ['counter', 'history', 'totals', 'settings'];
  const refundsAllowed = conn?.features.find((f) => f.feature === 'rewardsRefunds')?.ok ?? false;

  return (
    <div className="stack merchant-area">
      <header className="merchant-header">
        <h1>{conn?.storeName ?? t('merchant.title')}</h1>
        {cashier && <CashierUnlock />}
      </header>
      {!conn ? (
        <ConnectStore status={status} onConnected={reloadStatus} />
      ) : !ready ? (
        <PickApp
          onPicked={() => {
            setPicking(false);
            reloadStatus();
          }}
        />
      ) : (
        <>
          <nav className="merchant-tabs" aria-label={t('merchant.title')}>
            {tabs.map((id) => (
              <button
                key={id}
                type="button"
                aria-current={tab === id ? 'page' : undefined}
                onClick={() => setTab(id)}
              >
                {t(`merchant.tab.${id}`)}
              </button>
            ))}
          </nav>
          <ErrorAlert error={counter.error} />
          {tab === 'counter' &&
            counter.value &&
            (ecashRequest ? (
              <EcashSaleScreen
                request={ecashRequest}
                onDone={() => {
                  setEcashRequest(null);
                  void flash.merchant.showCart({ clear: true });
                }}
              />
            ) : sale ? (
              <SaleScreen
                initial={sale}
                customer={saleCustomer}
                onDone={() => {
                  setSale(null);
                  void flash.merchant.showCart({ clear: true });
                }}
              />
            ) : (
              <CounterScreen
                counter={counter.value}
                onCharged={(charged, customer) => {
                  setSale(charged);
                  setSaleCustomer(customer);
                }}
                onEcash={setEcashRequest}
              />
            ))}
          {tab === 'history' && <HistoryScreen cashierMode={cashier} canRefund={refundsAllowed} />}
          {tab === 'totals' && <TotalsScreen cashierMode={cashier} />}
          {tab === 'settings' && !cashier && (
            <MerchantSettings
              status={status}
              counter={counter.value ?? null}
              onChanged={() => {
                reloadStatus();
                setCounterTick((n) => n + 1);
              }}
              onChangeApp={() => setPicking(true)}
            />
          )}
        </>
      )}
    </div>
  );
}

/** Leaves cashier mode with the PIN or the wallet password. */
function CashierUnlock() {
  const t = useT();
  const flash = useFlash();
  const [secret, setSecret] = useState('');
  const leave = useAction(
    useCallback(
      (s: string) => flash.merchant.leaveCashierMode(/^\d{4,12}$/.test(s) ? { pin: s } : { password: s }),
      [flash],
    ),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await leave.run(secret)) setSecret('');
  };
  return (
    <form className="merchant-cashier-bar" onSubmit={submit}>
      <strong>{t('merchant.cashier.active')}</strong>
      <input
        type="password"
        autoComplete="off"
        aria-label={`${t('merchant.cashier.leavePin')} ${t('merchant.cashier.leavePassword')}`}
        placeholder={`${t('merchant.cashier.leavePin')} ${t('merchant.cashier.leavePassword')}`}
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
      />
      <button type="submit" disabled={!secret || leave.busy}>
        {t('merchant.cashier.leave')}
      </button>
      <ErrorAlert error={leave.error} />
    </form>
  );
}

/** Whether cashier mode is on, for the app shell (which then shows only this area). */
export function useCashierMode(): boolean {
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.merchant.getStatus(), [flash]));
  const [on, setOn] = useState(false);
  useEffect(() => {
    if (query.value) setOn(query.value.cashierMode);
  }, [query.value]);
  useFlashEvent('merchant.status', (s) => setOn(s.cashierMode));
  return on;
}
