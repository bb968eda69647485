import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { EcashMintView } from '../../../shared/contract/ecash';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useFormatDateTime, useI18n } from '../../i18n';
import { MoveBox } from './MoveBox';
import { formatUnitAmount, shortMintUrl } from './format';
import { useMints } from './use-ecash';

/**
 * Mints: add one by its address (its NUT-06 info and the warning that it holds the money come
 * first, then "Trust this mint"), and each trusted mint with its balances, keysets, fees, the NUTs
 * it supports and whether it answers. A mint that is down keeps its balance shown as held.
 */
export function MintsPanel() {
  const { t } = useI18n();
  const mints = useMints();
  const list = mints.value ?? [];
  return (
    <div className="stack">
      <AddMint known={list.map((m) => m.url)} />
      <ErrorAlert error={mints.error} />
      {list.length === 0 && !mints.loading ? (
        <p className="hint">{t('ecash.mints.none')}</p>
      ) : (
        list.map((m) => <MintCard key={m.url} mint={m} />)
      )}
      {list.length >= 2 && <MoveBox mints={list} />}
    </div>
  );
}

function AddMint({ known }: { known: string[] }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [url, setUrl] = useState('');
  const [preview, setPreview] = useState<EcashMintView | null>(null);
  const look = useAction(useCallback((u: string) => flash.ecash.previewMint({ url: u }), [flash]));
  const add = useAction(useCallback((u: string) => flash.ecash.addMint({ url: u }), [flash]));
  const onLook = async (e: FormEvent) => {
    e.preventDefault();
    setPreview(null);
    const out = await look.run(url.trim());
    if (out) setPreview(out);
  };
  const onTrust = async () => {
    if (!preview) return;
    if (await add.run(preview.url)) {
      setPreview(null);
      setUrl('');
    }
  };
  const already = preview !== null && known.includes(preview.url);
  return (
    <section className="card stack" aria-labelledby="ecash-add-title">
      <h2 id="ecash-add-title">{t('ecash.add.title')}</h2>
      <form className="stack" onSubmit={onLook}>
        <Field
          label={t('ecash.add.url')}
          value={url}
          onChange={(e) => {
            setUrl(e.target.value);
            setPreview(null);
          }}
          placeholder="https://mint.example.com"
          autoComplete="off"
          spellCheck={false}
        />
        <div className="actions">
          <button type="submit" disabled={look.busy || url.trim() === ''}>
            {look.busy ? t('ecash.add.looking') : t('ecash.add.look')}
          </button>
        </div>
      </form>
      <ErrorAlert error={look.error} />
      {preview && (
        <div className="stack ecash-preview" role="region" aria-label={t('ecash.add.previewLabel')}>
          <MintInfo mint={preview} />
          <Alert tone="warning">{t('ecash.mintWarning')}</Alert>
          {already ? (
            <p className="hint">{t('ecash.add.already')}</p>
          ) : (
            <div className="actions">
              <button type="button" className="button-primary" onClick={onTrust} disabled={add.busy}>
                {t('ecash.add.trust')}
              </button>
              <button type="button" onClick={() => setPreview(null)}>
                {t('common.cancel')}
              </button>
            </div>
          )}
          <ErrorAlert error={add.error} />
        </div>
      )}
    </section>
  );
}

/** NUT-06: who runs the mint, what it says, what it supports, its units and fees. */
function MintInfo({ mint }: { mint: EcashMintView }) {
  const { t } = useI18n();
  return (
    <>
      <h3>{mint.name ?? shortMintUrl(mint.url)}</h3>
      {mint.description && <p>{mint.description}</p>}
      {mint.descriptionLong && <p className="hint">{mint.descriptionLong}</p>}
      {mint.motd && <Alert tone="warning">{t('ecash.info.motd', { text: mint.motd })}</Alert>}
      <dl className="facts">
        <div>
          <dt>{t('ecash.info.url')}</dt>
          <dd className="mono">{mint.url}</dd>
        </div>
        {mint.version && (
          <div>
            <dt>{t('ecash.info.version')}</dt>
            <dd>{mint.version}</dd>
          </div>
        )}
        <div>
          <dt>{t('ecash.info.contact')}</dt>
          <dd>
            {mint.contact.length === 0
              ? t('ecash.info.noContact')
              : mint.contact.map((c) => `${c.method}: ${c.info}`).join(' · ')}
          </dd>
        </div>
        <div>
          <dt>{t('ecash.info.units')}</dt>
          <dd>{mint.units.join(', ')}</dd>
        </div>
        <div>
          <dt>{t('ecash.info.fees')}</dt>
          <dd>
            {mint.fees
              .map((f) => t('ecash.info.fee', { unit: f.unit, ppk: String(f.inputFeePpk) }))
              .join(' · ')}
          </dd>
        </div>
        <div>
          <dt>{t('ecash.info.nuts')}</dt>
          <dd data-testid="ecash-nuts">
            {mint.nuts.map((n) => `NUT-${String(n).padStart(2, '0')}`).join(', ')}
          </dd>
        </div>
      </dl>
    </>
  );
}

function MintCard({ mint }: { mint: EcashMintView }) {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const formatDateTime = useFormatDateTime();
  const [showInfo, setShowInfo] = useState(false);
  const sats = (value: string) => t('amount.sats', { value });
  const fmt = (n: number, unit: string) => formatUnitAmount(n, unit, separators, sats);
  const keysets = useQuery(
    useCallback(() => flash.ecash.keysetBalances({ url: mint.url }), [flash, mint.url]),
  );
  useFlashEvent('ecash.balance', (b) => {
    if (b.mintUrl === mint.url) keysets.reload();
  });
  useFlashEvent('ecash.mint', (m) => {
    if (m.mintUrl === mint.url) keysets.reload();
  });
  const refresh = useAction(useCallback(() => flash.ecash.refreshMint({ url: mint.url }), [flash, mint.url]));
  const remove = useAction(useCallback(() => flash.ecash.removeMint({ url: mint.url }), [flash, mint.url]));
  const onInactive = (keysets.value ?? []).filter((k) => !k.active && k.amount > 0);
  const name = mint.name ?? shortMintUrl(mint.url);
  return (
    <section
      className="card stack ecash-mint"
      aria-label={t('ecash.mint.label', { name })}
      data-testid="ecash-mint"
    >
      <div className="ecash-mint-head">
        <h2>{name}</h2>
        {mint.reachable ? (
          <span className="badge badge-verified">{t('ecash.mint.up')}</span>
        ) : (
          <span className="badge badge-failed" title={mint.lastError ?? undefined}>
            {t('ecash.mint.down')}
          </span>
        )}
      </div>
      <p className="hint mono">{mint.url}</p>
      {!mint.reachable && (
        <p className="hint">{t('ecash.mint.downSince', { when: formatDateTime(mint.checkedAt) })}</p>
      )}
      {mint.balances.length === 0 ? (
        <p className="hint">{t('ecash.mint.empty')}</p>
      ) : (
        <table className="ecash-balances">
          <thead>
            <tr>
              <th>{t('ecash.balance.unit')}</th>
              <th>{t('ecash.balance.spendable')}</th>
              <th>{t('ecash.balance.pending')}</th>
              <th>{t('ecash.balance.incoming')}</th>
            </tr>
          </thead>
          <tbody>
            {mint.balances.map((b) => (
              <tr key={b.unit} data-unit={b.unit}>
                <td>{b.unit}</td>
                <td data-testid="ecash-spendable">{fmt(b.spendable, b.unit)}</td>
                <td>{fmt(b.pending, b.unit)}</td>
                <td>{fmt(b.incoming, b.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {onInactive.length > 0 && (
        <Alert tone="warning">
          {t('ecash.keysets.onInactive', {
            amount: onInactive.map((k) => fmt(k.amount, k.unit)).join(', '),
          })}
        </Alert>
      )}
      <details open={showInfo} onToggle={(e) => setShowInfo(e.currentTarget.open)}>
        <summary>{t('ecash.mint.details')}</summary>
        <div className="stack">
          <MintInfo mint={mint} />
          <table className="ecash-keysets">
            <caption>{t('ecash.keysets.title')}</caption>
            <thead>
              <tr>
                <th>{t('ecash.keysets.id')}</th>
                <th>{t('ecash.balance.unit')}</th>
                <th>{t('ecash.keysets.state')}</th>
                <th>{t('ecash.keysets.fee')}</th>
                <th>{t('ecash.keysets.held')}</th>
              </tr>
            </thead>
            <tbody>
              {(keysets.value ?? []).map((k) => (
                <tr key={k.id}>
                  <td className="mono">{k.id}</td>
                  <td>{k.unit}</td>
                  <td>{k.active ? t('ecash.keysets.active') : t('ecash.keysets.inactive')}</td>
                  <td>{t('ecash.info.ppk', { ppk: String(k.inputFeePpk) })}</td>
                  <td>
                    {fmt(k.amount, k.unit)} ({t('ecash.keysets.proofs', { count: String(k.proofs) })})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ErrorAlert error={keysets.error} />
        </div>
      </details>
      <div className="actions">
        <button type="button" onClick={() => void refresh.run()} disabled={refresh.busy}>
          {refresh.busy ? t('ecash.mint.refreshing') : t('ecash.mint.refresh')}
        </button>
        <button type="button" onClick={() => void remove.run()} disabled={remove.busy}>
          {t('ecash.mint.remove')}
        </button>
      </div>
      <ErrorAlert error={refresh.error ?? remove.error} />
    </section>
  );
}
