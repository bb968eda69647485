import type { EcashMeltPreview, EcashMintView } from '../../../shared/contract/ecash';
import { useI18n } from '../../i18n';
import { formatUnitAmount, shortMintUrl } from './format';

/** What a melt or a move will cost before the user confirms: each part, its fee reserve, the total. */
export function MeltReview({
  preview,
  unit,
  mints,
}: {
  preview: EcashMeltPreview;
  unit: string;
  mints: EcashMintView[];
}) {
  const name = (url: string) => mints.find((m) => m.url === url)?.name ?? shortMintUrl(url);
  const { t, separators } = useI18n();
  const fmt = (n: number, u = unit) =>
    formatUnitAmount(n, u, separators, (value) => t('amount.sats', { value }));
  return (
    <dl className="facts" data-testid="ecash-melt-review">
      <div>
        <dt>{t('ecash.melt.amount')}</dt>
        <dd>{fmt(preview.amount, 'sat')}</dd>
      </div>
      {preview.parts.map((p) => (
        <div key={p.mintUrl}>
          <dt>{t('ecash.melt.from', { mint: name(p.mintUrl) })}</dt>
          <dd>
            {t('ecash.melt.part', {
              amount: fmt(p.amount, p.unit),
              reserve: fmt(p.feeReserve, p.unit),
              inputFee: fmt(p.inputFee, p.unit),
            })}
          </dd>
        </div>
      ))}
      <div>
        <dt>{t('ecash.melt.feeReserve')}</dt>
        <dd>{t('ecash.melt.atMost', { amount: fmt(preview.feeReserve) })}</dd>
      </div>
      <div>
        <dt>{t('ecash.melt.total')}</dt>
        <dd>
          <strong>{fmt(preview.total)}</strong>
        </dd>
      </div>
      {preview.parts.length > 1 && (
        <div>
          <dt>{t('ecash.melt.split')}</dt>
          <dd>{t('ecash.melt.splitText', { count: String(preview.parts.length) })}</dd>
        </div>
      )}
    </dl>
  );
}
