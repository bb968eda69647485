import { useCallback, useState } from 'react';
import type { MultisigFileFormat, MultisigWallet } from '../../../shared/contract/multisig';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useI18n } from '../../i18n';

const FORMATS: readonly MultisigFileFormat[] = ['descriptor', 'coldcard', 'specter', 'caravan', 'bsms'];

/** Hands a text file to the browser's download (Electron shows its save dialog). */
function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A vault's keys on the Wallet screen: who holds each, Ledger registration (showing the policy
 * the device will show), checking the receive address on each device in turn, and export of the
 * vault (every wallet file format, and the printable backup sheet).
 */
export function VaultPanel({
  walletId,
  receive,
}: {
  walletId: string;
  receive: { address: string; index: number };
}) {
  const { t, language } = useI18n();
  const flash = useFlash();
  const vault = useQuery(useCallback(() => flash.multisig.getWallet({ walletId }), [flash, walletId]));
  useFlashEvent('wallet.updated', () => vault.reload());
  const register = useAction(async (fingerprint: string) => {
    const r = await flash.multisig.registerOnDevice({ walletId, fingerprint });
    if (r.ok) vault.reload();
    return r;
  });
  const [verified, setVerified] = useState<Record<string, string>>({});
  const verify = useAction(async (fingerprint: string) => {
    const r = await flash.multisig.verifyAddress({ walletId, fingerprint, chain: 0, index: receive.index });
    if (r.ok) setVerified((v) => ({ ...v, [fingerprint]: r.value.address }));
    return r;
  });
  const exportIt = useAction(async (format: MultisigFileFormat) => {
    const r = await flash.multisig.exportWallet({ walletId, format });
    if (r.ok)
      download(
        r.value.fileName,
        r.value.text,
        format === 'specter' || format === 'caravan' ? 'application/json' : 'text/plain',
      );
    return r;
  });
  const sheet = useAction(async () => {
    const r = await flash.multisig.backupSheet({ walletId, language: language === 'es' ? 'es' : 'en' });
    if (r.ok) download(r.value.fileName, r.value.html, 'text/html');
    return r;
  });
  const v: MultisigWallet | undefined = vault.value;
  if (!v) return <ErrorAlert error={vault.error} />;
  const devices = v.cosigners.filter((c) => c.kind === 'ledger' || c.kind === 'trezor');
  return (
    <section className="card stack" aria-labelledby="vault-keys">
      <h3 id="vault-keys">{t('multisig.panel.title')}</h3>
      <p>{t('multisig.panel.needs', { k: v.threshold, n: v.cosigners.length })}</p>
      <ul className="stack">
        {v.cosigners.map((c) => (
          <li key={c.fingerprint} className="stack" aria-label={c.label}>
            <div>
              <strong>{c.label}</strong> · {t(`multisig.kind.${c.kind}`)} ·{' '}
              <span className="mono">{c.fingerprint}</span> <span className="mono hint">{c.path}</span>
            </div>
            {c.kind === 'ledger' && v.devicePolicy && !v.ledgerRegistered.includes(c.fingerprint) && (
              <details>
                <summary>{t('multisig.panel.registerOpen')}</summary>
                <p className="hint">{t('multisig.panel.registerShows')}</p>
                <p className="mono">{v.devicePolicy.name}</p>
                <p className="mono">{v.devicePolicy.template}</p>
                <ol className="mono">
                  {v.devicePolicy.keys.map((k) => (
                    <li key={k}>{k}</li>
                  ))}
                </ol>
                <button
                  type="button"
                  disabled={register.busy}
                  onClick={() => void register.run(c.fingerprint)}
                >
                  {t('multisig.panel.register')}
                </button>
              </details>
            )}
            {c.kind === 'ledger' && v.ledgerRegistered.includes(c.fingerprint) && (
              <span className="badge">{t('multisig.panel.registered')}</span>
            )}
          </li>
        ))}
      </ul>
      <ErrorAlert error={register.error} />
      {devices.length > 0 && (
        <div className="stack">
          <h4>{t('multisig.panel.verify')}</h4>
          <p className="mono">{receive.address}</p>
          <ol className="stack">
            {devices.map((c, i) => (
              <li key={c.fingerprint}>
                {verified[c.fingerprint] === receive.address ? (
                  <span className="badge">
                    {t('multisig.panel.verified', { i: i + 1, n: devices.length })}
                  </span>
                ) : (
                  <button type="button" disabled={verify.busy} onClick={() => void verify.run(c.fingerprint)}>
                    {t('multisig.panel.verifyStep', { i: i + 1, n: devices.length, label: c.label })}
                  </button>
                )}
              </li>
            ))}
          </ol>
          <ErrorAlert error={verify.error} />
        </div>
      )}
      <div className="stack">
        <h4>{t('multisig.panel.export')}</h4>
        <div className="actions">
          {FORMATS.filter((f) => v.script !== 'tr' || f === 'descriptor' || f === 'bsms').map((f) => (
            <button key={f} type="button" disabled={exportIt.busy} onClick={() => void exportIt.run(f)}>
              {t(`multisig.format.${f}`)}
            </button>
          ))}
          <button
            type="button"
            className="button-primary"
            disabled={sheet.busy}
            onClick={() => void sheet.run()}
          >
            {t('multisig.panel.sheet')}
          </button>
        </div>
        <ErrorAlert error={exportIt.error ?? sheet.error} />
      </div>
    </section>
  );
}
