import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { NostrConversation, NostrMessage } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useI18n, useT } from '../../i18n';
import { Composer } from './Composer';
import { findBitcoinUri, findLightningRequest, shortNpub } from './keys';
import { AddContactInline } from './ContactsPanel';
import {
  EcashChatCard,
  hasEcashPayment,
  RequestEcashInChat,
  SendEcashInChat,
  shortenPayments,
} from './EcashChat';
import { LightningAddressCard } from './LightningAddressCard';
import { chatRequestKind } from './lnurl-claim';
import { LnurlLinkCard } from './LnurlLinkCard';
import { LightningPayCard, PayCard } from './PayCard';
import type { People } from './people';
import { displayName, namesOf, PersonName, usePeople } from './people';
import { ReceiptCard, ReceiptForm } from './Receipt';
import { upsertInTimeOrder } from './time-order';
import { ZapButton } from './Zap';

export function conversationTitle(members: string[]): string {
  return members.map(shortNpub).join(', ');
}

/** One thread: history, live updates, delivery state and the composer. */
export function ConversationView({
  conversation,
  network,
  onRead,
}: {
  conversation: NostrConversation;
  network: Network;
  onRead: () => void;
}) {
  const t = useT();
  const flash = useFlash();
  const id = conversation.id;
  const load = useCallback(() => flash.nostr.getMessages({ conversationId: id, limit: 200 }), [flash, id]);
  const query = useQuery(load);
  const [messages, setMessages] = useState<NostrMessage[]>([]);
  const [text, setText] = useState('');
  const [receiptOpen, setReceiptOpen] = useState(false);
  const people = usePeople(conversation.members);
  const send = useAction(
    useCallback(
      (body: string) => flash.nostr.sendMessage({ to: conversation.members, text: body }),
      [flash, conversation.members],
    ),
  );
  const markRead = useCallback(() => {
    void flash.nostr.markRead({ conversationId: id }).then((r) => {
      if (r.ok) onRead();
    });
  }, [flash, id, onRead]);
  const historyRef = useRef<HTMLOListElement>(null);

  // Remounted per conversation (keyed by id), so the history only ever holds this thread.
  useEffect(() => {
    const loaded = query.value;
    if (loaded) setMessages((prev) => loaded.reduce(upsertInTimeOrder, prev));
  }, [query.value]);
  useEffect(() => {
    markRead();
  }, [markRead]);
  useFlashEvent('nostr.message', ({ conversationId, message }) => {
    if (conversationId !== id) return;
    setMessages((list) => upsertInTimeOrder(list, message));
    if (message.direction === 'in' && !message.read) markRead();
  });
  useEffect(() => {
    const el = historyRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  const onSend = async (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    const out = await send.run(body);
    if (out) {
      setText('');
      setMessages((list) => upsertInTimeOrder(list, out.message));
    }
  };

  const titleId = `msg-thread-${id}`;
  return (
    <section className="card msg-thread" aria-labelledby={titleId}>
      <h2 id={titleId} className="msg-thread-title">
        {t('messages.thread.with', { names: namesOf(conversation.members, people) })}
      </h2>
      <ul className="social-thread-people" aria-label={t('social.thread.people')}>
        {conversation.members.map((p) => (
          <li key={p}>
            <PersonName pubkey={p} people={people} />
          </li>
        ))}
      </ul>
      {!conversation.isGroup &&
        conversation.members[0] &&
        people.get(conversation.members[0])?.isContact === false && (
          <AddContactInline pubkey={conversation.members[0]} />
        )}
      {!conversation.isGroup && conversation.members[0] && (
        <div className="actions">
          <ZapButton
            recipient={conversation.members[0]}
            name={displayName(conversation.members[0], people)}
          />
          <SendEcashInChat to={conversation.members[0]} />
          <RequestEcashInChat to={conversation.members[0]} />
        </div>
      )}
      <ErrorAlert error={query.error} />
      <ol className="msg-history" aria-label={t('messages.thread.history')} ref={historyRef}>
        {messages.length === 0 && !query.loading && <li className="empty">{t('messages.thread.empty')}</li>}
        {messages.map((m) => (
          <MessageBubble
            key={m.id}
            message={m}
            conversationId={id}
            isGroup={conversation.isGroup}
            network={network}
            people={people}
          />
        ))}
      </ol>
      {receiptOpen ? (
        <ReceiptForm
          to={conversation.members}
          onClose={() => setReceiptOpen(false)}
          onSent={(out) => {
            setReceiptOpen(false);
            setMessages((list) => upsertInTimeOrder(list, out.message));
          }}
        />
      ) : (
        <div className="actions">
          <button type="button" className="button-small" onClick={() => setReceiptOpen(true)}>
            {t('social.receipt.open')}
          </button>
        </div>
      )}
      <Composer
        inputId={`msg-compose-${id}`}
        label={t('messages.compose.label')}
        submitLabel={t('messages.compose.send')}
        value={text}
        maxLength={64_000}
        busy={send.busy}
        onChange={setText}
        onSubmit={onSend}
      />
      <ErrorAlert error={send.error} />
    </section>
  );
}

function MessageBubble({
  message,
  conversationId,
  isGroup,
  network,
  people,
}: {
  message: NostrMessage;
  conversationId: string;
  isGroup: boolean;
  network: Network;
  people: People;
}) {
  const { t, language } = useI18n();
  const mine = message.direction === 'out';
  const when = new Date(message.createdAt * 1000);
  const uri = message.receipt ? null : findBitcoinUri(message.text);
  const lightning = message.receipt || uri ? null : findLightningRequest(message.text);
  const ecash = !message.receipt && hasEcashPayment(message.text);
  const d = message.delivery;
  return (
    <li className={`msg ${mine ? 'msg-mine' : 'msg-theirs'}`}>
      <div className="msg-bubble">
        {isGroup && (
          <p className="msg-sender">{mine ? t('messages.thread.me') : displayName(message.sender, people)}</p>
        )}
        {message.subject && <p className="msg-subject">{message.subject}</p>}
        {message.receipt ? (
          <ReceiptCard receipt={message.receipt} />
        ) : ecash ? (
          shortenPayments(message.text) && <p className="msg-text">{shortenPayments(message.text)}</p>
        ) : (
          <p className="msg-text">{message.text}</p>
        )}
        {uri && <PayCard uri={uri} network={network} />}
        {lightning && <LightningRequestCard request={lightning} mine={mine} />}
        {ecash && <EcashChatCard conversationId={conversationId} message={message} />}
        <p className="msg-meta">
          <time dateTime={when.toISOString()} title={when.toLocaleString(language)}>
            {when.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' })}
          </time>
          {message.legacy && (
            <span className="badge badge-pending msg-legacy" title={t('messages.thread.legacyHint')}>
              {t('messages.thread.legacy')}
            </span>
          )}
          {mine && d && (
            <span className="msg-delivery">
              {d.pending > 0
                ? t('messages.delivery.pending', { ok: d.relaysOk, total: d.relays })
                : d.relaysOk === 0
                  ? t('messages.delivery.failed')
                  : t('messages.delivery.sent', { ok: d.relaysOk, total: d.relays })}
            </span>
          )}
        </p>
      </div>
    </li>
  );
}

/**
 * The card of a Lightning request in a message. Only an invoice is read on display; an address or
 * a link names someone's server, which is asked only when the user presses Open.
 */
function LightningRequestCard({ request, mine }: { request: string; mine: boolean }) {
  switch (chatRequestKind(request)) {
    case 'invoice':
      return <LightningPayCard text={request} />;
    case 'address':
      return <LightningAddressCard address={request} mine={mine} />;
    case 'link':
      return <LnurlLinkCard text={request} mine={mine} />;
  }
}
