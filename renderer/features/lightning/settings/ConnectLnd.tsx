import { useCallback, useId, useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import type { LightningProviderView } from '../../../../shared/contract/lightning';
import { useFlash } from '../../../app/flash-context';
import { useAction } from '../../../app/hooks';
import { Alert, ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { useT } from '../../../i18n';

type Mode = 'fields' | 'uri';

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Connect an LND node: its REST address, its tls.cert and a macaroon (text or the files
 * themselves), or one lndconnect:// link. Main checks the connection live before saving it, pins
 * the certificate and seals the macaroon in the vault; the form forgets everything once sent.
 */
export function ConnectLnd({ onConnected }: { onConnected?: (p: LightningProviderView) => void }) {
  const t = useT();
  const flash = useFlash();
  const certId = useId();
  const macId = useId();
  const uriId = useId();
  const [mode, setMode] = useState<Mode>('fields');
  const [address, setAddress] = useState('');
  const [cert, setCert] = useState('');
  const [macaroon, setMacaroon] = useState('');
  const [uri, setUri] = useState('');
  const [label, setLabel] = useState('');
  const [fileError, setFileError] = useState(false);
  const [connected, setConnected] = useState<LightningProviderView | null>(null);
  const connect = useAction(
    useCallback(
      (input: Parameters<typeof flash.lightning.connectProvider>[0]) =>
        flash.lightning.connectProvider(input),
      [flash],
    ),
  );

  const readFile = (e: ChangeEvent<HTMLInputElement>, into: (text: string) => void, binary: boolean) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setFileError(false);
    const read = binary ? file.arrayBuffer().then(toHex) : file.text();
    read.then(into, () => setFileError(true));
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setConnected(null);
    const name = label.trim() ? { label: label.trim() } : {};
    const out = await connect.run(
      mode === 'uri'
        ? { kind: 'lnd', lndconnect: uri.trim(), ...name }
        : {
            kind: 'lnd',
            restAddress: address.trim(),
            tlsCert: cert.trim(),
            macaroon: macaroon.trim(),
            ...name,
          },
    );
    if (out) {
      setAddress('');
      setCert('');
      setMacaroon('');
      setUri('');
      setLabel('');
      setConnected(out);
      onConnected?.(out);
    }
  };

  const ready =
    mode === 'uri'
      ? uri.trim() !== ''
      : address.trim() !== '' && cert.trim() !== '' && macaroon.trim() !== '';
  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="ln-lnd-title">
      <h3 id="ln-lnd-title">{t('ln.lnd.title')}</h3>
      <p className="hint">{t('ln.lnd.explain')}</p>
      <fieldset className="radio-group">
        <legend>{t('ln.lnd.mode')}</legend>
        <label className="radio">
          <input
            type="radio"
            name="ln-lnd-mode"
            checked={mode === 'fields'}
            onChange={() => setMode('fields')}
          />{' '}
          {t('ln.lnd.mode.fields')}
        </label>
        <label className="radio">
          <input type="radio" name="ln-lnd-mode" checked={mode === 'uri'} onChange={() => setMode('uri')} />{' '}
          {t('ln.lnd.mode.uri')}
        </label>
      </fieldset>
      {mode === 'fields' ? (
        <>
          <Field
            label={t('ln.lnd.address')}
            value={address}
            placeholder="192.168.1.10:8080"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setAddress(e.target.value)}
          />
          <div className="field">
            <label htmlFor={certId}>{t('ln.lnd.cert')}</label>
            <textarea
              id={certId}
              className="mono"
              rows={4}
              value={cert}
              spellCheck={false}
              placeholder="-----BEGIN CERTIFICATE-----"
              onChange={(e) => setCert(e.target.value)}
            />
            <label className="button-link button-small ln-file">
              {t('ln.lnd.certFile')}
              <input
                type="file"
                className="ln-sr-only"
                accept=".cert,.pem,.crt"
                onChange={(e) => readFile(e, setCert, false)}
              />
            </label>
          </div>
          <div className="field">
            <label htmlFor={macId}>{t('ln.lnd.macaroon')}</label>
            <textarea
              id={macId}
              className="mono"
              rows={3}
              value={macaroon}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setMacaroon(e.target.value)}
            />
            <label className="button-link button-small ln-file">
              {t('ln.lnd.macaroonFile')}
              <input
                type="file"
                className="ln-sr-only"
                accept=".macaroon"
                onChange={(e) => readFile(e, setMacaroon, true)}
              />
            </label>
            <p className="hint">{t('ln.lnd.macaroonHint')}</p>
          </div>
        </>
      ) : (
        <div className="field">
          <label htmlFor={uriId}>{t('ln.lnd.uri')}</label>
          <textarea
            id={uriId}
            className="mono"
            rows={4}
            value={uri}
            spellCheck={false}
            autoComplete="off"
            placeholder="lndconnect://…"
            onChange={(e) => setUri(e.target.value)}
          />
        </div>
      )}
      <Field
        label={t('ln.lnd.label')}
        value={label}
        maxLength={64}
        onChange={(e) => setLabel(e.target.value)}
      />
      {fileError && <Alert>{t('ln.lnd.fileError')}</Alert>}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={connect.busy || !ready}>
          {t('ln.lnd.connect')}
        </button>
      </div>
      <ErrorAlert error={connect.error} />
      {connected && (
        <p className="alert alert-ok" role="status">
          {t('ln.lnd.connected', { label: connected.label })}
        </p>
      )}
    </form>
  );
}
