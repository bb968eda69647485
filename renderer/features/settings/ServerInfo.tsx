import { useElectrumStatus } from '../../app/use-electrum-status';
import { useT } from '../../i18n';

/**
 * What the connected Electrum server says of itself (server.version and server.features), so a
 * user can tell a Fulcrum from an ElectrumX and see which protocol is spoken.
 */
export function ServerInfo() {
  const t = useT();
  const { status } = useElectrumStatus();
  if (!status || status.state !== 'connected') {
    return (
      <section className="stack" aria-labelledby="server-info-title">
        <h3 id="server-info-title">{t('network.server.title')}</h3>
        <p className="hint">{t('network.server.notConnected')}</p>
      </section>
    );
  }
  const features = status.features ?? null;
  const protocol = status.protocolVersion ?? null;
  const range =
    features?.protocolMin && features.protocolMax
      ? `${features.protocolMin} – ${features.protocolMax}`
      : null;
  // parseFloat reads "1.4.2" as 1.4: enough to tell a pre-1.6 server.
  const old = protocol !== null && Number.parseFloat(protocol) < 1.6;
  return (
    <section className="stack" aria-labelledby="server-info-title">
      <h3 id="server-info-title">{t('network.server.title')}</h3>
      <dl className="facts" data-testid="server-info">
        <div>
          <dt>{t('network.server.address')}</dt>
          <dd className="mono">
            {status.server.host}:{status.server.port} ({status.server.transport.toUpperCase()})
          </dd>
        </div>
        <div>
          <dt>{t('network.server.software')}</dt>
          <dd>{features?.software ?? status.serverVersion ?? t('network.server.unknown')}</dd>
        </div>
        <div>
          <dt>{t('network.server.protocol')}</dt>
          <dd>{protocol ?? t('network.server.unknown')}</dd>
        </div>
        <div>
          <dt>{t('network.server.protocolRange')}</dt>
          <dd>{range ?? t('network.server.unknown')}</dd>
        </div>
        <div>
          <dt>{t('network.server.pruning')}</dt>
          <dd>
            {features === null
              ? t('network.server.unknown')
              : features.pruning === null
                ? t('network.server.pruningNone')
                : t('network.server.pruningBlocks', { blocks: String(features.pruning) })}
          </dd>
        </div>
        <div>
          <dt>{t('network.server.packages')}</dt>
          <dd>{features?.broadcastPackage ? t('network.server.yes') : t('network.server.notSaid')}</dd>
        </div>
      </dl>
      {old && <p className="hint">{t('network.server.protocolOld', { version: protocol })}</p>}
    </section>
  );
}
