import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ElectrumServer, Socks5ProxySetting } from '../../../shared/contract/electrum';
import { MAX_FALLBACK_SERVERS } from '../../../shared/contract/electrum';
import { ErrorAlert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { useT } from '../../i18n';
import { SavedNote } from './SavedNote';
import { checkServer, fallbackConflict, formatProxy, formatServer, parseProxy } from './server-input';

/** Fallback servers of one network: each add or remove is saved at once. */
export function FallbackServers(props: {
  networkName: string;
  primary: ElectrumServer;
  fallbacks: readonly ElectrumServer[];
  onSave: (fallbacks: ElectrumServer[]) => Promise<unknown>;
}) {
  const { networkName, primary, fallbacks, onSave } = props;
  const t = useT();
  const id = useId();
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [transport, setTransport] = useState<ElectrumServer['transport']>('tls');
  const [errors, setErrors] = useState<{ host: string | null; port: string | null; list: string | null }>({
    host: null,
    port: null,
    list: null,
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);

  const save = async (next: ElectrumServer[]): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await onSave(next);
      setSavedAt(Date.now());
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const checked = checkServer({ host, port, transport });
    if (!checked.ok) {
      setErrors({
        host: checked.host ? t(`sendtools.settings.${checked.host}`) : null,
        port: checked.port ? t('sendtools.settings.portInvalid') : null,
        list: null,
      });
      return;
    }
    const conflict = fallbackConflict(checked.server, primary, fallbacks, MAX_FALLBACK_SERVERS);
    if (conflict) {
      setErrors({
        host: null,
        port: null,
        list: t(`sendtools.settings.${conflict}`, { max: MAX_FALLBACK_SERVERS }),
      });
      return;
    }
    setErrors({ host: null, port: null, list: null });
    if (await save([...fallbacks, checked.server])) {
      setHost('');
      setPort('');
    }
  };

  return (
    <form className="stack server-fallbacks" onSubmit={add} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('sendtools.settings.fallbacksTitle', { network: networkName })}</h3>
      <p className="hint">{t('sendtools.settings.fallbacksHint')}</p>
      {fallbacks.length === 0 ? (
        <p className="empty">{t('sendtools.settings.fallbacksNone')}</p>
      ) : (
        <ol className="server-list">
          {fallbacks.map((f) => (
            <li key={`${f.host}:${f.port}`}>
              <span className="mono">{formatServer(f)}</span>{' '}
              <button
                type="button"
                className="button-small"
                disabled={busy}
                onClick={() => void save(fallbacks.filter((x) => x !== f))}
              >
                {t('sendtools.settings.remove', { server: `${f.host}:${f.port}` })}
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-host`}>{t('sendtools.settings.fallbackHost')}</label>
          <input
            id={`${id}-host`}
            value={host}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.host ? true : undefined}
            aria-describedby={`${id}-host-hint`}
            onChange={(e) => setHost(e.target.value)}
          />
          <p id={`${id}-host-hint`} className={errors.host ? 'hint hint-error' : 'hint'}>
            {errors.host ?? '\u00a0'}
          </p>
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-port`}>{t('sendtools.settings.fallbackPort')}</label>
          <input
            id={`${id}-port`}
            inputMode="numeric"
            value={port}
            aria-invalid={errors.port ? true : undefined}
            aria-describedby={`${id}-port-hint`}
            onChange={(e) => setPort(e.target.value)}
          />
          <p id={`${id}-port-hint`} className={errors.port ? 'hint hint-error' : 'hint'}>
            {errors.port ?? '\u00a0'}
          </p>
        </div>
        <SelectField
          label={t('sendtools.settings.fallbackTransport')}
          value={transport}
          onChange={(e) => setTransport(e.target.value === 'tcp' ? 'tcp' : 'tls')}
          options={[
            { value: 'tls', label: t('settings.electrumTls') },
            { value: 'tcp', label: t('settings.electrumTcp') },
          ]}
        />
      </div>
      {errors.list && (
        <p role="alert" className="alert alert-error">
          {errors.list}
        </p>
      )}
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('sendtools.settings.add')}
        </button>
        <SavedNote savedAt={savedAt} />
      </div>
    </form>
  );
}

/** One SOCKS5 proxy (Tor) for every Electrum connection, or none. */
export function ProxySettings(props: {
  proxy: Socks5ProxySetting | null;
  onSave: (proxy: Socks5ProxySetting | null) => Promise<unknown>;
}) {
  const t = useT();
  const id = useId();
  const [on, setOn] = useState(props.proxy !== null);
  const [text, setText] = useState(props.proxy ? formatProxy(props.proxy) : '127.0.0.1:9050');
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = on ? parseProxy(text) : null;
    if (on && !parsed) return setInvalid(true);
    setInvalid(false);
    setError(null);
    setBusy(true);
    try {
      await props.onSave(parsed);
      setSavedAt(Date.now());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack server-proxy" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('sendtools.settings.proxyTitle')}</h3>
      <p className="hint">{t('sendtools.settings.proxyHint')}</p>
      <label className="radio">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} />
        {t('sendtools.settings.proxyOn')}
      </label>
      {on && (
        <div className="field">
          <label htmlFor={`${id}-addr`}>{t('sendtools.settings.proxyAddress')}</label>
          <input
            id={`${id}-addr`}
            className="mono"
            value={text}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={`${id}-addr-hint`}
            onChange={(e) => setText(e.target.value)}
          />
          <p id={`${id}-addr-hint`} className={invalid ? 'hint hint-error' : 'hint'}>
            {invalid ? t('sendtools.settings.proxyInvalid') : t('sendtools.settings.proxyAddressHint')}
          </p>
        </div>
      )}
      <p className="hint" aria-live="polite">
        {props.proxy
          ? t('sendtools.settings.proxyActive', { proxy: formatProxy(props.proxy) })
          : t('sendtools.settings.proxyOff')}
      </p>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('sendtools.settings.proxySave')}
        </button>
        <SavedNote savedAt={savedAt} />
      </div>
    </form>
  );
}
