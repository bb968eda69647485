import { useCallback, useState } from 'react';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';

/**
 * eCash on NOSTR: nutzaps (NIP-61) and the wallet backup on the user's relays (NIP-60), each
 * with what it publishes said before the button that publishes it.
 */
export function EcashNostrPanel() {
  const t = useT();
  const flash = useFlash();
  const [open, setOpen] = useState(false);
  const load = useCallback(() => flash.ecash.nutzapInfo({}), [flash]);
  const info = useQuery(load);
  const publish = useAction(useCallback(() => flash.ecash.publishNutzapInfo({}), [flash]));
  const check = useAction(useCallback(() => flash.ecash.checkNutzaps({}), [flash]));
  const backup = useAction(useCallback(() => flash.ecash.backupWallet({}), [flash]));
  const restore = useAction(useCallback(() => flash.ecash.restoreWallet({}), [flash]));
  const [status, setStatus] = useState<string | null>(null);
  const current = info.value;
  return (
    <section className="card stack ecash-nostr" aria-labelledby="ecash-nostr-title">
      <div className="msg-list-head">
        <h2 id="ecash-nostr-title">{t('ecashNostr.title')}</h2>
        <button type="button" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
          {open ? t('ecashNostr.hide') : t('ecashNostr.show')}
        </button>
      </div>
      {open && (
        <>
          <h3>{t('ecashNostr.nutzaps.title')}</h3>
          <p className="hint">{t('ecashNostr.nutzaps.what')}</p>
          <p role="status">
            {current
              ? t('ecashNostr.nutzaps.on', { mints: current.mints.map((m) => m.url).join(', ') })
              : t('ecashNostr.nutzaps.off')}
          </p>
          <div className="actions">
            <button
              type="button"
              className="button-primary"
              disabled={publish.busy}
              onClick={async () => {
                const out = await publish.run();
                if (out) {
                  setStatus(t('ecashNostr.published', { ok: out.results.filter((r) => r.ok).length }));
                  info.reload();
                }
              }}
            >
              {current ? t('ecashNostr.nutzaps.update') : t('ecashNostr.nutzaps.publish')}
            </button>
            <button
              type="button"
              disabled={check.busy}
              onClick={async () => {
                const out = await check.run();
                if (out) setStatus(t('ecashNostr.nutzaps.checked', { count: out.length }));
              }}
            >
              {t('ecashNostr.nutzaps.check')}
            </button>
          </div>
          <h3>{t('ecashNostr.backup.title')}</h3>
          <p className="hint">{t('ecashNostr.backup.what')}</p>
          <div className="actions">
            <button
              type="button"
              disabled={backup.busy}
              onClick={async () => {
                const out = await backup.run();
                if (out) setStatus(t('ecashNostr.backup.done', { proofs: out.proofs, mints: out.mints }));
              }}
            >
              {t('ecashNostr.backup.run')}
            </button>
            <button
              type="button"
              disabled={restore.busy}
              onClick={async () => {
                const out = await restore.run();
                if (out)
                  setStatus(
                    t('ecashNostr.restore.done', {
                      claimed: out.operations.length,
                      mints: out.mintsAdded.length,
                    }),
                  );
              }}
            >
              {t('ecashNostr.restore.run')}
            </button>
          </div>
          {status && <p role="status">{status}</p>}
          <ErrorAlert error={info.error ?? publish.error ?? check.error ?? backup.error ?? restore.error} />
        </>
      )}
    </section>
  );
}
