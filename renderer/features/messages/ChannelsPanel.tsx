import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { NostrChannel, NostrChannelPost } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { SubmitCancel } from '../../components/FormActions';
import { useI18n, useT } from '../../i18n';
import { Composer } from './Composer';
import { PublishResults } from './IdentityPanel';
import { displayName, usePeople } from './people';
import { upsertInTimeOrder } from './time-order';
import { useInboxList } from './use-inbox-list';
import { useZaps, ZapButton, ZapSummary } from './Zap';

/** NIP-28 public channels: the joined list, create, join by id, and the open channel. */
export function ChannelsPanel() {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(() => flash.nostr.listChannels(), [flash]);
  const list = useInboxList(load, 'nostr.channels');
  const { reload } = list;
  // Post counts in the list change with every post, not only when the list itself does.
  useFlashEvent('nostr.channelPost', () => reload());
  const [openId, setOpenId] = useState<string | null>(null);
  const [mode, setMode] = useState<'create' | 'join' | null>(null);
  const channels = list.value ?? [];
  const open = channels.find((c) => c.id === openId) ?? null;

  const opened = (id: string) => {
    setMode(null);
    setOpenId(id);
    reload();
  };

  return (
    <div className="msg-inbox social-channels">
      <section className="card stack msg-list" aria-labelledby="social-channels-title">
        <div className="msg-list-head">
          <h2 id="social-channels-title">{t('social.channels.title')}</h2>
        </div>
        <p className="hint">{t('social.channels.public')}</p>
        <div className="actions">
          <button
            type="button"
            className="button-small"
            aria-pressed={mode === 'create'}
            onClick={() => setMode('create')}
          >
            {t('social.channels.create')}
          </button>
          <button
            type="button"
            className="button-small"
            aria-pressed={mode === 'join'}
            onClick={() => setMode('join')}
          >
            {t('social.channels.join')}
          </button>
        </div>
        <ErrorAlert error={list.error} />
        {list.value && channels.length === 0 && <p className="empty">{t('social.channels.empty')}</p>}
        {channels.length > 0 && (
          <ul className="msg-conversations" aria-label={t('social.channels.list')}>
            {channels.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="msg-conversation"
                  aria-current={mode === null && c.id === openId ? 'true' : undefined}
                  onClick={() => opened(c.id)}
                >
                  <span className="msg-conversation-names"># {c.name || t('social.channels.unnamed')}</span>
                  <span className="msg-preview">{t('social.channels.posts', { count: c.posts })}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="msg-pane">
        {mode === 'create' ? (
          <CreateChannel onDone={opened} onCancel={() => setMode(null)} />
        ) : mode === 'join' ? (
          <JoinChannel onDone={opened} onCancel={() => setMode(null)} />
        ) : open ? (
          <ChannelView key={open.id} channel={open} onLeft={() => opened('')} />
        ) : (
          <section className="card msg-thread msg-thread-empty">
            <p className="empty">{t('social.channels.pick')}</p>
          </section>
        )}
      </div>
    </div>
  );
}

function CreateChannel({ onDone, onCancel }: { onDone: (id: string) => void; onCancel: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [name, setName] = useState('');
  const [about, setAbout] = useState('');
  const create = useAction(
    useCallback(
      (n: string, a: string) => flash.nostr.createChannel({ name: n, ...(a ? { about: a } : {}) }),
      [flash],
    ),
  );
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await create.run(name.trim(), about.trim());
    if (out) onDone(out.channel.id);
  };
  return (
    <section className="card msg-thread" aria-labelledby="social-create-title">
      <form className="stack" onSubmit={onSubmit}>
        <h2 id="social-create-title">{t('social.channels.createTitle')}</h2>
        <p className="alert alert-warning">{t('social.channels.publicWarning')}</p>
        <ChannelFields name={name} about={about} onName={setName} onAbout={setAbout} />
        <ErrorAlert error={create.error} />
        <SubmitCancel
          label={t('social.channels.createSubmit')}
          disabled={create.busy || name.trim() === ''}
          onCancel={onCancel}
        />
      </form>
    </section>
  );
}

function JoinChannel({ onDone, onCancel }: { onDone: (id: string) => void; onCancel: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [ref, setRef] = useState('');
  const join = useAction(useCallback((r: string) => flash.nostr.joinChannel({ ref: r }), [flash]));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await join.run(ref.trim());
    if (out) onDone(out.id);
  };
  return (
    <section className="card msg-thread" aria-labelledby="social-join-title">
      <form className="stack" onSubmit={onSubmit}>
        <h2 id="social-join-title">{t('social.channels.joinTitle')}</h2>
        <Field
          label={t('social.channels.ref')}
          hint={t('social.channels.refHint')}
          className="msg-mono-input"
          value={ref}
          spellCheck={false}
          maxLength={1000}
          onChange={(e) => setRef(e.target.value)}
        />
        <ErrorAlert error={join.error} />
        <SubmitCancel
          label={t('social.channels.joinSubmit')}
          disabled={join.busy || ref.trim() === ''}
          onCancel={onCancel}
        />
      </form>
    </section>
  );
}

function ChannelView({ channel, onLeft }: { channel: NostrChannel; onLeft: () => void }) {
  const { t, language } = useI18n();
  const flash = useFlash();
  const id = channel.id;
  const load = useCallback(() => flash.nostr.getChannelPosts({ channelId: id, limit: 200 }), [flash, id]);
  const query = useQuery(load);
  const [posts, setPosts] = useState<NostrChannelPost[]>([]);
  const [text, setText] = useState('');
  const zaps = useZaps({ eventIds: posts.map((p) => p.id) });
  // Zappers are named like authors (petname, profile name), not left as bare keys.
  const people = usePeople([
    ...new Set([...posts.map((p) => p.author), ...(zaps.value ?? []).map((z) => z.sender)]),
  ]);
  const post = useAction(
    useCallback((body: string) => flash.nostr.postToChannel({ channelId: id, text: body }), [flash, id]),
  );
  const leave = useAction(useCallback(() => flash.nostr.leaveChannel({ channelId: id }), [flash, id]));
  const historyRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const loaded = query.value;
    if (loaded) setPosts((prev) => loaded.reduce(upsertInTimeOrder, prev));
  }, [query.value]);
  useFlashEvent('nostr.channelPost', ({ channelId, post: p }) => {
    if (channelId === id) setPosts((list) => upsertInTimeOrder(list, p));
  });
  useEffect(() => {
    const el = historyRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [posts.length]);
  const [results, setResults] = useState<Awaited<ReturnType<typeof post.run>>>(undefined);

  const onSend = async (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    const out = await post.run(body);
    if (out) {
      setText('');
      setResults(out);
      setPosts((list) => upsertInTimeOrder(list, out.post));
    }
  };
  const titleId = `social-channel-${id}`;
  return (
    <section className="card msg-thread" aria-labelledby={titleId}>
      <h2 id={titleId} className="msg-thread-title">
        # {channel.name || t('social.channels.unnamed')}
      </h2>
      {channel.about && <p>{channel.about}</p>}
      {channel.mine && <EditChannel channel={channel} />}
      <p className="alert alert-warning social-public-note">{t('social.channels.publicWarning')}</p>
      <div className="social-channel-id">
        <p className="label">{t('social.channels.shareId')}</p>
        <p className="mono msg-npub" data-testid="channel-id">
          {channel.nevent}
        </p>
        <div className="actions">
          <CopyButton text={channel.nevent} label={t('social.channels.copyId')} />
          <button
            type="button"
            disabled={leave.busy}
            onClick={() => void leave.run().then((r) => r && onLeft())}
          >
            {t('social.channels.leave')}
          </button>
        </div>
        <ErrorAlert error={leave.error} />
      </div>
      <ErrorAlert error={query.error} />
      <ol className="msg-history" aria-label={t('social.channels.history')} ref={historyRef}>
        {posts.length === 0 && !query.loading && <li className="empty">{t('social.channels.noPosts')}</li>}
        {posts.map((p) => {
          const when = new Date(p.createdAt * 1000);
          return (
            <li key={p.id} className={`msg ${p.mine ? 'msg-mine' : 'msg-theirs'}`}>
              <div className="msg-bubble">
                <p className="msg-sender">
                  {p.mine ? t('messages.thread.me') : displayName(p.author, people)}
                </p>
                <p className="msg-text">{p.text}</p>
                <ZapSummary zaps={(zaps.value ?? []).filter((z) => z.eventId === p.id)} people={people} />
                <p className="msg-meta">
                  <time dateTime={when.toISOString()} title={when.toLocaleString(language)}>
                    {when.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' })}
                  </time>
                  {!p.mine && (
                    <ZapButton
                      recipient={p.author}
                      name={displayName(p.author, people)}
                      event={{ id: p.id, kind: 42 }}
                    />
                  )}
                </p>
              </div>
            </li>
          );
        })}
      </ol>
      <Composer
        inputId={`social-post-${id}`}
        label={t('social.channels.postLabel')}
        submitLabel={t('social.channels.post')}
        value={text}
        maxLength={16_000}
        busy={post.busy}
        onChange={setText}
        onSubmit={onSend}
      />
      <ErrorAlert error={post.error} />
      {results && results.results.some((r) => !r.ok) && <PublishResults results={results.results} />}
    </section>
  );
}

/** Kind 41: new name/description; only offered to the creator (main refuses anyone else). */
function EditChannel({ channel }: { channel: NostrChannel }) {
  const t = useT();
  const flash = useFlash();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(channel.name);
  const [about, setAbout] = useState(channel.about);
  const save = useAction(
    useCallback(
      (n: string, a: string) =>
        flash.nostr.updateChannel({ channelId: channel.id, name: n, ...(a ? { about: a } : {}) }),
      [flash, channel.id],
    ),
  );
  if (!open)
    return (
      <div className="actions">
        <button
          type="button"
          className="button-small"
          onClick={() => {
            setName(channel.name);
            setAbout(channel.about);
            setOpen(true);
          }}
        >
          {t('social.channels.edit')}
        </button>
      </div>
    );
  return (
    <form
      className="stack msg-profile"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run(name.trim(), about.trim()).then((out) => out && setOpen(false));
      }}
    >
      <ChannelFields name={name} about={about} onName={setName} onAbout={setAbout} />
      <ErrorAlert error={save.error} />
      <SubmitCancel
        label={t('social.channels.editSubmit')}
        disabled={save.busy || name.trim() === ''}
        onCancel={() => setOpen(false)}
      />
    </form>
  );
}

/** Name and description: the same two fields when creating a channel (kind 40) and editing it (kind 41). */
function ChannelFields(props: {
  name: string;
  about: string;
  onName: (name: string) => void;
  onAbout: (about: string) => void;
}) {
  const t = useT();
  return (
    <>
      <Field
        label={t('social.channels.name')}
        value={props.name}
        maxLength={200}
        onChange={(e) => props.onName(e.target.value)}
      />
      <Field
        label={t('social.channels.about')}
        value={props.about}
        maxLength={2000}
        onChange={(e) => props.onAbout(e.target.value)}
      />
    </>
  );
}
