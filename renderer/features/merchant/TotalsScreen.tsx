import { useCallback } from 'react';
import type { DailyTotal } from '../../../shared/contract/merchant';
import { toAtoms } from '../../../shared/merchant/decimal';
import { useFlash } from '../../app/flash-context';
import { useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';

/** Bar heights in whole percent of the largest value, computed from exact decimals. */
function heights(values: readonly string[]): number[] {
  const atoms = values.map((v) => toAtoms(v));
  const max = atoms.reduce((m, v) => (v > m ? v : m), 0n);
  return atoms.map((v) => (max === 0n ? 0 : Number((v * 100n) / max)));
}

function Bars({ labels, values, title }: { labels: string[]; values: string[]; title: string }) {
  const h = heights(values);
  const width = 100 / Math.max(1, values.length);
  return (
    <svg
      className="merchant-chart"
      viewBox="0 0 100 60"
      role="img"
      aria-label={title}
      preserveAspectRatio="none"
    >
      <title>{title}</title>
      {h.map((pct, i) => (
        <rect
          key={labels[i]}
          x={i * width + width * 0.1}
          y={55 - pct * 0.5}
          width={width * 0.8}
          height={pct * 0.5}
        >
          <title>{`${labels[i]}: ${values[i]}`}</title>
        </rect>
      ))}
      <line x1="0" y1="55" x2="100" y2="55" />
    </svg>
  );
}

/** Daily totals (a Z-report per day) and a simple chart of sales per day and, today, per hour. */
export function TotalsScreen({ cashierMode }: { cashierMode: boolean }) {
  const t = useT();
  const flash = useFlash();
  const totals = useQuery(
    useCallback(() => flash.merchant.dailyTotals({ days: cashierMode ? 1 : 7 }), [flash, cashierMode]),
  );
  const days: DailyTotal[] = totals.value?.days ?? [];
  const currency = totals.value?.currency ?? '';
  const today = days[days.length - 1];
  return (
    <section className="stack" aria-labelledby="merchant-totals-title">
      <h2 id="merchant-totals-title">{t('merchant.totals.title')}</h2>
      <ErrorAlert error={totals.error} />
      {days.length > 0 && (
        <Bars
          labels={days.map((d) => d.day)}
          values={days.map((d) => d.total)}
          title={t('merchant.totals.chart')}
        />
      )}
      <table className="merchant-table">
        <thead>
          <tr>
            <th scope="col">{t('merchant.totals.day')}</th>
            <th scope="col">{t('merchant.totals.count')}</th>
            <th scope="col">{t('merchant.totals.total')}</th>
            <th scope="col">{t('merchant.totals.rewards')}</th>
            <th scope="col">{t('merchant.totals.claimed')}</th>
            <th scope="col">{t('merchant.totals.ecash')}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{d.count}</td>
              <td>
                {d.total} {currency}
              </td>
              <td>{t('merchant.totals.rewardsCell', { count: d.rewards.count, sats: d.rewards.sats })}</td>
              <td>
                {t('merchant.totals.claimedCell', { count: d.rewards.claimed, sats: d.rewards.claimedSats })}
              </td>
              <td>
                {d.ecash.count === 0
                  ? '0'
                  : t(d.ecash.toClaim > 0 ? 'merchant.totals.ecashToClaim' : 'merchant.totals.ecashCell', {
                      count: d.ecash.count,
                      total: d.ecash.total,
                      currency,
                      sats: d.ecash.sats,
                      toClaim: d.ecash.toClaim,
                    })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {today && (
        <>
          <h3>{t('merchant.totals.byHour')}</h3>
          <Bars
            labels={today.byHour.map((_, h) => `${h}:00`)}
            values={today.byHour}
            title={t('merchant.totals.hourChart')}
          />
        </>
      )}
    </section>
  );
}
