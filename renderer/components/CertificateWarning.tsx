import type { ElectrumStatusModel } from '../app/use-electrum-status';
import { useT } from '../i18n';

/** Shown when the pinned TLS certificate of the Electrum server no longer matches. */
export function CertificateWarning({ electrum }: { electrum: ElectrumStatusModel }) {
  const t = useT();
  const { status } = electrum;
  if (status?.lastError?.code !== 'ELECTRUM_CERT_CHANGED') return null;
  return (
    <section className="warning-panel" role="alert" aria-labelledby="cert-warning-title">
      <h2 id="cert-warning-title">{t('cert.title')}</h2>
      <p>{t('cert.explain', { server: `${status.server.host}:${status.server.port}` })}</p>
      <p>{t('cert.advice')}</p>
      {status.lastError.message && (
        <details>
          <summary>{t('common.technicalDetails')}</summary>
          <p className="mono">{status.lastError.message}</p>
        </details>
      )}
      <button
        type="button"
        className="button-danger"
        onClick={electrum.trustNewCertificate}
        disabled={electrum.busy}
      >
        {t('cert.trust')}
      </button>
    </section>
  );
}
