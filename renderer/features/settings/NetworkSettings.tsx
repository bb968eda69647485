import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ElectrumServer } from '../../../shared/contract/electrum';
import { isOneOf, NETWORKS, parseElectrumServer } from '../../app/choices';
import { useSettings } from '../../app/settings-context';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { useT } from '../../i18n';
import { SavedNote } from './SavedNote';
import { ServerInfo } from './ServerInfo';
import { FallbackServers, ProxySettings } from './ServerPoolSettings';
import { TransportField } from './TransportField';
import { useSave } from './use-save';

/** The network, its Electrum server and fallbacks, and the SOCKS5 proxy for all of them. */
export function NetworkSettings() {
  const t = useT();
  const { settings, update } = useSettings();
  const [error, setError] = useState<unknown>(null);
  if (!settings) return null;
  const server = settings.electrum[settings.network];
  return (
    <section className="card stack">
      <h2 id="network-title">{t('settings.networkTitle')}</h2>
      <SelectField
        label={t('settings.network')}
        value={settings.network}
        hint={t('settings.networkHint')}
        onChange={(e) => {
          setError(null);
          if (isOneOf(NETWORKS, e.target.value)) update({ network: e.target.value }).catch(setError);
        }}
        options={NETWORKS.map((n) => ({ value: n, label: t(`network.${n}`) }))}
      />
      <ErrorAlert error={error} />
      <ElectrumServerForm
        key={`${settings.network}|${server.host}|${server.port}|${server.transport}`}
        initial={server}
        networkName={t(`network.${settings.network}`)}
        onSave={(electrumServer) => update({ electrumServer })}
      />
      <ServerInfo />
      <FallbackServers
        key={`fallbacks-${settings.network}`}
        networkName={t(`network.${settings.network}`)}
        primary={server}
        fallbacks={settings.electrumFallbacks[settings.network]}
        onSave={(electrumFallbacks) => update({ electrumFallbacks })}
      />
      <ProxySettings proxy={settings.electrumProxy} onSave={(electrumProxy) => update({ electrumProxy })} />
    </section>
  );
}

function ElectrumServerForm(props: {
  initial: ElectrumServer;
  networkName: string;
  onSave: (server: ElectrumServer) => Promise<unknown>;
}) {
  const t = useT();
  const [host, setHost] = useState(props.initial.host);
  const [port, setPort] = useState(String(props.initial.port));
  const [transport, setTransport] = useState<ElectrumServer['transport']>(props.initial.transport);
  const [invalid, setInvalid] = useState(false);
  const { run, busy, error, savedAt, clearError } = useSave();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const server = parseElectrumServer({ host, port, transport });
    clearError();
    if (!server) return setInvalid(true);
    setInvalid(false);
    await run(() => props.onSave(server));
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <h3 id="electrum-title">{t('settings.electrumTitle', { network: props.networkName })}</h3>
      <div className="field-row">
        <Field label={t('settings.electrumHost')} value={host} onChange={(e) => setHost(e.target.value)} />
        <Field
          label={t('settings.electrumPort')}
          inputMode="numeric"
          className="field-narrow"
          value={port}
          onChange={(e) => setPort(e.target.value)}
        />
        <TransportField label={t('settings.electrumTransport')} value={transport} onChange={setTransport} />
      </div>
      {transport === 'tcp' && <p className="hint">{t('settings.electrumTcpWarning')}</p>}
      {invalid && <Alert>{t('settings.electrumInvalid')}</Alert>}
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('settings.electrumSave')}
        </button>
        <SavedNote savedAt={savedAt} />
      </div>
    </form>
  );
}
