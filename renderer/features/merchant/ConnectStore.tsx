import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { MerchantStatus } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';

/** Connect a BTCPay store: server address and API key, or BTCPay's authorize page. */
export function ConnectStore({ status, onConnected }: { status: MerchantStatus; onConnected: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [serverUrl, setServerUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const connect = useAction(
    useCallback(
      (url: string, key: string) => flash.merchant.connect({ serverUrl: url, apiKey: key }),
      [flash],
    ),
  );
  const authorize = useAction(
    useCallback((url: string) => flash.merchant.startAuthorize({ serverUrl: url }), [flash]),
  );
  const cancel = useAction(useCallback(() => flash.merchant.cancelAuthorize(), [flash]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await connect.run(serverUrl.trim(), apiKey.trim())) onConnected();
  };

  return (
    <section className="card stack merchant-connect" aria-labelledby="merchant-connect-title">
      <h2 id="merchant-connect-title">{t('merchant.connect.title')}</h2>
      <p>{t('merchant.connect.explain')}</p>
      <form className="stack" onSubmit={submit}>
        <Field
          label={t('merchant.connect.server')}
          hint={t('merchant.connect.serverHint')}
          value={serverUrl}
          onChange={(e) => setServerUrl(e.target.value)}
          autoComplete="url"
          required
        />
        <Field
          label={t('merchant.connect.key')}
          hint={t('merchant.connect.keyHint')}
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          type="password"
          autoComplete="off"
        />
        <div className="actions">
          <button
            type="submit"
            className="button-primary"
            disabled={connect.busy || !serverUrl || apiKey.length < 16}
          >
            {t('merchant.connect.submit')}
          </button>
          <span className="hint">{t('merchant.connect.or')}</span>
          <button
            type="button"
            disabled={authorize.busy || !serverUrl}
            onClick={() => void authorize.run(serverUrl.trim())}
          >
            {t('merchant.connect.authorize')}
          </button>
        </div>
      </form>
      <ErrorAlert error={connect.error ?? authorize.error} />
      {status.authorizing && (
        <div className="stack" role="status">
          <p>{t('merchant.connect.authorizeOpen')}</p>
          <p className="mono merchant-link">
            <a href={status.authorizing.url} target="_blank" rel="noreferrer">
              {status.authorizing.url}
            </a>
          </p>
          <div className="actions">
            <CopyButton text={status.authorizing.url} label={t('merchant.sale.copy')} />
            <button type="button" onClick={() => void cancel.run()}>
              {t('merchant.connect.authorizeCancel')}
            </button>
          </div>
          <p className="hint">{t('merchant.connect.authorizeWaiting')}</p>
        </div>
      )}
    </section>
  );
}
