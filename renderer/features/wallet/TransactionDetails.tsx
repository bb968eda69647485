import { useCallback, useId } from 'react';
import type { TransactionDetails as Details } from '../../../shared/contract/wallet';
import { formatSats } from '../../../shared/money';
import { useFlash } from '../../app/flash-context';
import { useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Amount } from '../../components/Amount';
import { CopyButton } from '../../components/CopyButton';
import { useFormatDateTime, useI18n } from '../../i18n';
import { formatFeeRate } from '../send/send-text';

/**
 * What "Speed up" can do: replace our own payment (RBF) or pay for an incoming one (CPFP). Only in
 * the mempool: a transaction in a block cannot be replaced, verified or not.
 */
export function speedUpFor(tx: {
  height: number;
  direction: 'in' | 'out' | 'self';
  rbf?: boolean;
}): 'bump' | 'cpfp' | null {
  if (tx.height > 0) return null;
  if (tx.direction === 'in') return 'cpfp';
  return tx.rbf === false ? 'cpfp' : 'bump';
}

/**
 * One transaction in full, read from what the wallet stored: every input and output (ours marked),
 * the fee and its rate when every input amount is known, size, block and proof state.
 */
export function TransactionDetails(props: {
  walletId: string;
  txid: string;
  /** Changes when the activity list reloads (new block, new state), so the details follow. */
  version: string;
  onSpeedUp?: (txid: string, method: 'bump' | 'cpfp') => void;
  onClose: () => void;
}) {
  const { walletId, txid, version, onSpeedUp, onClose } = props;
  const { t, separators } = useI18n();
  const formatDateTime = useFormatDateTime();
  const flash = useFlash();
  const id = useId();
  const load = useCallback(() => {
    void version;
    return flash.wallet.getTransaction({ walletId, txid });
  }, [flash, walletId, txid, version]);
  const query = useQuery(load);
  const tx: Details | undefined = query.value;
  const method = tx && onSpeedUp ? speedUpFor(tx) : null;

  return (
    <section className="tx-details stack" aria-labelledby={`${id}-title`}>
      <div className="tx-details-head">
        <h3 id={`${id}-title`}>{t('sendtools.tx.title')}</h3>
        <button type="button" className="button-small" onClick={onClose}>
          {t('sendtools.tx.close')}
        </button>
      </div>
      <ErrorAlert error={query.error} />
      {!tx && !query.error && <p role="status">{t('sendtools.tx.loading')}</p>}
      {tx && (
        <>
          <dl className="send-summary">
            <div className="send-summary-row">
              <dt>{t('sendtools.tx.txid')}</dt>
              <dd>
                <span className="mono send-address">{tx.txid}</span>{' '}
                <CopyButton text={tx.txid} label={t('sendtools.tx.copyTxid')} />
              </dd>
            </div>
            <div className="send-summary-row">
              <dt>{t('sendtools.tx.status')}</dt>
              <dd>
                {tx.verification === 'mempool' ? (
                  t('activity.unconfirmed')
                ) : tx.confirmations === 0 ? (
                  <span title={t(`activity.verification.${tx.verification}.hint`)}>
                    {t(`activity.verification.${tx.verification}`)}
                  </span>
                ) : (
                  <>
                    {tx.confirmations === 1
                      ? t('activity.confirmations.one')
                      : t('activity.confirmations.other', { count: tx.confirmations })}{' '}
                    · {t(`activity.verification.${tx.verification}`)}
                  </>
                )}
              </dd>
            </div>
            <div className="send-summary-row">
              <dt>{t('sendtools.tx.block')}</dt>
              <dd>
                {tx.height > 0
                  ? t('sendtools.tx.blockValue', { height: tx.height })
                  : t('sendtools.tx.mempool')}{' '}
                <span className="hint">{formatDateTime(tx.firstSeenAt)}</span>
              </dd>
            </div>
            <div className="send-summary-row">
              <dt>{t('sendtools.tx.amount')}</dt>
              <dd>
                <Amount sats={tx.amountSats} signed />
              </dd>
            </div>
            <div className="send-summary-row tx-fee">
              <dt>{t('sendtools.tx.fee')}</dt>
              <dd>
                {tx.feeSats !== null && tx.feeRate !== null ? (
                  <>
                    <Amount sats={tx.feeSats} />{' '}
                    <span className="hint">
                      {t('sendtools.tx.feeRate', { rate: formatFeeRate(tx.feeRate, separators.decimal) })}
                    </span>
                  </>
                ) : (
                  <span className="hint">{t('sendtools.tx.feeUnknown')}</span>
                )}
              </dd>
            </div>
            <div className="send-summary-row">
              <dt>{t('sendtools.tx.size')}</dt>
              <dd>
                {t('sendtools.tx.sizeValue', {
                  vsize: formatSats(tx.vsize, { separators }),
                  weight: formatSats(tx.weight, { separators }),
                  size: formatSats(tx.size, { separators }),
                })}
              </dd>
            </div>
            <div className="send-summary-row">
              <dt>{t('sendtools.tx.rbf')}</dt>
              <dd>{tx.rbf ? t('send.review.yes') : t('send.review.no')}</dd>
            </div>
            {tx.label && (
              <div className="send-summary-row">
                <dt>{t('sendtools.tx.label')}</dt>
                <dd>{tx.label}</dd>
              </div>
            )}
          </dl>
          <div className="tx-io">
            <div>
              <h4>{t('sendtools.tx.inputs', { count: tx.inputs.length })}</h4>
              <ul className="tx-io-list">
                {tx.inputs.map((i) => (
                  <li key={i.vin}>
                    <span className="mono tx-io-ref" title={`${i.prevTxid}:${i.prevVout}`}>
                      {i.address ?? `${i.prevTxid.slice(0, 8)}…:${i.prevVout}`}
                    </span>{' '}
                    {i.sats !== null ? (
                      <Amount sats={i.sats} />
                    ) : (
                      <span className="hint">{t('sendtools.tx.unknownAmount')}</span>
                    )}
                    {i.ours && <span className="badge">{t('sendtools.tx.ours')}</span>}
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h4>{t('sendtools.tx.outputs', { count: tx.outputs.length })}</h4>
              <ul className="tx-io-list">
                {tx.outputs.map((o) => (
                  <li key={o.vout}>
                    <span className="mono tx-io-ref">{o.address ?? t('sendtools.tx.unknownAddress')}</span>{' '}
                    <Amount sats={o.sats} />
                    {o.ours && (
                      <span className="badge">
                        {o.change ? t('sendtools.tx.change') : t('sendtools.tx.ours')}
                      </span>
                    )}
                    {o.label && <span className="hint"> {o.label}</span>}
                  </li>
                ))}
              </ul>
            </div>
          </div>
          {method && (
            <div className="actions">
              <button type="button" className="button-primary" onClick={() => onSpeedUp?.(tx.txid, method)}>
                {method === 'bump' ? t('sendtools.tx.speedUp') : t('sendtools.tx.speedUpCpfp')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
