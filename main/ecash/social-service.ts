import { createHash, randomBytes } from 'node:crypto';
import { getDecodedToken } from '@cashu/cashu-ts';
import { nip19 } from 'nostr-tools';
import type { EcashOperationView, EcashSentToken } from '../../shared/contract/ecash';
import type {
  EcashBackupReport,
  EcashChatPaymentView,
  EcashNutzapInfoView,
  EcashPaymentRequestView,
  EcashWalletRestoreReport,
} from '../../shared/contract/ecash-social';
import type { NostrMessage, NostrPublishResult } from '../../shared/contract/nostr';
import { findChatPayments } from '../../shared/ecash/chat-payments';
import { FlashError, isFlashError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { NostrService } from '../nostr/service';
import type { NostrEvent } from '../nostr/verify';
import { toFlashError } from './errors';
import { cleanMintUrl } from './mints';
import {
  KIND_DELETE,
  KIND_TOKEN,
  KIND_WALLET,
  readTokenContent,
  readWalletContent,
  tokenContent,
  walletContent,
} from './nip60';
import type { IncomingNutzap, NutzapInfo } from './nutzap';
import {
  historyContent,
  KIND_HISTORY,
  KIND_NUTZAP,
  KIND_NUTZAP_INFO,
  nutzapInfoTemplate,
  nutzapTemplate,
  parseNutzapInfo,
  readNutzap,
  redemptionTemplate,
} from './nutzap';
import {
  createRequest,
  decodePayload,
  encodePayload,
  nostrTarget,
  parseRequest,
  requestView,
} from './payment-request';
import type { PlainProof } from './proof-codec';
import { toPlain } from './proof-codec';
import type { EcashService } from './service';
import { encodeToken } from './tokens';

/**
 * eCash over NOSTR and NUT-18: what the wallet does with other people.
 *
 * - Chat: a token sent to a contact is a NIP-17 DM holding the `cashuB…` token; tokens, payment
 *   requests and payment payloads found in a chat become pay cards; "Claim" is the wallet's
 *   journaled receive, tagged with the message so a card is claimed once.
 * - NUT-18: requests (creqA) with the NOSTR transport (our nprofile; payers DM the payload) or a
 *   POST URL; payloads arriving in a DM are claimed by themselves; paying sends a journaled
 *   token, then hands its payload to the request's transport.
 * - NIP-61: our kind 10019 (relays, mints, our P2PK key); nutzaps out (tokens locked to the
 *   recipient's announced key, kind 9321 on their relays) and in (checked, claimed, then a kind
 *   7376 "redeemed" record so other clients skip it).
 * - NIP-60: the wallet backed up on the user's relays, every content NIP-44 encrypted to the
 *   user's own key: kind 17375 (P2PK key, mints) and kind 7375 (unspent proofs), older token
 *   events deleted (kind 5, ["k","7375"]); restore claims what the mints still call unspent.
 *   Once the user has such a backup, it follows the balance: a change publishes it again after a
 *   quiet spell (debounced), one backup at a time, never while the vault is locked.
 *
 * Journal rows carry where each token went or came from in `counterparty`: chat:<message id>,
 * chat-to:<pubkey>, nutzap:<event id>, nutzap-to:<pubkey>, creq:<request id>:<message id>,
 * creq-pay:<request id>, nip60:<event id>.
 */

export type EcashSocialEcash = Pick<
  EcashService,
  | 'send'
  | 'receive'
  | 'decodeToken'
  | 'listMints'
  | 'balances'
  | 'addMint'
  | 'p2pkPublicKey'
  | 'p2pkPrivateKeyHex'
  | 'adoptP2pkKey'
  | 'operationsFor'
  | 'heldProofs'
  | 'knowsProof'
  | 'unlocked'
>;

export type EcashSocialNostr = Pick<
  NostrService,
  | 'getIdentity'
  | 'sendMessage'
  | 'getMessages'
  | 'listConversations'
  | 'relayPool'
  | 'signEvent'
  | 'userRelays'
  | 'encryptToSelf'
  | 'decryptFromSelf'
>;

export interface EcashSocialDeps {
  ecash: EcashSocialEcash;
  nostr: EcashSocialNostr;
  bus: EventBus;
  log: Logger;
  now?: () => number;
  /** NUT-18 `post` transport. */
  fetch?: typeof fetch;
  queryTimeoutMs?: number;
  /** How long a balance must stay still before the NIP-60 backup is published again. */
  backupDebounceMs?: number;
}

const HEX64 = /^[0-9a-f]{64}$/;
const NUTZAP_SUB = 'ecash-nutzaps';
const POST_TIMEOUT_MS = 15_000;

export function createEcashSocialService(deps: EcashSocialDeps) {
  const now = deps.now ?? Date.now;
  const nowSec = (): number => Math.floor(now() / 1000);
  const timeout = deps.queryTimeoutMs ?? 3000;
  const doFetch = deps.fetch ?? fetch;
  /** Events and messages being claimed right now: one relay's copy waits for another's. */
  const inFlight = new Map<string, Promise<EcashOperationView | null>>();
  const stops: (() => void)[] = [];

  const pool = () => {
    const p = deps.nostr.relayPool();
    if (!p) throw new FlashError('INTERNAL', 'The NOSTR service is not started.');
    return p;
  };
  const me = (): string => {
    const id = deps.nostr.getIdentity();
    if (!id) throw new FlashError('NOSTR_NO_IDENTITY', 'Create or import a NOSTR identity first.');
    return id.pubkey;
  };
  const readRelays = (): string[] => deps.nostr.userRelays().read.slice(0, 8);
  const writeRelays = (): string[] => {
    const r = deps.nostr.userRelays();
    return (r.write.length > 0 ? r.write : r.read).slice(0, 8);
  };
  const publish = async (event: NostrEvent, urls: string[]): Promise<NostrPublishResult[]> => {
    if (urls.length === 0) throw new FlashError('NOSTR_NO_RELAYS', 'No relays to publish to.');
    return (await pool().publish(event, urls)).map((r) => ({ url: r.url, ok: r.ok, message: r.message }));
  };
  const parsePubkey = (text: string): string => {
    const t = text.trim();
    if (HEX64.test(t)) return t;
    const hex = decodeNpub(t);
    if (hex) return hex;
    throw new FlashError('NOSTR_INVALID_KEY', 'Give an npub or a 64-character hex public key.');
  };
  const once = (key: string, run: () => Promise<EcashOperationView | null>) => {
    const busy = inFlight.get(key);
    if (busy) return busy;
    const p = run().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  };
  const keysetIds = (): string[] => deps.ecash.listMints().flatMap((m) => m.keysets.map((k) => k.id));
  const lastOp = (counterparty: string): EcashOperationView | null =>
    deps.ecash.operationsFor(counterparty).find((o) => o.counterparty === counterparty) ?? null;

  /** A mint among `accepted` (all ours if none is named) holding `amount` of `unit`. */
  function pickMint(
    accepted: readonly string[] | null,
    unit: string,
    amount: number,
    preferred?: string,
  ): string {
    const ours = deps.ecash
      .balances()
      .filter((b) => b.unit === unit && b.spendable >= amount)
      .sort((a, b) => b.spendable - a.spendable)
      .map((b) => b.mintUrl);
    const ok = (url: string) => !accepted || accepted.includes(url);
    if (preferred) {
      const url = cleanMintUrl(preferred);
      if (!ok(url) || !ours.includes(url))
        throw new FlashError('ECASH_NO_COMMON_MINT', 'That mint is not accepted here or holds too little.', {
          mint: url,
        });
      return url;
    }
    const found = ours.find(ok);
    if (!found)
      throw new FlashError(
        'ECASH_NO_COMMON_MINT',
        'No mint the other side accepts holds enough of your eCash.',
        {
          accepted: (accepted ?? []).join(' '),
        },
      );
    return found;
  }

  // ── NIP-61: kind 10019 ───────────────────────────────────────────────────────────────────

  async function nutzapInfoOf(pubkey: string): Promise<NutzapInfo | null> {
    const found = await pool().query(
      [{ kinds: [KIND_NUTZAP_INFO], authors: [pubkey], limit: 5 }],
      [...new Set([...readRelays(), ...writeRelays()])],
      timeout,
    );
    const newest = found
      .filter((e) => e.pubkey === pubkey && e.kind === KIND_NUTZAP_INFO)
      .sort((a, b) => b.created_at - a.created_at)[0];
    return newest ? parseNutzapInfo(newest) : null;
  }

  const infoView = (info: NutzapInfo | null): EcashNutzapInfoView | null =>
    info
      ? {
          pubkey: info.pubkey,
          relays: info.relays,
          mints: info.mints,
          p2pk: info.p2pk,
          createdAt: info.createdAt,
        }
      : null;

  // ── incoming: nutzaps ────────────────────────────────────────────────────────────────────

  async function claimNutzap(event: NostrEvent, relay: string): Promise<EcashOperationView | null> {
    const self = me();
    const counterparty = `nutzap:${event.id}`;
    const done = lastOp(counterparty);
    if (done) return done;
    let zap: IncomingNutzap;
    try {
      zap = readNutzap(event, {
        pubkey: self,
        p2pk: deps.ecash.p2pkPublicKey(),
        mints: deps.ecash.listMints().map((m) => m.url),
      });
    } catch (err) {
      deps.log.info('ecash: a nutzap was left unclaimed', {
        eventId: event.id,
        code: toFlashError(err).code,
      });
      return null;
    }
    const token = encodeToken(zap.mintUrl, zap.unit, zap.proofs, zap.comment || null);
    const op = await deps.ecash.receive(token, { counterparty });
    if (op.state === 'claimed') {
      try {
        const content = deps.nostr.encryptToSelf(historyContent('in', op.amount - op.fee, op.unit));
        const record = deps.nostr.signEvent(
          redemptionTemplate(
            { nutzapId: zap.id, relay, sender: zap.sender, encryptedContent: content },
            nowSec(),
          ),
        );
        await publish(record, writeRelays());
      } catch (err) {
        // The money is ours either way; the record only spares other clients a failed claim.
        deps.log.warn('ecash: nutzap redemption record not published', { code: toFlashError(err).code });
      }
    }
    return op;
  }

  const onNutzap = (event: NostrEvent, relay: string): void => {
    if (event.kind !== KIND_NUTZAP) return;
    void once(`nutzap:${event.id}`, () => claimNutzap(event, relay)).catch((err: unknown) =>
      deps.log.warn('ecash: nutzap claim failed', { code: toFlashError(err).code }),
    );
  };

  function watchNutzaps(): void {
    const p = deps.nostr.relayPool();
    const id = deps.nostr.getIdentity();
    if (!p || !id) return;
    p.subscribe(NUTZAP_SUB, [{ kinds: [KIND_NUTZAP], '#p': [id.pubkey] }], readRelays());
  }

  // ── incoming: NUT-18 payloads and chat tokens ────────────────────────────────────────────

  async function claimPayload(message: NostrMessage, json: string): Promise<EcashOperationView | null> {
    const payload = decodePayload(json);
    const counterparty = `creq:${payload.id ?? '-'}:${message.id}`;
    const done = lastOp(counterparty);
    if (done) return done;
    const token = encodeToken(
      cleanMintUrl(payload.mint),
      payload.unit,
      payload.proofs.map(toPlain),
      payload.memo ?? null,
    );
    return deps.ecash.receive(token, { counterparty });
  }

  const onMessage = (message: NostrMessage): void => {
    if (message.direction !== 'in') return;
    for (const found of findChatPayments(message.text)) {
      if (found.kind !== 'payload') continue;
      void once(`msg:${message.id}`, () => claimPayload(message, found.text)).catch((err: unknown) =>
        deps.log.warn('ecash: a payment payload was not claimed', { code: toFlashError(err).code }),
      );
    }
  };

  /** Payloads that arrived while the app was closed or before a crash: claimed once each. */
  async function scanInbox(): Promise<void> {
    for (const conv of deps.nostr.listConversations()) {
      for (const m of deps.nostr.getMessages({ conversationId: conv.id, limit: 50 })) {
        if (m.direction !== 'in') continue;
        const payload = findChatPayments(m.text).find((f) => f.kind === 'payload');
        if (!payload) continue;
        await once(`msg:${m.id}`, () => claimPayload(m, payload.text)).catch(() => null);
      }
    }
  }

  function findMessage(conversationId: string, messageId: string): NostrMessage {
    const m = deps.nostr.getMessages({ conversationId, limit: 1000 }).find((x) => x.id === messageId);
    if (!m) throw new FlashError('NOSTR_CONVERSATION_NOT_FOUND', 'No such message in this conversation.');
    return m;
  }

  // ── NIP-60 ───────────────────────────────────────────────────────────────────────────────

  async function ownWalletEvents(): Promise<{
    wallet: NostrEvent | null;
    tokens: NostrEvent[];
    deleted: Set<string>;
  }> {
    const self = me();
    const events = await pool().query(
      [
        { kinds: [KIND_WALLET, KIND_TOKEN], authors: [self] },
        { kinds: [KIND_DELETE], authors: [self], '#k': [String(KIND_TOKEN)] },
      ],
      [...new Set([...readRelays(), ...writeRelays()])],
      timeout,
    );
    const mine = events.filter((e) => e.pubkey === self);
    const deleted = new Set(
      mine
        .filter((e) => e.kind === KIND_DELETE)
        .flatMap((e) => e.tags.filter((t) => t[0] === 'e').map((t) => t[1] as string)),
    );
    const wallet =
      mine.filter((e) => e.kind === KIND_WALLET).sort((a, b) => b.created_at - a.created_at)[0] ?? null;
    const seen = new Set<string>();
    const tokens = mine.filter(
      (e) => e.kind === KIND_TOKEN && !deleted.has(e.id) && !seen.has(e.id) && seen.add(e.id),
    );
    return { wallet, tokens, deleted };
  }

  let catching: Promise<void> | null = null;
  let stopped = false;
  /** Payloads and nutzaps that came while the app was closed or locked: claimed once each. */
  function catchUp(): void {
    catching ??= (async () => {
      if (stopped || !deps.nostr.getIdentity()) return;
      await noticeExistingBackup().catch((err: unknown) =>
        deps.log.warn('ecash: NIP-60 backup lookup failed', { code: toFlashError(err).code }),
      );
      await scanInbox().catch((err: unknown) =>
        deps.log.warn('ecash: inbox scan failed', { code: isFlashError(err) ? err.code : 'INTERNAL' }),
      );
      await service
        .checkNutzaps()
        .catch((err: unknown) =>
          deps.log.warn('ecash: nutzap check failed', { code: isFlashError(err) ? err.code : 'INTERNAL' }),
        );
    })().finally(() => {
      catching = null;
    });
  }

  /**
   * What a backup holds, hashed: the mints and every unspent proof. Kept in memory only, so an
   * update finds out cheaply whether the relays already hold the current wallet.
   */
  function walletFingerprint(mints: readonly string[], held: ReturnType<EcashSocialEcash['heldProofs']>) {
    const hash = createHash('sha256');
    for (const m of [...mints].sort()) hash.update(`m\0${m}\0`);
    const rows = held.flatMap((h) => h.proofs.map((p) => `${h.mintUrl}\0${h.unit}\0${p.secret}`)).sort();
    for (const r of rows) hash.update(`p\0${r}\0`);
    return hash.digest('hex');
  }
  /** The fingerprint of the last backup the relays took; null until one is made here. */
  let publishedFingerprint: string | null = null;

  /**
   * Whether a new backup may delete this token event: only when this wallet accounts for every
   * proof in it (holds or held it, or claimed the event in a restore). A backup made by another
   * wallet on the same NOSTR key (a lost device not restored yet) or one we cannot read stays.
   */
  function replaceable(event: NostrEvent): boolean {
    if (lastOp(`nip60:${event.id}`)?.state === 'claimed') return true;
    try {
      const content = readTokenContent(deps.nostr.decryptFromSelf(event.content));
      return content.proofs.every((p) => deps.ecash.knowsProof(p.secret));
    } catch {
      return false;
    }
  }

  /** Publishes the wallet (17375) and its unspent proofs (7375) encrypted to ourselves. */
  async function backupNow(): Promise<EcashBackupReport> {
    me();
    const relays = writeRelays();
    const before = await ownWalletEvents();
    const mints = deps.ecash.listMints().map((m) => m.url);
    const held = deps.ecash.heldProofs();
    const fingerprint = walletFingerprint(mints, held);
    const wallet = deps.nostr.signEvent({
      kind: KIND_WALLET,
      created_at: nowSec(),
      tags: [],
      content: deps.nostr.encryptToSelf(walletContent(deps.ecash.p2pkPrivateKeyHex(), mints)),
    });
    const results = await publish(wallet, relays);
    if (!results.some((r) => r.ok))
      throw new FlashError('ECASH_DELIVERY_FAILED', 'No relay took the wallet backup.');
    const old = before.tokens.filter(replaceable).map((e) => e.id);
    let proofs = 0;
    let amount = 0;
    let tokenEvents = 0;
    for (const h of held) {
      if (h.proofs.length === 0) continue;
      const event = deps.nostr.signEvent({
        kind: KIND_TOKEN,
        created_at: nowSec(),
        tags: [],
        content: deps.nostr.encryptToSelf(
          tokenContent({ mint: h.mintUrl, unit: h.unit, proofs: h.proofs, del: old }),
        ),
      });
      const r = await publish(event, relays);
      if (!r.some((x) => x.ok))
        throw new FlashError('ECASH_DELIVERY_FAILED', 'No relay took the wallet backup.');
      tokenEvents += 1;
      proofs += h.proofs.length;
      amount += h.proofs.reduce((s, p) => s + p.amount, 0);
    }
    if (old.length > 0) {
      const deletion = deps.nostr.signEvent({
        kind: KIND_DELETE,
        created_at: nowSec(),
        tags: [...old.map((id) => ['e', id]), ['k', String(KIND_TOKEN)]],
        content: 'eCash wallet backup replaced',
      });
      await publish(deletion, relays);
    }
    publishedFingerprint = fingerprint;
    keepBackupCurrent = true;
    return { mints: mints.length, tokenEvents, proofs, amount, replaced: old.length, relays: results };
  }

  /** Reads the NIP-60 wallet back: adds its mints, claims every proof the mints call unspent. */
  async function restoreNow(): Promise<EcashWalletRestoreReport> {
    const found = await ownWalletEvents();
    if (!found.wallet && found.tokens.length === 0)
      throw new FlashError('ECASH_NO_BACKUP', 'No eCash wallet backup (NIP-60) was found on your relays.');
    // The user keeps a backup: what this restore claims is published again once it settles.
    keepBackupCurrent = true;
    const mintsAdded: string[] = [];
    const saved = found.wallet ? readWalletContent(deps.nostr.decryptFromSelf(found.wallet.content)) : null;
    const walletMints = saved?.mints ?? [];
    // A backup made under other words names its own nutzap key: nutzaps sent to it while its
    // kind 10019 was out would otherwise stay locked for good.
    if (saved?.privkey && deps.ecash.adoptP2pkKey(saved.privkey))
      deps.log.info('ecash: kept the nutzap key of the restored NIP-60 wallet');
    const contents = found.tokens.map((e) => {
      try {
        return { id: e.id, content: readTokenContent(deps.nostr.decryptFromSelf(e.content)) };
      } catch (err) {
        deps.log.warn('ecash: a NIP-60 token event could not be read', { code: toFlashError(err).code });
        return null;
      }
    });
    const known = new Set(deps.ecash.listMints().map((m) => m.url));
    const errors: { mintUrl: string; error: string }[] = [];
    for (const raw of new Set([...walletMints, ...contents.flatMap((c) => (c ? [c.content.mint] : []))])) {
      let url: string;
      try {
        url = cleanMintUrl(raw);
      } catch {
        continue;
      }
      if (known.has(url)) continue;
      try {
        await deps.ecash.addMint(url);
        known.add(url);
        mintsAdded.push(url);
      } catch (err) {
        errors.push({ mintUrl: url, error: toFlashError(err).code });
      }
    }
    const operations: EcashOperationView[] = [];
    let skipped = 0;
    for (const c of contents) {
      if (!c) continue;
      const url = cleanMintUrl(c.content.mint);
      if (!known.has(url)) continue;
      // Proofs already in this wallet stay as they are: claiming them again would spend them.
      const fresh = c.content.proofs.filter((p) => !deps.ecash.knowsProof(p.secret));
      skipped += c.content.proofs.length - fresh.length;
      if (fresh.length === 0) continue;
      const counterparty = `nip60:${c.id}`;
      if (lastOp(counterparty)?.state === 'claimed') continue;
      try {
        operations.push(await deps.ecash.receive(encodeToken(url, c.content.unit, fresh), { counterparty }));
      } catch (err) {
        const e = toFlashError(err);
        // Spent since the backup: nothing to restore from this event.
        if (e.code !== 'ECASH_ALREADY_SPENT') errors.push({ mintUrl: url, error: e.code });
      }
    }
    return { mintsAdded, operations, alreadyHeld: skipped, errors };
  }

  /**
   * Once the user has a NIP-60 backup (made or restored here, or found on the relays), it is
   * kept current: a balance change republishes it a little later, older token events deleted.
   * The debounce lets a burst (a melt and its change, a restore's claims) make one backup.
   */
  let keepBackupCurrent = false;
  /** A change came while an update could not run (vault locked): it runs on the unlock. */
  let backupOwed = false;
  let backupTimer: NodeJS.Timeout | null = null;
  let backupChain: Promise<unknown> = Promise.resolve();
  /** One backup or restore at a time: two interleaved would delete each other's events. */
  function serialBackup<T>(run: () => Promise<T>): Promise<T> {
    const next = backupChain.then(run, run);
    backupChain = next.catch(() => undefined);
    return next;
  }
  function cancelBackupSoon(): void {
    if (backupTimer) clearTimeout(backupTimer);
    backupTimer = null;
  }
  function backupSoon(): void {
    if (!keepBackupCurrent || stopped) return;
    if (!deps.ecash.unlocked()) {
      backupOwed = true;
      return;
    }
    cancelBackupSoon();
    backupTimer = setTimeout(() => {
      backupTimer = null;
      void serialBackup(updateBackup).catch((err: unknown) => {
        // Retried on the next change; only the code is logged, never proofs or keys.
        backupOwed = true;
        deps.log.warn('ecash: NIP-60 backup not brought up to date', { code: toFlashError(err).code });
      });
    }, deps.backupDebounceMs ?? 20_000);
    backupTimer.unref?.();
  }
  /** Publishes the backup again when what the wallet holds differs from what the relays hold. */
  async function updateBackup(): Promise<void> {
    if (stopped || !keepBackupCurrent) return;
    if (!deps.ecash.unlocked()) {
      backupOwed = true;
      return;
    }
    backupOwed = false;
    const mints = deps.ecash.listMints().map((m) => m.url);
    if (walletFingerprint(mints, deps.ecash.heldProofs()) === publishedFingerprint) return;
    await backupNow();
  }
  /**
   * A backup of this wallet already on the user's relays (made by an earlier run) is kept
   * current. One whose wallet event names another P2PK key belongs to another wallet on the same
   * NOSTR key (say a lost device's): replacing it by itself could lose that money, so it waits
   * for the user to restore it or back up by hand.
   */
  async function noticeExistingBackup(): Promise<void> {
    if (keepBackupCurrent || !deps.ecash.unlocked()) return;
    const found = await ownWalletEvents();
    if (!found.wallet) return;
    const { privkey } = readWalletContent(deps.nostr.decryptFromSelf(found.wallet.content));
    if (privkey === deps.ecash.p2pkPrivateKeyHex()) keepBackupCurrent = true;
  }

  const service = {
    // ── chat ─────────────────────────────────────────────────────────────────────────────
    /** A token to a contact as a NIP-17 DM; locked to their NIP-61 key when asked. */
    async sendInChat(input: {
      to: string;
      mintUrl?: string;
      unit: string;
      amount: number;
      memo?: string;
      lockToContact?: boolean;
    }): Promise<{ sent: EcashSentToken; messageId: string; relaysOk: number }> {
      const to = parsePubkey(input.to);
      let lockTo: string | null = null;
      let accepted: string[] | null = null;
      if (input.lockToContact) {
        const info = await nutzapInfoOf(to);
        if (!info)
          throw new FlashError(
            'ECASH_NUTZAP_NOT_ACCEPTED',
            'This contact has not published an eCash key (NIP-61) to lock the token to.',
          );
        lockTo = info.p2pk;
        accepted = info.mints.filter((m) => m.units.includes(input.unit)).map((m) => m.url);
      }
      const mintUrl = pickMint(accepted, input.unit, input.amount, input.mintUrl);
      const sent = await deps.ecash.send({
        mintUrl,
        unit: input.unit,
        amount: input.amount,
        ...(input.memo ? { memo: input.memo } : {}),
        ...(lockTo ? { lock: { to: lockTo } } : {}),
        counterparty: `chat-to:${to}`,
      });
      const text = input.memo ? `${input.memo}\n\n${sent.token}` : sent.token;
      const res = await deps.nostr.sendMessage({ to: [to], text });
      return {
        sent,
        messageId: res.message.id,
        relaysOk: res.message.delivery?.relaysOk ?? 0,
      };
    },

    /** The pay cards of one conversation: every token, request and payload, with its state. */
    chatPayments(conversationId: string, limit = 200): EcashChatPaymentView[] {
      const out: EcashChatPaymentView[] = [];
      for (const m of deps.nostr.getMessages({ conversationId, limit })) {
        for (const found of findChatPayments(m.text)) {
          const base = { messageId: m.id, direction: m.direction, kind: found.kind, text: found.text };
          try {
            if (found.kind === 'request') {
              const v = requestView(parseRequest(found.text));
              const paid = v.id ? lastOp(`creq-pay:${v.id}`) : null;
              out.push({
                ...base,
                amount: v.amount,
                unit: v.unit,
                mintUrl: v.mints[0] ?? null,
                operation: paid,
                error: null,
              });
              continue;
            }
            const token =
              found.kind === 'token'
                ? deps.ecash.decodeToken(found.text)
                : (() => {
                    const p = decodePayload(found.text);
                    return {
                      amount: p.proofs.reduce((s, x) => s + toPlain(x).amount, 0),
                      unit: p.unit,
                      mintUrl: p.mint,
                    };
                  })();
            const op =
              found.kind === 'token'
                ? lastOp(`chat:${m.id}`)
                : (deps.ecash.operationsFor('creq:').find((o) => o.counterparty?.endsWith(`:${m.id}`)) ??
                  null);
            out.push({
              ...base,
              amount: token.amount,
              unit: token.unit,
              mintUrl: token.mintUrl,
              operation: op,
              error: null,
            });
          } catch (err) {
            out.push({
              ...base,
              amount: null,
              unit: null,
              mintUrl: null,
              operation: null,
              error: toFlashError(err).code,
            });
          }
        }
      }
      return out;
    },

    /** "Claim" on a token in a chat: the wallet's journaled receive, once per message. */
    async claimChatToken(input: { conversationId: string; messageId: string }): Promise<EcashOperationView> {
      const m = findMessage(input.conversationId, input.messageId);
      const found = findChatPayments(m.text).find((f) => f.kind === 'token' || f.kind === 'payload');
      if (!found) throw new FlashError('ECASH_TOKEN_INVALID', 'This message carries no eCash token.');
      const op = await once(`msg:${m.id}`, async () => {
        if (found.kind === 'payload') return claimPayload(m, found.text);
        const counterparty = `chat:${m.id}`;
        const done = lastOp(counterparty);
        if (done && done.state !== 'failed') return done;
        return deps.ecash.receive(found.text, { counterparty });
      });
      if (!op) throw new FlashError('ECASH_TOKEN_INVALID', 'This message carries no eCash token.');
      return op;
    },

    // ── NUT-18 ───────────────────────────────────────────────────────────────────────────
    createPaymentRequest(input: {
      amount?: number;
      unit: string;
      mints?: string[];
      description?: string;
      transport: 'nostr' | 'post';
      postUrl?: string;
      lock?: boolean;
    }): { id: string; request: string } {
      const id = randomBytes(8).toString('hex');
      const mints = (input.mints ?? deps.ecash.listMints().map((m) => m.url)).map(cleanMintUrl);
      let transport: Parameters<typeof createRequest>[0]['transport'];
      if (input.transport === 'post') {
        if (!input.postUrl || !/^https?:\/\//i.test(input.postUrl))
          throw new FlashError('BAD_INPUT', 'A POST request needs an http(s) URL that receives the payment.');
        transport = { type: 'post', url: input.postUrl };
      } else {
        transport = { type: 'nostr', pubkey: me(), relays: readRelays().slice(0, 3) };
      }
      const request = createRequest({
        id,
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
        unit: input.unit,
        mints,
        ...(input.description ? { description: input.description } : {}),
        transport,
        ...(input.lock ? { lockTo: deps.ecash.p2pkPublicKey() } : {}),
      });
      return { id, request };
    },

    decodePaymentRequest(text: string): EcashPaymentRequestView {
      const v = requestView(parseRequest(text));
      const unit = v.unit ?? 'sat';
      const payable = deps.ecash
        .balances()
        .filter(
          (b) => b.unit === unit && (v.mints.length === 0 || !v.strictMints || v.mints.includes(b.mintUrl)),
        )
        .filter((b) => v.amount === null || b.spendable >= v.amount)
        .map((b) => b.mintUrl);
      return { ...v, payableFrom: payable, paid: v.id ? lastOp(`creq-pay:${v.id}`) : null };
    },

    /** Pays a request: a journaled token (locked as asked), then its payload over the transport. */
    async payPaymentRequest(input: {
      request: string;
      mintUrl?: string;
      amount?: number;
    }): Promise<{ operation: EcashOperationView; transport: 'nostr' | 'post'; delivered: boolean }> {
      const req = parseRequest(input.request);
      const v = requestView(req);
      const amount = v.amount ?? input.amount;
      if (!amount) throw new FlashError('BAD_INPUT', 'This request names no amount: enter one.');
      if (v.amount !== null && input.amount !== undefined && input.amount !== v.amount)
        throw new FlashError('BAD_INPUT', 'This request is for a set amount.');
      const unit = v.unit ?? 'sat';
      const transport =
        v.transports.find((t) => t.type === 'nostr') ?? v.transports.find((t) => t.type === 'post');
      if (!transport)
        throw new FlashError(
          'ECASH_REQUEST_INVALID',
          'This request gives no way (NOSTR or POST) to send the payment.',
        );
      if (v.id && v.singleUse) {
        const paid = lastOp(`creq-pay:${v.id}`);
        if (paid && paid.state !== 'reclaimed' && paid.state !== 'cancelled')
          throw new FlashError('ECASH_REQUEST_INVALID', 'This request was already paid.', {
            operationId: paid.id,
          });
      }
      const accepted = v.mints.length > 0 && v.strictMints ? v.mints.map(cleanMintUrl) : null;
      const mintUrl = pickMint(accepted, unit, amount, input.mintUrl);
      const sent = await deps.ecash.send({
        mintUrl,
        unit,
        amount,
        ...(v.lockTo ? { lock: { to: v.lockTo } } : {}),
        counterparty: `creq-pay:${v.id ?? '-'}`,
      });
      const proofs = getDecodedToken(sent.token, keysetIds()).proofs;
      const payload = encodePayload(req, mintUrl, proofs);
      if (transport.type === 'nostr') {
        const target = nostrTarget(transport.target);
        const res = await deps.nostr.sendMessage({ to: [target.pubkey], text: payload });
        return {
          operation: sent.operation,
          transport: 'nostr',
          delivered: (res.message.delivery?.relaysOk ?? 0) > 0,
        };
      }
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), POST_TIMEOUT_MS);
      try {
        const res = await doFetch(transport.target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: payload,
          signal: ctl.signal,
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return { operation: sent.operation, transport: 'post', delivered: true };
      } catch (err) {
        throw new FlashError(
          'ECASH_DELIVERY_FAILED',
          'The payee’s server did not take the payment. The token stays pending: take it back or try again.',
          {
            operationId: sent.operation.id,
            reason: err instanceof Error ? err.message.slice(0, 120) : 'failed',
          },
        );
      } finally {
        clearTimeout(timer);
      }
    },

    /** What a request of ours received: the claims of payloads sent for it. */
    paymentRequestPayments(id: string): EcashOperationView[] {
      return deps.ecash.operationsFor(`creq:${id}:`);
    },

    // ── NIP-61 ───────────────────────────────────────────────────────────────────────────
    nutzapInfo: async (pubkey?: string): Promise<EcashNutzapInfoView | null> =>
      infoView(await nutzapInfoOf(pubkey ? parsePubkey(pubkey) : me())),

    /** Publishes our kind 10019: where and at which mints we take nutzaps, and our P2PK key. */
    async publishNutzapInfo(input: { mints?: string[] } = {}): Promise<{
      info: EcashNutzapInfoView;
      results: NostrPublishResult[];
    }> {
      const self = me();
      const held = deps.ecash.listMints();
      const urls = (input.mints ?? held.map((m) => m.url)).map(cleanMintUrl);
      const mints = urls.map((url) => {
        const rec = held.find((m) => m.url === url);
        if (!rec)
          throw new FlashError(
            'ECASH_MINT_NOT_FOUND',
            'Add this mint to the wallet before taking nutzaps there.',
            {
              mint: url,
            },
          );
        return { url, units: rec.units.length > 0 ? rec.units : ['sat'] };
      });
      if (mints.length === 0) throw new FlashError('ECASH_MINT_NOT_FOUND', 'Add a mint first.');
      const relays = readRelays();
      const p2pk = deps.ecash.p2pkPublicKey();
      const event = deps.nostr.signEvent(nutzapInfoTemplate({ relays, mints, p2pk }, nowSec()));
      const results = await publish(event, writeRelays());
      watchNutzaps();
      return { info: { pubkey: self, relays, mints, p2pk, createdAt: event.created_at }, results };
    },

    /** A nutzap: a token locked to the recipient's NIP-61 key, published as kind 9321. */
    async nutzap(input: {
      to: string;
      amount: number;
      unit: string;
      mintUrl?: string;
      comment?: string;
      zapped?: { id: string; kind: number };
    }): Promise<{ operation: EcashOperationView; eventId: string; results: NostrPublishResult[] }> {
      const to = parsePubkey(input.to);
      const info = await nutzapInfoOf(to);
      if (!info)
        throw new FlashError(
          'ECASH_NUTZAP_NOT_ACCEPTED',
          'This person has not published where to receive nutzaps.',
        );
      const accepted = info.mints.filter((m) => m.units.includes(input.unit)).map((m) => m.url);
      const mintUrl = pickMint(accepted, input.unit, input.amount, input.mintUrl);
      const sent = await deps.ecash.send({
        mintUrl,
        unit: input.unit,
        amount: input.amount,
        lock: { to: info.p2pk },
        counterparty: `nutzap-to:${to}`,
      });
      const proofs: PlainProof[] = getDecodedToken(sent.token, keysetIds()).proofs.map(toPlain);
      const event = deps.nostr.signEvent(
        nutzapTemplate(
          {
            recipient: to,
            mintUrl,
            unit: input.unit,
            proofs,
            comment: input.comment ?? '',
            ...(input.zapped ? { zapped: input.zapped } : {}),
          },
          nowSec(),
        ),
      );
      const relays = info.relays.length > 0 ? info.relays.slice(0, 8) : readRelays();
      const results = await publish(event, relays);
      if (!results.some((r) => r.ok))
        throw new FlashError(
          'ECASH_DELIVERY_FAILED',
          'No relay of the recipient took the nutzap. The token stays pending: take it back or try again.',
          { operationId: sent.operation.id },
        );
      return { operation: sent.operation, eventId: event.id, results };
    },

    /** Looks for nutzaps to us on our relays and claims the new ones (also done live). */
    async checkNutzaps(): Promise<EcashOperationView[]> {
      const self = me();
      const relays = readRelays();
      const events = await pool().query(
        [{ kinds: [KIND_NUTZAP], '#p': [self], limit: 500 }],
        relays,
        timeout,
      );
      // Nutzaps another client of ours already redeemed (its kind 7376) are not claimed again.
      const records = await pool().query(
        [{ kinds: [KIND_HISTORY], authors: [self], limit: 500 }],
        relays,
        timeout,
      );
      const redeemed = new Set(
        records.flatMap((e) =>
          e.tags.filter((t) => t[0] === 'e' && t[3] === 'redeemed').map((t) => t[1] as string),
        ),
      );
      const out: EcashOperationView[] = [];
      for (const e of events) {
        if (redeemed.has(e.id) && !lastOp(`nutzap:${e.id}`)) continue;
        const op = await once(`nutzap:${e.id}`, () => claimNutzap(e, relays[0] ?? '')).catch(
          (err: unknown) => {
            deps.log.warn('ecash: nutzap claim failed', { code: toFlashError(err).code });
            return null;
          },
        );
        if (op) out.push(op);
      }
      return out;
    },

    // ── NIP-60 ───────────────────────────────────────────────────────────────────────────
    /** Publishes the wallet (17375) and its unspent proofs (7375) encrypted to ourselves. */
    backupWallet(): Promise<EcashBackupReport> {
      return serialBackup(backupNow);
    },
    /** Reads the NIP-60 wallet back: adds its mints, claims every proof the mints call unspent. */
    restoreWallet(): Promise<EcashWalletRestoreReport> {
      return serialBackup(restoreNow);
    },
    start(): void {
      stopped = false;
      stops.push(deps.bus.on('nostr.message', ({ message }) => onMessage(message)));
      // Locked at start (the usual case), messages and nutzaps wait for the unlock.
      stops.push(
        deps.bus.on('vault.status', (status) => {
          if (status.state === 'unlocked') {
            catchUp();
            if (backupOwed) backupSoon();
          } else if (backupTimer) {
            // Locked with an update waiting: it runs once the vault opens again.
            cancelBackupSoon();
            backupOwed = true;
          }
        }),
      );
      // Every finished mint, melt, send, receive or swap (and a NUT-09 restore) says so here.
      stops.push(deps.bus.on('ecash.balance', () => backupSoon()));
      // A mint added or removed changes the wallet event (17375).
      stops.push(deps.bus.on('ecash.mint', () => backupSoon()));
      const p = deps.nostr.relayPool();
      if (p) stops.push(p.onEvent((event, url) => onNutzap(event, url)));
      try {
        watchNutzaps();
      } catch {
        // no identity yet: watched once 10019 is published
      }
      catchUp();
    },
    stop(): void {
      stopped = true;
      cancelBackupSoon();
      for (const s of stops.splice(0)) s();
      deps.nostr.relayPool()?.unsubscribe(NUTZAP_SUB);
    },
  };
  return service;
}

function decodeNpub(text: string): string | null {
  if (!text.startsWith('npub1')) return null;
  try {
    const d = nip19.decode(text);
    return d.type === 'npub' ? d.data : null;
  } catch {
    return null;
  }
}

export type EcashSocialService = ReturnType<typeof createEcashSocialService>;
