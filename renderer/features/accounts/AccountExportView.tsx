import { useCallback } from 'react';
import { useFlash } from '../../app/flash-context';
import { useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { QrCode } from '../../components/QrCode';
import { useT } from '../../i18n';

/** What another wallet needs to watch this account: its key in the usual form and descriptors. */
export function AccountExportView({ walletId }: { walletId: string }) {
  const t = useT();
  const flash = useFlash();
  const exported = useQuery(useCallback(() => flash.wallet.exportAccount({ walletId }), [flash, walletId]));
  const e = exported.value;
  if (!e) return <ErrorAlert error={exported.error} />;
  const rows = [
    { label: t('accounts.export.multipath'), value: e.descriptors.multipath },
    { label: t('accounts.export.receive'), value: e.descriptors.receive },
    { label: t('accounts.export.change'), value: e.descriptors.change },
  ];
  return (
    <div className="account-export">
      <p className="hint">{t('accounts.export.explain')}</p>
      <div className="account-export-key">
        <QrCode value={e.descriptors.multipath} alt={t('accounts.export.qrAlt')} />
        <div>
          <p className="label">{t('accounts.export.key')}</p>
          <p className="mono address">{e.displayKey}</p>
          <CopyButton text={e.displayKey} label={t('accounts.export.copyKey')} />
          <p className="hint">
            {t('accounts.export.origin', { fingerprint: e.fingerprint ?? '—', path: e.path ?? '—' })}
          </p>
        </div>
      </div>
      {rows.map((r) => (
        <div key={r.label} className="account-descriptor">
          <p className="label">{r.label}</p>
          <p className="mono address">{r.value}</p>
          <CopyButton text={r.value} label={t('accounts.export.copy', { what: r.label })} />
        </div>
      ))}
    </div>
  );
}
