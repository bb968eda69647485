import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { EcashMeltPreview, EcashMintView, EcashOperationView } from '../../../shared/contract/ecash';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { useI18n } from '../../i18n';
import { MeltReview } from './MeltReview';
import { OperationState } from './OperationState';
import { parseUnitAmount, shortMintUrl } from './format';
import { useLiveOperation } from './use-ecash';

/**
 * Move sats from one mint to another: the destination makes an invoice, the source pays it
 * (one journaled move operation in main). The price is shown before the user confirms.
 */
export function MoveBox({ mints }: { mints: EcashMintView[] }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [from, setFrom] = useState(mints[0]?.url ?? '');
  const [to, setTo] = useState(mints[1]?.url ?? '');
  const [amountText, setAmountText] = useState('');
  const [preview, setPreview] = useState<EcashMeltPreview | null>(null);
  const [result, setResult] = useState<EcashOperationView | null>(null);
  useLiveOperation(result, setResult);
  const prepare = useAction(
    useCallback(
      (amount: number) => flash.ecash.prepareMove({ from, to, unit: 'sat', amount }),
      [flash, from, to],
    ),
  );
  const confirm = useAction(
    useCallback((prepareId: string) => flash.ecash.confirmMelt({ prepareId }), [flash]),
  );
  const amount = parseUnitAmount(amountText, 'sat');
  const options = mints.map((m) => ({ value: m.url, label: m.name ?? shortMintUrl(m.url) }));
  const onPrepare = async (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    if (amount === null) return;
    const out = await prepare.run(amount);
    if (out) setPreview(out);
  };
  const onConfirm = async () => {
    if (!preview) return;
    const out = await confirm.run(preview.prepareId);
    setPreview(null);
    if (out?.[0]) setResult(out[0]);
  };
  return (
    <section className="card stack" aria-labelledby="ecash-move-title">
      <h2 id="ecash-move-title">{t('ecash.move.title')}</h2>
      <p className="hint">{t('ecash.move.text')}</p>
      {!preview ? (
        <form className="stack" onSubmit={onPrepare}>
          <div className="field-row">
            <SelectField
              label={t('ecash.move.from')}
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              options={options}
            />
            <SelectField
              label={t('ecash.move.to')}
              value={to}
              onChange={(e) => setTo(e.target.value)}
              options={options}
            />
          </div>
          <Field
            label={t('ecash.amountSats')}
            inputMode="numeric"
            value={amountText}
            onChange={(e) => setAmountText(e.target.value)}
          />
          <div className="actions">
            <button type="submit" disabled={prepare.busy || amount === null || from === to}>
              {t('ecash.move.review')}
            </button>
          </div>
        </form>
      ) : (
        <div className="stack">
          <MeltReview preview={preview} unit="sat" mints={mints} />
          <div className="actions">
            <button type="button" className="button-primary" onClick={onConfirm} disabled={confirm.busy}>
              {confirm.busy ? t('ecash.move.moving') : t('ecash.move.now')}
            </button>
            <button type="button" onClick={() => setPreview(null)} disabled={confirm.busy}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {result && <OperationState op={result} />}
      <ErrorAlert error={prepare.error ?? confirm.error} />
    </section>
  );
}
