import { useId, useState } from 'react';
import type { ComponentPropsWithRef, FormEvent } from 'react';
import type { ElectrumServer, Socks5ProxySetting } from '../../../shared/contract/electrum';
import { MAX_FALLBACK_SERVERS } from '../../../shared/contract/electrum';
import { Alert, ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import { SavedNote } from './SavedNote';
import { checkServer, fallbackConflict, formatProxy, formatServer, parseProxy } from './server-input';
import { TransportField } from './TransportField';
import { useSave } from './use-save';

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
  const { run, busy, error, savedAt } = useSave();
  const save = (next: ElectrumServer[]) => run(() => onSave(next));

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
        <ServerPartField
          label={t('sendtools.settings.fallbackHost')}
          error={errors.host}
          value={host}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setHost(e.target.value)}
        />
        <ServerPartField
          label={t('sendtools.settings.fallbackPort')}
          error={errors.port}
          className="field-narrow"
          inputMode="numeric"
          value={port}
          onChange={(e) => setPort(e.target.value)}
        />
        <TransportField
          label={t('sendtools.settings.fallbackTransport')}
          value={transport}
          onChange={setTransport}
        />
      </div>
      {errors.list && <Alert>{errors.list}</Alert>}
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

/**
 * Host or port of a fallback: its hint line holds the field's own error. A no-break space keeps that
 * line's height when there is no error, so the row does not jump as errors come and go.
 */
function ServerPartField({
  label,
  error,
  className,
  ...input
}: { label: string; error: string | null } & Omit<ComponentPropsWithRef<'input'>, 'id'>) {
  const id = useId();
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={`${id}-hint`} {...input} />
      <p id={`${id}-hint`} className={error ? 'hint hint-error' : 'hint'}>
        {error ?? '\u00a0'}
      </p>
    </div>
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
  const { run, busy, error, savedAt } = useSave();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = on ? parseProxy(text) : null;
    if (on && !parsed) return setInvalid(true);
    setInvalid(false);
    await run(() => props.onSave(parsed));
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
