import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { EcashMeltPreview, EcashMintView, EcashOperationView } from '../../../shared/contract/ecash';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { useI18n } from '../../i18n';
import { MeltReview } from './MeltReview';
import { OperationState } from './OperationState';
import { parseUnitAmount, shortMintUrl } from './format';

const ANY_MINT = '';

/**
 * Pay a Lightning invoice or address with eCash (melt): main prices it at the chosen mint (or
 * the one holding enough; across mints with NUT-15 when none does) and the fee reserve is shown
 * before "Pay now". Unused reserve comes back as change (NUT-08).
 */
export function MeltPanel({ mints }: { mints: EcashMintView[] }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [text, setText] = useState('');
  const [mintUrl, setMintUrl] = useState(ANY_MINT);
  const [amountText, setAmountText] = useState('');
  const [unitChoice, setUnit] = useState('sat');
  // Units the mints offer (usd/eur mints pay an invoice from eCash in that unit at their own rate).
  const units = [...new Set(mints.flatMap((m) => m.units))].sort((a, b) =>
    a === 'sat' ? -1 : b === 'sat' ? 1 : a.localeCompare(b),
  );
  const unit = units.includes(unitChoice) ? unitChoice : (units[0] ?? 'sat');
  const [preview, setPreview] = useState<EcashMeltPreview | null>(null);
  const [results, setResults] = useState<EcashOperationView[]>([]);
  useFlashEvent('ecash.operation', (op) =>
    setResults((rs) => (rs.some((r) => r.id === op.id) ? rs.map((r) => (r.id === op.id ? op : r)) : rs)),
  );
  const prepare = useAction(
    useCallback(
      (input: { text: string; unit: string; mintUrl: string; amountSats: number | null }) =>
        flash.ecash.prepareMelt({
          text: input.text,
          unit: input.unit,
          ...(input.mintUrl ? { mintUrl: input.mintUrl } : {}),
          ...(input.amountSats !== null ? { amountSats: input.amountSats } : {}),
        }),
      [flash],
    ),
  );
  const confirm = useAction(
    useCallback((prepareId: string) => flash.ecash.confirmMelt({ prepareId }), [flash]),
  );
  const looksLikeAddress = /@|^lnurl/i.test(text.trim());
  const amountSats = parseUnitAmount(amountText, 'sat');
  const onPrepare = async (e: FormEvent) => {
    e.preventDefault();
    setResults([]);
    const out = await prepare.run({ text: text.trim(), unit, mintUrl, amountSats });
    if (out) setPreview(out);
  };
  const onPay = async () => {
    if (!preview) return;
    const out = await confirm.run(preview.prepareId);
    setPreview(null);
    if (out) {
      setResults(out);
      setText('');
      setAmountText('');
    }
  };
  return (
    <section className="card stack" aria-labelledby="ecash-melt-title">
      <h2 id="ecash-melt-title">{t('ecash.melt.title')}</h2>
      {mints.length === 0 ? (
        <p className="hint">{t('ecash.needMint')}</p>
      ) : !preview ? (
        <form className="stack" onSubmit={onPrepare}>
          <div className="field">
            <label htmlFor="ecash-melt-input">{t('ecash.melt.input')}</label>
            <textarea
              id="ecash-melt-input"
              rows={3}
              value={text}
              spellCheck={false}
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          {looksLikeAddress && (
            <Field
              label={t('ecash.amountSats')}
              inputMode="numeric"
              value={amountText}
              onChange={(e) => setAmountText(e.target.value)}
            />
          )}
          {units.length > 1 && (
            <SelectField
              label={t('ecash.unitField')}
              value={unit}
              onChange={(e) => {
                setUnit(e.target.value);
                setMintUrl(ANY_MINT);
              }}
              options={units.map((u) => ({ value: u, label: u }))}
            />
          )}
          <SelectField
            label={t('ecash.melt.payFrom')}
            value={mintUrl}
            onChange={(e) => setMintUrl(e.target.value)}
            options={[
              { value: ANY_MINT, label: t('ecash.melt.anyMint') },
              ...mints
                .filter((m) => m.units.includes(unit))
                .map((m) => ({ value: m.url, label: m.name ?? shortMintUrl(m.url) })),
            ]}
          />
          <div className="actions">
            <button type="submit" disabled={prepare.busy || text.trim() === ''}>
              {prepare.busy ? t('ecash.melt.pricing') : t('ecash.melt.review')}
            </button>
          </div>
        </form>
      ) : (
        <div className="stack">
          <MeltReview preview={preview} unit={unit} mints={mints} />
          <p className="hint">{t('ecash.melt.changeHint')}</p>
          <div className="actions">
            <button type="button" className="button-primary" onClick={onPay} disabled={confirm.busy}>
              {confirm.busy ? t('ecash.melt.paying') : t('ecash.melt.payNow')}
            </button>
            <button type="button" onClick={() => setPreview(null)} disabled={confirm.busy}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {results.map((op) => (
        <OperationState key={op.id} op={op} />
      ))}
      <ErrorAlert error={prepare.error ?? confirm.error} />
    </section>
  );
}
