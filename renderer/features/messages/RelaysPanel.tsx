import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type {
  NostrPublishResult,
  NostrRelayInfo,
  NostrRelayRole,
  NostrRelayStatus,
} from '../../../shared/contract/nostr';
import { RelayUrl } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useAction, useCountdown, useFlashEvent, useQuery } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';
import { PublishResults } from './IdentityPanel';

const ROLES = ['read', 'write', 'dm'] as const;

/** Relays with their live state, and editing of the list and roles. */
export function RelaysPanel() {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(() => flash.nostr.listRelays(), [flash]);
  const query = useQuery(load);
  const [relays, setRelays] = useState<NostrRelayInfo[] | null>(null);
  const [live, setLive] = useState<Record<string, NostrRelayStatus>>({});
  const [newUrl, setNewUrl] = useState('');
  const [badUrl, setBadUrl] = useState(false);
  const [results, setResults] = useState<NostrPublishResult[] | null>(null);
  const save = useAction(
    useCallback((list: NostrRelayRole[]) => flash.nostr.setRelays({ relays: list }), [flash]),
  );

  useEffect(() => {
    if (query.value) setRelays(query.value);
  }, [query.value]);
  useFlashEvent('nostr.relayStatus', (status) => setLive((m) => ({ ...m, [status.url]: status })));

  const list = relays ?? [];
  const commit = async (next: NostrRelayRole[]) => {
    const out = await save.run(next.map(({ url, read, write, dm }) => ({ url, read, write, dm })));
    if (out) {
      setRelays(out.relays);
      setResults(out.results);
    }
  };

  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = RelayUrl.safeParse(newUrl);
    if (!parsed.success) {
      setBadUrl(true);
      return;
    }
    setBadUrl(false);
    await commit([...list, { url: parsed.data, read: true, write: true, dm: true, status: null }]);
    setNewUrl('');
  };

  return (
    <section className="card stack msg-relays" aria-labelledby="msg-relays-title">
      <h2 id="msg-relays-title">{t('messages.relays.title')}</h2>
      <p className="hint">{t('messages.relays.explain')}</p>
      <ErrorAlert error={query.error} />
      {relays && list.length === 0 && <p className="empty">{t('messages.relays.empty')}</p>}
      {list.length > 0 && (
        <ul className="msg-relay-list" aria-label={t('messages.relays.list')}>
          {list.map((r) => (
            <RelayRow
              key={r.url}
              relay={r}
              status={live[r.url] ?? r.status}
              busy={save.busy}
              onRoles={(roles) => commit(list.map((x) => (x.url === r.url ? { ...x, ...roles } : x)))}
              onRemove={() => commit(list.filter((x) => x.url !== r.url))}
            />
          ))}
        </ul>
      )}
      <form className="field-row msg-relay-add" onSubmit={onAdd}>
        <Field
          label={t('messages.relays.newUrl')}
          value={newUrl}
          className="msg-mono-input"
          spellCheck={false}
          onChange={(e) => {
            setNewUrl(e.target.value);
            setBadUrl(false);
          }}
        />
        <button type="submit" disabled={save.busy || newUrl.trim() === ''}>
          {t('messages.relays.add')}
        </button>
      </form>
      {badUrl && <Alert>{t('messages.relays.badUrl')}</Alert>}
      <ErrorAlert error={save.error} />
      {results && <PublishResults results={results} />}
    </section>
  );
}

function RelayRow({
  relay,
  status,
  busy,
  onRoles,
  onRemove,
}: {
  relay: NostrRelayInfo;
  status: NostrRelayStatus | null;
  busy: boolean;
  onRoles: (roles: Partial<Record<(typeof ROLES)[number], boolean>>) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const retryIn = useCountdown(status?.state === 'backoff' ? status.nextRetryAt : null);
  const state = status?.state;
  const rejected = status
    ? status.rejected.forged + status.rejected.malformed + status.rejected.oversized
    : 0;
  return (
    <li className="msg-relay">
      <div className="msg-relay-head">
        <span className="mono msg-relay-url">{relay.url}</span>
        <span className={`badge msg-state msg-state-${state ?? 'unknown'}`}>
          {t(`messages.relays.state.${state ?? 'unknown'}`)}
        </span>
        {status && status.auth !== 'none' && (
          <span className={`badge msg-auth msg-auth-${status.auth}`}>
            {t(`messages.relays.auth.${status.auth}`)}
          </span>
        )}
        {state === 'backoff' && retryIn > 0 && (
          <span className="hint">{t('messages.relays.retryIn', { seconds: retryIn })}</span>
        )}
      </div>
      {status && rejected > 0 && (
        <p className="hint">
          {t('messages.relays.rejected', {
            forged: status.rejected.forged,
            malformed: status.rejected.malformed,
            oversized: status.rejected.oversized,
          })}
        </p>
      )}
      {status?.lastError && state !== 'open' && (
        <p className="hint">{t('messages.relays.lastError', { error: status.lastError })}</p>
      )}
      <div className="actions msg-relay-roles">
        {ROLES.map((role) => (
          <label key={role}>
            <input
              type="checkbox"
              checked={relay[role]}
              disabled={busy}
              aria-label={`${t(`messages.relays.${role}`)} – ${relay.url}`}
              onChange={(e) => onRoles({ [role]: e.target.checked })}
            />{' '}
            {t(`messages.relays.${role}`)}
          </label>
        ))}
        <button
          type="button"
          className="button-small"
          disabled={busy}
          aria-label={t('messages.relays.removeLabel', { url: relay.url })}
          onClick={onRemove}
        >
          {t('messages.relays.remove')}
        </button>
      </div>
    </li>
  );
}
