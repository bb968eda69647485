import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { NostrIdentity, NostrProfile, NostrPublishResult } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { SubmitCancel } from '../../components/FormActions';
import { QrCode } from '../../components/QrCode';
import { useT } from '../../i18n';

const PROFILE_FIELDS = [
  ['name', 'messages.profile.name'],
  ['picture', 'messages.profile.picture'],
  ['about', 'messages.profile.about'],
  ['nip05', 'messages.profile.nip05'],
  ['lud16', 'messages.profile.lud16'],
] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number][0];

/** Your npub (copy + QR) and the profile editor. */
export function IdentityPanel({
  identity,
  onChange,
}: {
  identity: NostrIdentity;
  onChange: (identity: NostrIdentity) => void;
}) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const [exporting, setExporting] = useState(false);
  const name = identity.profile.display_name ?? identity.profile.name;
  return (
    <section className="card msg-identity" aria-labelledby="msg-identity-title">
      <div className="msg-identity-main stack">
        <h2 id="msg-identity-title">
          {t('messages.identity.title')}
          {name ? <span className="msg-identity-name"> · {name}</span> : null}
        </h2>
        <p className="label" id="msg-npub-label">
          {t('messages.identity.npub')}
        </p>
        <p className="mono msg-npub" aria-labelledby="msg-npub-label" data-testid="my-npub">
          {identity.npub}
        </p>
        <div className="actions">
          <CopyButton text={identity.npub} label={t('messages.identity.copy')} />
          <button type="button" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
            {t('messages.profile.edit')}
          </button>
          <button type="button" aria-expanded={exporting} onClick={() => setExporting((v) => !v)}>
            {t('social.export.open')}
          </button>
        </div>
        <p className="hint">{t('messages.identity.share')}</p>
        {editing && (
          <ProfileForm profile={identity.profile} onSaved={onChange} onClose={() => setEditing(false)} />
        )}
        {exporting && <ExportKeyForm onClose={() => setExporting(false)} />}
      </div>
      <QrCode value={`nostr:${identity.npub}`} alt={t('messages.identity.qrAlt')} />
    </section>
  );
}

function ProfileForm({
  profile,
  onSaved,
  onClose,
}: {
  profile: NostrProfile;
  onSaved: (identity: NostrIdentity) => void;
  onClose: () => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [draft, setDraft] = useState<Record<ProfileField, string>>({
    name: profile.name ?? '',
    picture: profile.picture ?? '',
    about: profile.about ?? '',
    nip05: profile.nip05 ?? '',
    lud16: profile.lud16 ?? '',
  });
  const [results, setResults] = useState<NostrPublishResult[] | null>(null);
  const save = useAction(
    useCallback((next: NostrProfile) => flash.nostr.updateProfile({ profile: next }), [flash]),
  );

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const next: NostrProfile = { ...profile };
    for (const [key] of PROFILE_FIELDS) {
      const v = draft[key].trim();
      if (v) next[key] = v;
      else delete next[key];
    }
    const out = await save.run(next);
    if (out) {
      setResults(out.results);
      onSaved(out.identity);
    }
  };

  return (
    <form className="stack msg-profile" onSubmit={onSubmit} aria-labelledby="msg-profile-title">
      <h3 id="msg-profile-title">{t('messages.profile.title')}</h3>
      {PROFILE_FIELDS.map(([key, label]) =>
        key === 'about' ? (
          <div className="field" key={key}>
            <label htmlFor="msg-profile-about">{t(label)}</label>
            <textarea
              id="msg-profile-about"
              rows={3}
              maxLength={2000}
              value={draft.about}
              onChange={(e) => setDraft({ ...draft, about: e.target.value })}
            />
          </div>
        ) : (
          <Field
            key={key}
            label={t(label)}
            value={draft[key]}
            type={key === 'picture' ? 'url' : 'text'}
            maxLength={key === 'picture' ? 2000 : 320}
            onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
          />
        ),
      )}
      <ErrorAlert error={save.error} />
      {results && <PublishResults results={results} />}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={save.busy}>
          {t('messages.profile.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('messages.profile.close')}
        </button>
      </div>
    </form>
  );
}

/** One line per relay: accepted, or failed with the relay's reason. */
export function PublishResults({ results }: { results: NostrPublishResult[] }) {
  const t = useT();
  if (results.length === 0) return <p role="status">{t('messages.publish.none')}</p>;
  return (
    <ul className="msg-publish" role="status">
      {results.map((r) => (
        <li key={r.url} className={r.ok ? 'msg-ok' : 'msg-failed'}>
          {r.ok
            ? t('messages.publish.ok', { url: r.url })
            : t('messages.publish.failed', { url: r.url, reason: r.message || '?' })}
        </li>
      ))}
    </ul>
  );
}

/** NIP-49 backup of the key: vault password again, then an export password typed twice. */
function ExportKeyForm({ onClose }: { onClose: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [vaultPassword, setVaultPassword] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const run = useAction(
    useCallback(
      (vp: string, ep: string) => flash.nostr.exportNcryptsec({ vaultPassword: vp, exportPassword: ep }),
      [flash],
    ),
  );
  const mismatch = repeat !== '' && password !== repeat;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat || password === '') return;
    const out = await run.run(vaultPassword, password);
    if (out) {
      setResult(out.ncryptsec);
      setVaultPassword('');
      setPassword('');
      setRepeat('');
    }
  };
  return (
    <form className="stack msg-profile" onSubmit={onSubmit} aria-labelledby="social-export-title">
      <h3 id="social-export-title">{t('social.export.title')}</h3>
      <p className="alert alert-warning">{t('social.export.warning')}</p>
      {result ? (
        <>
          <p className="label" id="social-export-result-label">
            {t('social.export.result')}
          </p>
          <p className="mono msg-npub" aria-labelledby="social-export-result-label" data-testid="ncryptsec">
            {result}
          </p>
          <div className="actions">
            <CopyButton text={result} label={t('social.export.copy')} />
            <button type="button" onClick={onClose}>
              {t('messages.profile.close')}
            </button>
          </div>
        </>
      ) : (
        <>
          <Field
            label={t('social.export.vaultPassword')}
            type="password"
            autoComplete="current-password"
            value={vaultPassword}
            onChange={(e) => setVaultPassword(e.target.value)}
          />
          <Field
            label={t('social.export.password')}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Field
            label={t('social.export.repeat')}
            type="password"
            autoComplete="new-password"
            value={repeat}
            hint={mismatch ? t('social.export.mismatch') : undefined}
            onChange={(e) => setRepeat(e.target.value)}
          />
          <ErrorAlert error={run.error} />
          <SubmitCancel
            label={t('social.export.submit')}
            disabled={run.busy || vaultPassword === '' || password === '' || password !== repeat}
            onCancel={onClose}
          />
        </>
      )}
    </form>
  );
}
