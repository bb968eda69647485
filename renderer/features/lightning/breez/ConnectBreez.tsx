import { useCallback, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { LightningProviderView } from '../../../../shared/contract/lightning';
import { useFlash } from '../../../app/flash-context';
import { useAction } from '../../../app/hooks';
import { ErrorAlert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { useT } from '../../../i18n';

/**
 * Settings → Lightning: connects Breez, which runs inside Flash on the active wallet's recovery
 * words. The API key goes to main, which seals it in the vault; the form forgets it once sent.
 */
export function ConnectBreez({ onConnected }: { onConnected?: (provider: LightningProviderView) => void }) {
  const t = useT();
  const flash = useFlash();
  const titleId = useId();
  const [apiKey, setApiKey] = useState('');
  const [done, setDone] = useState(false);
  const connect = useAction(
    useCallback(
      (key: string) => flash.lightning.connectProvider({ kind: 'breez', ...(key ? { apiKey: key } : {}) }),
      [flash],
    ),
  );
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await connect.run(apiKey.trim());
    if (out) {
      setApiKey('');
      setDone(true);
      onConnected?.(out);
    }
  };
  return (
    <form className="stack breez-connect" onSubmit={onSubmit} aria-labelledby={titleId}>
      <h3 id={titleId}>{t('breez.connect.title')}</h3>
      <p className="hint">{t('breez.connect.explain')}</p>
      <Field
        label={t('breez.connect.apiKey')}
        hint={t('breez.connect.apiKeyHint')}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={apiKey}
        maxLength={4000}
        onChange={(e) => {
          setApiKey(e.target.value);
          setDone(false);
        }}
      />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={connect.busy}>
          {t('breez.connect.submit')}
        </button>
      </div>
      {done && (
        <p className="alert alert-ok" role="status">
          {t('breez.connect.done')}
        </p>
      )}
      <ErrorAlert error={connect.error} />
    </form>
  );
}
