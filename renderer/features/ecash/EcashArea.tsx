import { useState } from 'react';
import type { EcashMintView, EcashSentToken } from '../../../shared/contract/ecash';
import { useFlashEvent } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useToast } from '../../components/Toasts';
import { useI18n } from '../../i18n';
import { HistoryPanel } from './HistoryPanel';
import { MeltPanel } from './MeltPanel';
import { MintsPanel } from './MintsPanel';
import { ReceivePanel } from './ReceivePanel';
import { SendPanel } from './SendPanel';
import { formatUnitAmount } from './format';
import { useMints } from './use-ecash';
import './ecash.css';

type Tab = 'mints' | 'receive' | 'send' | 'pay' | 'history';
const TABS: Tab[] = ['mints', 'receive', 'send', 'pay', 'history'];

/**
 * The eCash area (Cashu): the total held per unit across mints, then Mints (add, trust, each
 * mint's balances and keysets, move between mints), Receive (a token, or mint from Lightning),
 * Send (a token as text and QR), Pay (melt to a Lightning invoice or address) and History (every
 * journaled operation with its state, recovery and restore from the recovery words).
 */
export function EcashArea() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('mints');
  const mints = useMints();
  const list = mints.value ?? [];
  const [token, setToken] = useState<EcashSentToken | null>(null);
  return (
    <div className="stack ecash-area">
      <h1>{t('nav.ecash')}</h1>
      <Totals mints={list} />
      <ErrorAlert error={mints.error} />
      <div className="ln-tabs" role="tablist" aria-label={t('ecash.tabs.label')}>
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'ln-tab ln-tab-active' : 'ln-tab'}
            onClick={() => setTab(id)}
          >
            {t(`ecash.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'mints' && <MintsPanel />}
        {tab === 'receive' && <ReceivePanel mints={list} />}
        {tab === 'send' && <SendPanel mints={list} shown={token} onShown={setToken} />}
        {tab === 'pay' && <MeltPanel mints={list} />}
        {tab === 'history' && (
          <HistoryPanel
            mints={list}
            onShowToken={(sent) => {
              setToken(sent);
              setTab('send');
            }}
          />
        )}
      </div>
    </div>
  );
}

/** Held per unit over every mint; an unreachable mint's balance still counts (it is held there). */
function Totals({ mints }: { mints: EcashMintView[] }) {
  const { t, separators } = useI18n();
  const byUnit = new Map<string, { spendable: number; pending: number; incoming: number }>();
  for (const m of mints)
    for (const b of m.balances) {
      const sum = byUnit.get(b.unit) ?? { spendable: 0, pending: 0, incoming: 0 };
      byUnit.set(b.unit, {
        spendable: sum.spendable + b.spendable,
        pending: sum.pending + b.pending,
        incoming: sum.incoming + b.incoming,
      });
    }
  const fmt = (n: number, unit: string) =>
    formatUnitAmount(n, unit, separators, (value) => t('amount.sats', { value }));
  const down = mints.filter((m) => !m.reachable).length;
  return (
    <section className="card ecash-totals" aria-label={t('ecash.totals.label')}>
      {byUnit.size === 0 ? (
        <p className="hint">{t('ecash.totals.none')}</p>
      ) : (
        [...byUnit].map(([unit, sum]) => (
          <p key={unit} data-testid={`ecash-total-${unit}`}>
            <strong>{fmt(sum.spendable, unit)}</strong>
            {sum.pending > 0 && <> · {t('ecash.totals.pending', { amount: fmt(sum.pending, unit) })}</>}
            {sum.incoming > 0 && <> · {t('ecash.totals.incoming', { amount: fmt(sum.incoming, unit) })}</>}
          </p>
        ))
      )}
      <p className="hint">
        {t('ecash.totals.mints', { count: String(mints.length) })}
        {down > 0 && <> · {t('ecash.totals.down', { count: String(down) })}</>}
      </p>
    </section>
  );
}

/** App-wide: a toast when a token we sent is claimed or one we received is in our wallet. */
export function useEcashToasts(): void {
  const { t, separators } = useI18n();
  const toast = useToast();
  useFlashEvent('ecash.tokenClaimed', (c) => {
    const amount = formatUnitAmount(c.amount, c.unit, separators, (value) => t('amount.sats', { value }));
    toast(
      c.direction === 'sent'
        ? t('ecash.toast.sentClaimed', { amount })
        : t('ecash.toast.received', { amount }),
    );
  });
}
