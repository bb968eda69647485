import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { NostrConversation, NostrIdentity, NostrMessage } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { SubmitCancel } from '../../components/FormActions';
import { useT } from '../../i18n';
import { ChannelsPanel } from './ChannelsPanel';
import { ContactsPanel } from './ContactsPanel';
import { EcashNostrPanel } from './EcashNostrPanel';
import { ConversationView } from './ConversationView';
import { IdentityPanel } from './IdentityPanel';
import { IdentitySetup } from './IdentitySetup';
import { splitRecipients } from './keys';
import { MerchantPanel } from './MerchantPanel';
import type { People } from './people';
import { Avatar, namesOf, usePeople } from './people';
import { RelaysPanel } from './RelaysPanel';
import { useInboxList } from './use-inbox-list';
import { ZapsReceived } from './Zap';

/** The Messages area: NOSTR identity, relays, conversations and the open thread. */
export function MessagesArea({ network }: { network: Network }) {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(() => flash.nostr.getIdentity(), [flash]);
  const query = useQuery(load);
  const { reload } = query;
  const [identity, setIdentity] = useState<NostrIdentity | null | undefined>(undefined);
  useEffect(() => {
    if (query.value !== undefined) setIdentity(query.value);
  }, [query.value]);
  // Our own profile may arrive from the relays (a key imported on a new machine).
  useFlashEvent('nostr.people', ({ pubkeys }) => {
    if (identity && pubkeys.includes(identity.pubkey)) reload();
  });

  return (
    <div className="stack messages-screen">
      <h1>{t('messages.title')}</h1>
      <ErrorAlert error={query.error} />
      {identity === null && <IdentitySetup onReady={setIdentity} />}
      {identity && (
        <>
          <IdentityPanel identity={identity} onChange={setIdentity} />
          <ZapsReceived pubkey={identity.pubkey} />
          <Inbox network={network} />
          <ChannelsPanel />
          <ContactsPanel />
          <MerchantPanel />
          <EcashNostrPanel />
          <RelaysPanel />
        </>
      )}
    </div>
  );
}

function Inbox({ network }: { network: Network }) {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(() => flash.nostr.listConversations(), [flash]);
  const list = useInboxList(load, 'nostr.message');
  const { reload } = list;
  const [openId, setOpenId] = useState<string | null>(null);
  const [composing, setComposing] = useState(false);
  const conversations = list.value ?? [];
  const open = conversations.find((c) => c.id === openId) ?? null;
  const people = usePeople(conversations.flatMap((c) => c.members));

  const openConversation = (id: string) => {
    setComposing(false);
    setOpenId(id);
  };

  return (
    <div className="msg-inbox">
      <section className="card stack msg-list" aria-labelledby="msg-list-title">
        <div className="msg-list-head">
          <h2 id="msg-list-title">{t('messages.conversations.title')}</h2>
          <button
            type="button"
            className="button-primary"
            aria-pressed={composing}
            onClick={() => setComposing(true)}
          >
            {t('messages.new.button')}
          </button>
        </div>
        <Search onOpen={openConversation} conversations={conversations} people={people} />
        <ErrorAlert error={list.error} />
        {list.value && conversations.length === 0 && (
          <p className="empty">{t('messages.conversations.empty')}</p>
        )}
        {conversations.length > 0 && (
          <ul className="msg-conversations" aria-label={t('messages.conversations.title')}>
            {conversations.map((c) => (
              <ConversationItem
                key={c.id}
                conversation={c}
                current={!composing && c.id === openId}
                people={people}
                onOpen={() => openConversation(c.id)}
              />
            ))}
          </ul>
        )}
      </section>
      <div className="msg-pane">
        {composing ? (
          <NewMessage
            onSent={(id) => {
              reload();
              openConversation(id);
            }}
            onCancel={() => setComposing(false)}
          />
        ) : open ? (
          <ConversationView key={open.id} conversation={open} network={network} onRead={reload} />
        ) : (
          <section className="card msg-thread msg-thread-empty">
            <p className="empty">{t('messages.thread.pick')}</p>
          </section>
        )}
      </div>
    </div>
  );
}

function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function ConversationItem({
  conversation: c,
  current,
  onOpen,
  people,
}: {
  conversation: NostrConversation;
  current: boolean;
  onOpen: () => void;
  people: People;
}) {
  const t = useT();
  const last = c.lastMessage;
  return (
    <li>
      <button
        type="button"
        className="msg-conversation"
        aria-current={current ? 'true' : undefined}
        onClick={onOpen}
      >
        <span className="msg-conversation-names">
          {!c.isGroup && c.members[0] && <Avatar pubkey={c.members[0]} people={people} />}
          {c.isGroup && (
            <span className="msg-group">
              {t('messages.conversations.group', { count: c.members.length + 1 })}{' '}
            </span>
          )}
          <span>{namesOf(c.members, people)}</span>
        </span>
        {last && (
          <span className="msg-preview">
            {last.direction === 'out'
              ? t('messages.conversations.you', { text: preview(last.text) })
              : preview(last.text)}
          </span>
        )}
        {c.unread > 0 && (
          <span className="badge msg-unread">{t('messages.conversations.unread', { count: c.unread })}</span>
        )}
      </button>
    </li>
  );
}

function Search({
  onOpen,
  conversations,
  people,
}: {
  onOpen: (id: string) => void;
  conversations: NostrConversation[];
  people: People;
}) {
  const t = useT();
  const flash = useFlash();
  const [text, setText] = useState('');
  const [results, setResults] = useState<{ query: string; hits: NostrMessage[] } | null>(null);
  const search = useAction(
    useCallback((query: string) => flash.nostr.searchMessages({ query, limit: 50 }), [flash]),
  );
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const query = text.trim();
    if (!query) {
      setResults(null);
      return;
    }
    const hits = await search.run(query);
    if (hits) setResults({ query, hits });
  };
  const membersOf = (id: string) => conversations.find((c) => c.id === id)?.members ?? [];
  return (
    <div className="stack msg-search">
      <form role="search" className="field-row" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="msg-search">{t('messages.search.label')}</label>
          <input
            id="msg-search"
            type="search"
            value={text}
            maxLength={200}
            onChange={(e) => {
              setText(e.target.value);
              if (e.target.value === '') setResults(null);
            }}
          />
        </div>
        <button type="submit" disabled={search.busy}>
          {t('messages.search.submit')}
        </button>
      </form>
      <ErrorAlert error={search.error} />
      {results && (
        <div className="stack">
          {results.hits.length === 0 ? (
            <p className="empty" role="status">
              {t('messages.search.none', { query: results.query })}
            </p>
          ) : (
            <ul className="msg-conversations" aria-label={t('messages.search.results')}>
              {results.hits.map((m) => (
                <li key={m.id}>
                  <button type="button" className="msg-conversation" onClick={() => onOpen(m.conversationId)}>
                    <span className="msg-conversation-names">
                      {namesOf(membersOf(m.conversationId), people)}
                    </span>
                    <span className="msg-preview">{preview(m.text)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button
            type="button"
            className="button-small"
            onClick={() => {
              setResults(null);
              setText('');
            }}
          >
            {t('messages.search.clear')}
          </button>
        </div>
      )}
    </div>
  );
}

function NewMessage({
  onSent,
  onCancel,
}: {
  onSent: (conversationId: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const send = useAction(
    useCallback(
      (recipients: string[], body: string) => flash.nostr.sendMessage({ to: recipients, text: body }),
      [flash],
    ),
  );
  const recipients = splitRecipients(to);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await send.run(recipients, text.trim());
    if (out) onSent(out.message.conversationId);
  };
  return (
    <section className="card msg-thread" aria-labelledby="msg-new-title">
      <form className="stack" onSubmit={onSubmit}>
        <h2 id="msg-new-title">{t('messages.new.title')}</h2>
        <div className="field">
          <label htmlFor="msg-new-to">{t('messages.new.to')}</label>
          <textarea
            id="msg-new-to"
            className="mono"
            rows={2}
            value={to}
            spellCheck={false}
            aria-describedby="msg-new-to-hint"
            onChange={(e) => setTo(e.target.value)}
          />
          <p id="msg-new-to-hint" className="hint">
            {t('messages.new.toHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor="msg-new-text">{t('messages.compose.label')}</label>
          <textarea
            id="msg-new-text"
            rows={4}
            value={text}
            maxLength={64_000}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <ErrorAlert error={send.error} />
        <SubmitCancel
          label={t('messages.compose.send')}
          disabled={send.busy || recipients.length === 0 || text.trim() === ''}
          onCancel={onCancel}
        />
      </form>
    </section>
  );
}
