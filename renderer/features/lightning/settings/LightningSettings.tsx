import { useCallback } from 'react';
import type { LightningProviderView } from '../../../../shared/contract/lightning';
import { useFlash } from '../../../app/flash-context';
import { useAction } from '../../../app/hooks';
import { BridgeCallError } from '../../../app/result';
import type { ErrorCode } from '../../../../shared/errors';
import { ErrorAlert } from '../../../components/Alert';
import { useT } from '../../../i18n';
import { ConnectBreez } from '../breez/ConnectBreez';
import { ConnectNwcWallet } from '../nwc/ConnectNwcWallet';
import { useProviders } from '../use-lightning';
import { ConnectLnd } from './ConnectLnd';

/** Settings → Lightning: the connected wallets (default, state, remove) and how to add one. */
export function LightningSettings() {
  const t = useT();
  const providers = useProviders();
  const list = providers.value ?? [];
  return (
    <section className="card stack" aria-labelledby="ln-settings-title" id="settings-lightning">
      <h2 id="ln-settings-title">{t('ln.settings.title')}</h2>
      <h3>{t('ln.settings.providers')}</h3>
      <ErrorAlert error={providers.error} />
      {list.length === 0 && !providers.loading ? (
        <p className="hint">{t('ln.settings.none')}</p>
      ) : (
        <ul className="ln-providers">
          {list.map((p) => (
            <ProviderRow key={p.id} provider={p} onChanged={providers.reload} />
          ))}
        </ul>
      )}
      <ConnectBreez onConnected={providers.reload} />
      <ConnectLnd onConnected={providers.reload} />
      <ConnectNwcWallet onConnected={providers.reload} />
    </section>
  );
}

function ProviderRow({ provider, onChanged }: { provider: LightningProviderView; onChanged: () => void }) {
  const t = useT();
  const flash = useFlash();
  const makeDefault = useAction(
    useCallback(() => flash.lightning.setDefaultProvider({ providerId: provider.id }), [flash, provider.id]),
  );
  const remove = useAction(
    useCallback(() => flash.lightning.removeProvider({ providerId: provider.id }), [flash, provider.id]),
  );
  const stateBadge =
    provider.state === 'connected'
      ? 'badge badge-verified'
      : provider.state === 'disconnected'
        ? 'badge badge-failed'
        : 'badge badge-pending';
  const kindName = t(`ln.settings.kind.${provider.kind}`);
  const receiveOnly = provider.capabilities.length > 0 && !provider.capabilities.includes('pay-invoice');
  return (
    <li className="ln-provider" data-testid="ln-provider">
      <div className="ln-provider-head">
        <strong>{provider.label}</strong> {/* A Breez wallet is labelled by its kind already: say it once. */}
        {kindName !== provider.label && <span className="hint">{kindName}</span>}{' '}
        {provider.isDefault && <span className="badge">{t('ln.settings.default')}</span>}{' '}
        <span className={stateBadge}>{t(`ln.settings.state.${provider.state}`)}</span>
      </div>
      <p className="hint mono">{provider.endpoint}</p>
      {provider.error && (
        <ErrorAlert error={new BridgeCallError({ code: provider.error as ErrorCode, message: '' })} />
      )}
      {receiveOnly && <p className="hint">{t('ln.settings.receiveOnly')}</p>}
      <div className="actions">
        {!provider.isDefault && (
          <button
            type="button"
            className="button-small"
            disabled={makeDefault.busy}
            onClick={() => void makeDefault.run().then(onChanged)}
          >
            {t('ln.settings.makeDefault')}
          </button>
        )}
        <button
          type="button"
          className="button-small"
          disabled={remove.busy}
          onClick={() => {
            if (window.confirm(t('ln.settings.removeConfirm', { label: provider.label })))
              void remove.run().then(onChanged);
          }}
        >
          {t('ln.settings.remove')}
        </button>
      </div>
      <ErrorAlert error={makeDefault.error ?? remove.error} />
    </li>
  );
}
