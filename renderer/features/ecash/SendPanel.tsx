import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { EcashMintView, EcashSentToken } from '../../../shared/contract/ecash';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Field, SelectField } from '../../components/Field';
import { useI18n } from '../../i18n';
import { OperationState } from './OperationState';
import { TokenQr } from './TokenQr';
import { formatUnitAmount, parseUnitAmount, shortMintUrl } from './format';

/**
 * Send: a cashuB token for an amount from one mint, shown as text (copy) and a QR code, to hand
 * over however the user likes. Optional: a memo, a lock to a public key or npub (NUT-11), and
 * "offline only" (exact proofs already held, no mint call). Until it is claimed it can be taken back.
 */
export function SendPanel({
  mints,
  shown,
  onShown,
}: {
  mints: EcashMintView[];
  /** A token to show again (from the history's "Show token"). */
  shown: EcashSentToken | null;
  onShown: (token: EcashSentToken | null) => void;
}) {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const [mintUrl, setMintUrl] = useState('');
  const [unit, setUnit] = useState('sat');
  const [amountText, setAmountText] = useState('');
  const [memo, setMemo] = useState('');
  const [lockTo, setLockTo] = useState('');
  const [offlineOnly, setOfflineOnly] = useState(false);
  const sent = shown;
  useFlashEvent('ecash.operation', (op) => {
    if (sent && op.id === sent.operation.id) onShown({ ...sent, operation: op });
  });
  const chosen =
    mints.find((m) => m.url === mintUrl) ??
    mints.find((m) => m.balances.some((b) => b.spendable > 0)) ??
    mints[0];
  const units = chosen?.units.length ? chosen.units : ['sat'];
  const activeUnit = units.includes(unit) ? unit : (units[0] ?? 'sat');
  const spendable = chosen?.balances.find((b) => b.unit === activeUnit)?.spendable ?? 0;
  const fmt = (n: number, u: string) =>
    formatUnitAmount(n, u, separators, (value) => t('amount.sats', { value }));
  const send = useAction(
    useCallback(
      (input: {
        mintUrl: string;
        unit: string;
        amount: number;
        memo?: string;
        lockTo?: string;
        offlineOnly: boolean;
      }) =>
        flash.ecash.send({
          mintUrl: input.mintUrl,
          unit: input.unit,
          amount: input.amount,
          ...(input.memo ? { memo: input.memo } : {}),
          ...(input.lockTo ? { lock: { to: input.lockTo } } : {}),
          ...(input.offlineOnly ? { offlineOnly: true } : {}),
        }),
      [flash],
    ),
  );
  const reclaim = useAction(useCallback((id: string) => flash.ecash.reclaim({ operationId: id }), [flash]));
  const amount = parseUnitAmount(amountText, activeUnit);
  const onSend = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || amount === null) return;
    const out = await send.run({
      mintUrl: chosen.url,
      unit: activeUnit,
      amount,
      memo: memo.trim(),
      lockTo: lockTo.trim(),
      offlineOnly,
    });
    if (out) {
      onShown(out);
      setAmountText('');
      setMemo('');
    }
  };

  if (sent) {
    const op = sent.operation;
    return (
      <section className="card stack" aria-labelledby="ecash-sent-title">
        <h2 id="ecash-sent-title">{t('ecash.send.readyTitle', { amount: fmt(op.amount, op.unit) })}</h2>
        <OperationState op={op} />
        <div className="receive">
          <TokenQr qr={sent.qr} token={sent.token} />
          <div className="receive-details">
            <p className="hint">{t('ecash.send.readyText')}</p>
            <p className="address mono ecash-token" data-testid="ecash-token">
              {sent.token}
            </p>
            <div className="actions">
              <CopyButton text={sent.token} label={t('ecash.send.copy')} />
              {op.state === 'pending' && (
                <button type="button" onClick={() => void reclaim.run(op.id)} disabled={reclaim.busy}>
                  {reclaim.busy ? t('ecash.send.reclaiming') : t('ecash.send.reclaim')}
                </button>
              )}
              <button type="button" onClick={() => onShown(null)}>
                {t('ecash.send.another')}
              </button>
            </div>
          </div>
        </div>
        <ErrorAlert error={reclaim.error} />
      </section>
    );
  }

  return (
    <section className="card stack" aria-labelledby="ecash-send-title">
      <h2 id="ecash-send-title">{t('ecash.send.title')}</h2>
      {mints.length === 0 ? (
        <p className="hint">{t('ecash.needMint')}</p>
      ) : (
        <form className="stack" onSubmit={onSend}>
          <div className="field-row">
            <SelectField
              label={t('ecash.mintField')}
              value={chosen?.url ?? ''}
              onChange={(e) => setMintUrl(e.target.value)}
              options={mints.map((m) => ({ value: m.url, label: m.name ?? shortMintUrl(m.url) }))}
            />
            <SelectField
              label={t('ecash.unitField')}
              value={activeUnit}
              onChange={(e) => setUnit(e.target.value)}
              options={units.map((u) => ({ value: u, label: u }))}
            />
          </div>
          <Field
            label={t('ecash.amountIn', { unit: activeUnit })}
            inputMode="decimal"
            value={amountText}
            onChange={(e) => setAmountText(e.target.value)}
            hint={t('ecash.send.available', { amount: fmt(spendable, activeUnit) })}
          />
          <Field
            label={t('ecash.send.memo')}
            value={memo}
            maxLength={200}
            onChange={(e) => setMemo(e.target.value)}
          />
          <Field
            label={t('ecash.send.lock')}
            value={lockTo}
            onChange={(e) => setLockTo(e.target.value)}
            hint={t('ecash.send.lockHint')}
            spellCheck={false}
            autoComplete="off"
          />
          <label className="radio">
            <input type="checkbox" checked={offlineOnly} onChange={(e) => setOfflineOnly(e.target.checked)} />{' '}
            {t('ecash.send.offlineOnly')}
          </label>
          <div className="actions">
            <button type="submit" className="button-primary" disabled={send.busy || amount === null}>
              {send.busy ? t('ecash.send.making') : t('ecash.send.make')}
            </button>
          </div>
        </form>
      )}
      <ErrorAlert error={send.error} />
    </section>
  );
}
