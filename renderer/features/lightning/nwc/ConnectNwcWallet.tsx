import { useCallback, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { LightningProviderView } from '../../../../shared/contract/lightning';
import { useFlash } from '../../../app/flash-context';
import { useAction } from '../../../app/hooks';
import { ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { useT } from '../../../i18n';

/**
 * Connects any Nostr Wallet Connect wallet (Alby Hub, LNbits, Coinos…) by the link it gives. The
 * link's secret goes to main, which seals it in the vault; the form forgets it once sent.
 */
export function ConnectNwcWallet({
  onConnected,
}: {
  onConnected?: (provider: LightningProviderView) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const uriId = useId();
  const [uri, setUri] = useState('');
  const [label, setLabel] = useState('');
  const [connected, setConnected] = useState<LightningProviderView | null>(null);
  const connect = useAction(
    useCallback(
      (link: string, name: string) =>
        flash.lightning.connectProvider({ kind: 'nwc', uri: link, ...(name ? { label: name } : {}) }),
      [flash],
    ),
  );
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await connect.run(uri.trim(), label.trim());
    if (out) {
      setUri('');
      setLabel('');
      setConnected(out);
      onConnected?.(out);
    }
  };
  return (
    <form className="stack nwc-connect" onSubmit={onSubmit} aria-labelledby={`${uriId}-title`}>
      <h3 id={`${uriId}-title`}>{t('nwc.connect.title')}</h3>
      <p className="hint">{t('nwc.connect.explain')}</p>
      <div className="field">
        <label htmlFor={uriId}>{t('nwc.connect.uri')}</label>
        <textarea
          id={uriId}
          className="mono"
          rows={3}
          value={uri}
          spellCheck={false}
          autoComplete="off"
          placeholder="nostr+walletconnect://…"
          onChange={(e) => setUri(e.target.value)}
          required
        />
      </div>
      <Field
        label={t('nwc.connect.label')}
        value={label}
        maxLength={64}
        onChange={(e) => setLabel(e.target.value)}
      />
      <ErrorAlert error={connect.error} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={connect.busy || uri.trim().length < 20}>
          {connect.busy ? t('nwc.connect.connecting') : t('nwc.connect.submit')}
        </button>
      </div>
      {connected && (
        <p role="status" className="alert alert-ok">
          {t('nwc.connect.done', { name: connected.alias ?? connected.label })}
        </p>
      )}
    </form>
  );
}
