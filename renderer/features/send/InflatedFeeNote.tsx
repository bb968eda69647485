import type { FeeEstimates } from '../../../shared/contract/send';
import { useT } from '../../i18n';

/**
 * Says when Flash cut a fee preset down because the server's estimate was above anything the
 * mempool justifies (a buggy or hostile server can suggest an absurd fee). Renders nothing otherwise.
 */
export function InflatedFeeNote({ estimates }: { estimates: FeeEstimates | undefined }) {
  const t = useT();
  if (!estimates || estimates.inflated.length === 0) return null;
  return (
    <div className="hint hint-warning" role="note">
      {estimates.inflated.map((i) => (
        <p key={i.preset}>
          {t('network.fees.inflated', {
            preset: t(`send.fee.${i.preset}`),
            suggested: String(i.suggested),
            cap: String(i.cap),
          })}
        </p>
      ))}
    </div>
  );
}
