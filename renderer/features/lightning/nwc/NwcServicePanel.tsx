import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type {
  NwcBudgetPeriod,
  NwcServiceConnectionView,
  NwcServiceMethod,
} from '../../../../shared/contract/nwc';
import { NWC_SERVICE_METHODS } from '../../../../shared/contract/nwc';
import { useFlash } from '../../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../../app/hooks';
import { Alert, ErrorAlert } from '../../../components/Alert';
import { CopyButton } from '../../../components/CopyButton';
import { Field, SelectField } from '../../../components/Field';
import { SubmitCancel } from '../../../components/FormActions';
import { QrCode } from '../../../components/QrCode';
import { useI18n, useT } from '../../../i18n';

const PERIODS: readonly NwcBudgetPeriod[] = ['day', 'week', 'month'];
/** What a new connection may do unless the user changes it: pay within the budget, and read. */
const DEFAULT_METHODS: readonly NwcServiceMethod[] = [
  'pay_invoice',
  'get_balance',
  'get_info',
  'make_invoice',
  'lookup_invoice',
];

/**
 * Apps that may spend from Flash's Lightning wallet (Nostr Wallet Connect, NIP-47): each with its
 * own link, budget, expiry and permissions, revocable here. Payments they make show in activity
 * under the app's name.
 */
export function NwcServicePanel() {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(() => flash.nwcService.list(), [flash]);
  const list = useQuery(load);
  const { reload } = list;
  useFlashEvent('nwcService.changed', () => reload());
  useFlashEvent('lightning.payment', () => reload());
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ name: string; uri: string } | null>(null);
  const revoke = useAction(useCallback((id: string) => flash.nwcService.revoke({ id }), [flash]));
  const connections = list.value ?? [];

  return (
    <section className="card stack nwc-service" aria-labelledby="nwc-service-title">
      <h2 id="nwc-service-title">{t('nwc.service.title')}</h2>
      <p className="hint">{t('nwc.service.explain')}</p>
      <ErrorAlert error={list.error} />
      {shown && <ShowUriOnce name={shown.name} uri={shown.uri} onDone={() => setShown(null)} />}
      {list.value && connections.length === 0 && <p className="empty">{t('nwc.service.empty')}</p>}
      {connections.length > 0 && (
        <ul className="nwc-connections" aria-label={t('nwc.service.list')}>
          {connections.map((c) => (
            <ConnectionRow
              key={c.id}
              connection={c}
              busy={revoke.busy}
              onRevoke={() => void revoke.run(c.id).then((r) => r && reload())}
            />
          ))}
        </ul>
      )}
      <ErrorAlert error={revoke.error} />
      {creating ? (
        <CreateConnection
          onCancel={() => setCreating(false)}
          onCreated={(name, uri) => {
            setCreating(false);
            setShown({ name, uri });
            reload();
          }}
        />
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setCreating(true)}>
            {t('nwc.service.new')}
          </button>
        </div>
      )}
    </section>
  );
}

function ConnectionRow({
  connection: c,
  busy,
  onRevoke,
}: {
  connection: NwcServiceConnectionView;
  busy: boolean;
  onRevoke: () => void;
}) {
  const t = useT();
  const { language } = useI18n();
  const date = (sec: number) => new Date(sec * 1000).toLocaleString(language);
  return (
    <li className={`nwc-connection nwc-${c.status}`}>
      <p className="nwc-connection-name">
        <strong>{c.name}</strong>{' '}
        <span className={`badge badge-${c.status === 'active' ? 'ok' : 'pending'}`}>
          {t(`nwc.service.status.${c.status}`)}
        </span>
      </p>
      <p>
        {t('nwc.service.spent', {
          spent: c.spentSats.toLocaleString(language),
          budget: c.budgetSats.toLocaleString(language),
          period: t(`nwc.service.per.${c.budgetPeriod}`),
        })}
      </p>
      <p className="hint">{t('nwc.service.renews', { when: date(c.budgetRenewsAt) })}</p>
      <p className="hint">
        {t('nwc.service.allowed', {
          methods: c.methods.map((m) => t(`nwc.method.${m as NwcServiceMethod}`)).join(', '),
        })}
      </p>
      <p className="hint">
        {c.expiresAt ? t('nwc.service.expiresOn', { when: date(c.expiresAt) }) : t('nwc.service.noExpiry')}
        {' · '}
        {c.lastUsedAt ? t('nwc.service.lastUsed', { when: date(c.lastUsedAt) }) : t('nwc.service.neverUsed')}
      </p>
      {c.status !== 'revoked' && (
        <div className="actions">
          <button
            type="button"
            className="button-small"
            disabled={busy}
            aria-label={t('nwc.service.revokeLabel', { name: c.name })}
            onClick={onRevoke}
          >
            {t('nwc.service.revoke')}
          </button>
        </div>
      )}
    </li>
  );
}

function CreateConnection({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (name: string, uri: string) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [name, setName] = useState('');
  const [budget, setBudget] = useState('10000');
  const [period, setPeriod] = useState<NwcBudgetPeriod>('day');
  const [expiry, setExpiry] = useState('');
  const [methods, setMethods] = useState<Set<NwcServiceMethod>>(new Set(DEFAULT_METHODS));
  const create = useAction(
    useCallback(
      (input: Parameters<typeof flash.nwcService.create>[0]) => flash.nwcService.create(input),
      [flash],
    ),
  );
  const budgetSats = Number(budget);
  const expiresInDays = expiry === '' ? undefined : Number(expiry);
  const valid =
    name.trim().length > 0 &&
    Number.isSafeInteger(budgetSats) &&
    budgetSats >= 0 &&
    methods.size > 0 &&
    (expiresInDays === undefined || (Number.isSafeInteger(expiresInDays) && expiresInDays >= 1));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    const out = await create.run({
      name: name.trim(),
      budgetSats,
      budgetPeriod: period,
      ...(expiresInDays !== undefined ? { expiresInDays } : {}),
      methods: NWC_SERVICE_METHODS.filter((m) => methods.has(m)),
    });
    if (out) onCreated(out.connection.name, out.uri);
  };
  const toggle = (m: NwcServiceMethod, on: boolean) =>
    setMethods((prev) => {
      const next = new Set(prev);
      if (on) next.add(m);
      else next.delete(m);
      return next;
    });
  return (
    <form className="stack nwc-create" onSubmit={onSubmit}>
      <h3>{t('nwc.service.newTitle')}</h3>
      <Field
        label={t('nwc.service.name')}
        hint={t('nwc.service.nameHint')}
        value={name}
        maxLength={64}
        onChange={(e) => setName(e.target.value)}
        required
      />
      <Field
        label={t('nwc.service.budget')}
        inputMode="numeric"
        value={budget}
        onChange={(e) => setBudget(e.target.value.replace(/[^\d]/g, ''))}
        required
      />
      <SelectField
        label={t('nwc.service.period')}
        hint={t('nwc.service.periodHint')}
        value={period}
        options={PERIODS.map((p) => ({ value: p, label: t(`nwc.service.period.${p}`) }))}
        onChange={(e) => setPeriod(e.target.value as NwcBudgetPeriod)}
      />
      <Field
        label={t('nwc.service.expiry')}
        hint={t('nwc.service.expiryHint')}
        inputMode="numeric"
        value={expiry}
        onChange={(e) => setExpiry(e.target.value.replace(/[^\d]/g, ''))}
      />
      <fieldset className="nwc-methods">
        <legend>{t('nwc.service.methods')}</legend>
        {NWC_SERVICE_METHODS.map((m) => (
          <label key={m}>
            <input type="checkbox" checked={methods.has(m)} onChange={(e) => toggle(m, e.target.checked)} />{' '}
            {t(`nwc.method.${m}`)}
          </label>
        ))}
      </fieldset>
      <ErrorAlert error={create.error} />
      <SubmitCancel label={t('nwc.service.create')} disabled={!valid || create.busy} onCancel={onCancel} />
    </form>
  );
}

/** The link holds the app's secret: Flash keeps it nowhere, so it is shown this once. */
function ShowUriOnce({ name, uri, onDone }: { name: string; uri: string; onDone: () => void }) {
  const t = useT();
  return (
    <div className="stack nwc-uri" role="region" aria-label={t('nwc.service.uriTitle', { name })}>
      <h3>{t('nwc.service.uriTitle', { name })}</h3>
      <Alert tone="warning">{t('nwc.service.uriOnce')}</Alert>
      <QrCode value={uri} alt={t('nwc.service.uriQr', { name })} />
      <p className="mono nwc-uri-text" data-testid="nwc-uri">
        {uri}
      </p>
      <div className="actions">
        <CopyButton text={uri} label={t('nwc.service.copy')} />
        <button type="button" className="button-primary" onClick={onDone}>
          {t('nwc.service.done')}
        </button>
      </div>
    </div>
  );
}
