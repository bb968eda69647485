import { useCallback, useEffect, useState } from 'react';
import type { Utxo } from '../../../shared/contract/coins';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import { shortTxid } from './ActivityList';
import { CoinCells } from './CoinCells';

/** A text file offered for download from memory (no network: blob: URLs never reach connect-src). */
function useDownload(text: string | null, type: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (text === null) return;
    const next = URL.createObjectURL(new Blob([text], { type }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [text, type]);
  return url;
}

function CoinRow({ coin, walletId, onChanged }: { coin: Utxo; walletId: string; onChanged: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [label, setLabel] = useState(coin.label ?? '');
  const freeze = useAction((frozen: boolean) =>
    flash.coins.setFrozen({ walletId, outpoints: [coin.outpoint], frozen }),
  );
  const save = useAction((text: string) =>
    flash.coins.setLabel({ walletId, type: 'output', ref: coin.outpoint, label: text.trim() || null }),
  );
  return (
    <tr>
      <CoinCells coin={coin} />
      <td>
        <input
          aria-label={t('coins.labelFor', { outpoint: shortTxid(coin.txid) })}
          value={label}
          placeholder={coin.txLabel ?? coin.addressLabel ?? ''}
          maxLength={255}
          onChange={(e) => setLabel(e.target.value)}
          onBlur={() => {
            if (label !== (coin.label ?? '')) void save.run(label).then(onChanged);
          }}
        />
      </td>
      <td>
        <button
          type="button"
          className="button-small"
          disabled={freeze.busy}
          onClick={() => void freeze.run(!coin.frozen).then(onChanged)}
        >
          {coin.frozen ? t('coins.unfreeze') : t('coins.freeze')}
        </button>
        {coin.frozen && <span className="badge badge-pending">{t('coins.frozen')}</span>}
        <ErrorAlert error={freeze.error ?? save.error} />
      </td>
    </tr>
  );
}

/** The wallet's coins: freeze what must not be spent, label them, and move labels in and out (BIP329). */
export function CoinsPanel({ walletId }: { walletId: string }) {
  const t = useT();
  const flash = useFlash();
  const coins = useQuery(useCallback(() => flash.coins.list({ walletId }), [flash, walletId]));
  useFlashEvent('wallet.updated', (e) => e.walletId === walletId && coins.reload());
  const [labelsText, setLabelsText] = useState<string | null>(null);
  const [csvText, setCsvText] = useState<string | null>(null);
  const [importText, setImportText] = useState('');
  const [importNote, setImportNote] = useState<string | null>(null);
  const labelsUrl = useDownload(labelsText, 'application/jsonl');
  const csvUrl = useDownload(csvText, 'text/csv');
  const exportLabels = useAction(() => flash.coins.exportLabels({ walletId }));
  const exportCsv = useAction(() => flash.coins.exportHistoryCsv({ walletId }));
  const importLabels = useAction((jsonl: string) => flash.coins.importLabels({ walletId, jsonl }));

  return (
    <section className="card coins" aria-labelledby="coins-title">
      <h2 id="coins-title">{t('coins.title')}</h2>
      <p className="hint">{t('coins.hint')}</p>
      <ErrorAlert error={coins.error} />
      {coins.value && coins.value.length === 0 && <p className="empty">{t('coins.empty')}</p>}
      {coins.value && coins.value.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('activity.amount')}</th>
              <th scope="col">{t('coins.outpoint')}</th>
              <th scope="col">{t('activity.status')}</th>
              <th scope="col">{t('coins.label')}</th>
              <th scope="col">{t('coins.spending')}</th>
            </tr>
          </thead>
          <tbody>
            {coins.value.map((coin) => (
              <CoinRow key={coin.outpoint} coin={coin} walletId={walletId} onChanged={coins.reload} />
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button
          type="button"
          onClick={() => void exportLabels.run().then((r) => r && setLabelsText(r.jsonl))}
          disabled={exportLabels.busy}
        >
          {t('coins.exportLabels')}
        </button>
        {labelsUrl && (
          <a href={labelsUrl} download="flash-labels.jsonl">
            {t('coins.saveLabels')}
          </a>
        )}
        <button
          type="button"
          onClick={() => void exportCsv.run().then((r) => r && setCsvText(r.csv))}
          disabled={exportCsv.busy}
        >
          {t('coins.exportCsv')}
        </button>
        {csvUrl && (
          <a href={csvUrl} download="flash-history.csv">
            {t('coins.saveCsv')}
          </a>
        )}
      </div>
      <ErrorAlert error={exportLabels.error ?? exportCsv.error} />
      <label className="field">
        <span>{t('coins.importLabel')}</span>
        <textarea rows={3} value={importText} onChange={(e) => setImportText(e.target.value)} />
      </label>
      <button
        type="button"
        disabled={importLabels.busy || importText.trim() === ''}
        onClick={() =>
          void importLabels.run(importText).then((r) => {
            if (!r) return;
            setImportNote(
              t('coins.imported', { imported: r.imported, skipped: r.skipped, errors: r.errors.length }),
            );
            coins.reload();
          })
        }
      >
        {t('coins.import')}
      </button>
      {importNote && <p role="status">{importNote}</p>}
      <ErrorAlert error={importLabels.error} />
    </section>
  );
}
