import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type {
  EcashMintView,
  EcashOperationView,
  EcashRestoreReport,
  EcashSentToken,
} from '../../../shared/contract/ecash';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useFormatDateTime, useI18n } from '../../i18n';
import { stateKey, stateTone } from './OperationState';
import { formatUnitAmount, shortMintUrl } from './format';
import { useOperations } from './use-ecash';

const PAGE = 50;

/**
 * Every eCash operation from the journal, newest first, with its live state; a pending token
 * can be shown again or taken back, an open quote checked. Below: "Finish open operations now"
 * (the start-up recovery, on demand) and the restore from the recovery words.
 */
export function HistoryPanel({
  mints,
  onShowToken,
}: {
  mints: EcashMintView[];
  onShowToken: (token: EcashSentToken) => void;
}) {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const formatDateTime = useFormatDateTime();
  const [limit, setLimit] = useState(PAGE);
  const ops = useOperations(limit);
  const show = useAction(useCallback((id: string) => flash.ecash.sentToken({ operationId: id }), [flash]));
  const reclaim = useAction(useCallback((id: string) => flash.ecash.reclaim({ operationId: id }), [flash]));
  const check = useAction(
    useCallback((id: string) => flash.ecash.checkMintQuote({ operationId: id }), [flash]),
  );
  const recover = useAction(useCallback(() => flash.ecash.recover(), [flash]));
  const [recovered, setRecovered] = useState(false);
  const items = ops.value?.items ?? [];
  const open = items.filter((o) => !o.final).length;
  const name = (url: string) => mints.find((m) => m.url === url)?.name ?? shortMintUrl(url);
  const fmt = (op: EcashOperationView, n: number) =>
    formatUnitAmount(n, op.unit, separators, (value) => t('amount.sats', { value }));
  return (
    <div className="stack">
      <section className="card stack activity" aria-labelledby="ecash-history-title">
        <h2 id="ecash-history-title">{t('ecash.history.title')}</h2>
        <div className="actions">
          <button
            type="button"
            onClick={async () => {
              setRecovered(false);
              if (await recover.run()) {
                setRecovered(true);
                ops.reload();
              }
            }}
            disabled={recover.busy}
          >
            {recover.busy ? t('ecash.history.recovering') : t('ecash.history.recover')}
          </button>
          <span className="hint" role="status">
            {recovered
              ? t('ecash.history.recovered', { open: String(items.filter((o) => !o.final).length) })
              : t('ecash.history.open', { open: String(open) })}
          </span>
        </div>
        <p className="hint">{t('ecash.history.recoverHint')}</p>
        <ErrorAlert error={ops.error ?? recover.error ?? show.error ?? reclaim.error ?? check.error} />
        {items.length === 0 && !ops.loading ? (
          <p className="hint">{t('ecash.history.empty')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('ecash.history.col.date')}</th>
                <th>{t('ecash.history.col.what')}</th>
                <th>{t('ecash.history.col.amount')}</th>
                <th>{t('ecash.history.col.fee')}</th>
                <th>{t('ecash.history.col.state')}</th>
                <th>{t('ecash.history.col.mint')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((op) => (
                <tr key={op.id} data-kind={op.kind} data-state={op.state}>
                  <td>{formatDateTime(op.createdAt)}</td>
                  <td>
                    {t(`ecash.kind.${op.kind}`)}
                    {op.memo && <span className="hint"> · {op.memo}</span>}
                    {op.kind === 'move' && op.counterparty && (
                      <span className="hint"> → {name(op.counterparty)}</span>
                    )}
                  </td>
                  <td>
                    {op.kind === 'mint' || op.kind === 'receive' ? '+' : op.kind === 'move' ? '' : '−'}
                    {fmt(op, op.amount)}
                  </td>
                  <td>{op.fee > 0 ? fmt(op, op.fee) : ''}</td>
                  <td>
                    <span className={stateTone(op)} title={op.error ?? undefined}>
                      {t(stateKey(op))}
                    </span>
                    {op.error && op.final && <p className="hint hint-error">{op.error}</p>}
                  </td>
                  <td>{name(op.mintUrl)}</td>
                  <td>
                    <div className="ecash-row-actions">
                      {op.kind === 'send' && op.state === 'pending' && (
                        <>
                          <button
                            type="button"
                            onClick={async () => {
                              const out = await show.run(op.id);
                              if (out) onShowToken(out);
                            }}
                          >
                            {t('ecash.history.showToken')}
                          </button>
                          <button
                            type="button"
                            onClick={() => void reclaim.run(op.id)}
                            disabled={reclaim.busy}
                          >
                            {t('ecash.send.reclaim')}
                          </button>
                        </>
                      )}
                      {op.kind === 'mint' && !op.final && (
                        <button type="button" onClick={() => void check.run(op.id)} disabled={check.busy}>
                          {t('ecash.mintLn.check')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {ops.value && ops.value.total > items.length && (
          <button type="button" onClick={() => setLimit((l) => l + PAGE)}>
            {t('ecash.history.more')}
          </button>
        )}
      </section>
      <RestoreBox mints={mints} />
    </div>
  );
}

/** What a restore found, summed per unit over the keysets (sat first); 0 sat when nothing. */
function perUnit(keysets: { unit: string; amount: number }[]): [string, number][] {
  const sums = new Map<string, number>([['sat', 0]]);
  for (const k of keysets) sums.set(k.unit, (sums.get(k.unit) ?? 0) + k.amount);
  return [...sums].filter(([unit, n]) => n > 0 || unit === 'sat');
}

/**
 * NUT-09 restore from the recovery words, one mint at a time so the screen can say how far it is
 * (each mint walks every keyset in batches until 300 unused counters in a row).
 */
function RestoreBox({ mints }: { mints: EcashMintView[] }) {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const [text, setText] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number; current: string } | null>(null);
  const [report, setReport] = useState<EcashRestoreReport['mints']>([]);
  const restore = useAction(useCallback((url: string) => flash.ecash.restore({ mints: [url] }), [flash]));
  const sats = (value: string) => t('amount.sats', { value });
  const known = mints.map((m) => m.url);
  const urls = [...new Set([...text.split(/[\s,]+/).filter(Boolean), ...(text.trim() === '' ? known : [])])];
  const onRestore = async (e: FormEvent) => {
    e.preventDefault();
    setReport([]);
    const collected: EcashRestoreReport['mints'] = [];
    for (const [i, url] of urls.entries()) {
      setProgress({ done: i, total: urls.length, current: url });
      const out = await restore.run(url);
      if (out) collected.push(...out.mints);
      setReport([...collected]);
    }
    setProgress(null);
  };
  return (
    <section className="card stack" aria-labelledby="ecash-restore-title">
      <h2 id="ecash-restore-title">{t('ecash.restore.title')}</h2>
      <p className="hint">{t('ecash.restore.text')}</p>
      <form className="stack" onSubmit={onRestore}>
        <div className="field">
          <label htmlFor="ecash-restore-mints">{t('ecash.restore.mints')}</label>
          <textarea
            id="ecash-restore-mints"
            rows={2}
            value={text}
            spellCheck={false}
            placeholder={known.join('\n')}
            onChange={(e) => setText(e.target.value)}
          />
          <p className="hint">{t('ecash.restore.mintsHint')}</p>
        </div>
        <div className="actions">
          <button type="submit" disabled={progress !== null || urls.length === 0}>
            {t('ecash.restore.start')}
          </button>
        </div>
      </form>
      {progress && (
        <div className="stack" role="status">
          <progress max={progress.total} value={progress.done} />
          <p>
            {t('ecash.restore.progress', {
              done: String(progress.done + 1),
              total: String(progress.total),
              mint: shortMintUrl(progress.current),
            })}
          </p>
        </div>
      )}
      <ErrorAlert error={restore.error} />
      {report.length > 0 && (
        <ul className="stack" aria-label={t('ecash.restore.result')}>
          {report.map((r) => (
            <li key={r.mintUrl}>
              <strong>{shortMintUrl(r.mintUrl)}</strong>:{' '}
              {r.ok
                ? t('ecash.restore.found', {
                    amount: perUnit(r.keysets)
                      .map(([unit, n]) => formatUnitAmount(n, unit, separators, sats))
                      .join(' + '),
                    keysets: String(r.keysets.length),
                  })
                : t('ecash.restore.failed', { error: r.error ?? '' })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
