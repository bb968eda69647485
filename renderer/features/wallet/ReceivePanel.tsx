import type { ReceiveAddress } from '../../../shared/contract/wallet';
import { CopyButton } from '../../components/CopyButton';
import { QrCode } from '../../components/QrCode';
import { useT } from '../../i18n';
import { VerifyOnDevice } from '../devices/VerifyOnDevice';

export function ReceivePanel({ receive }: { receive: ReceiveAddress }) {
  const t = useT();
  return (
    <section className="card receive" aria-labelledby="receive-title">
      <h2 id="receive-title">{t('receive.title')}</h2>
      <VerifyOnDevice address={receive.address}>
        <QrCode value={receive.uri} alt={t('receive.qrAlt', { address: receive.address })} />
        <div className="receive-details">
          <p className="label" id="receive-address-label">
            {t('receive.addressLabel')}
          </p>
          <p className="address mono" aria-labelledby="receive-address-label">
            {receive.address}
          </p>
          <CopyButton text={receive.address} label={t('receive.copy')} />
          <p className="hint">
            {t('receive.path')} <code>{receive.derivationPath}</code>
          </p>
          <p className="hint">{t('receive.note')}</p>
        </div>
      </VerifyOnDevice>
    </section>
  );
}
