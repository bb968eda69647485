import crypto from 'node:crypto';
import { FlashError } from '../../shared/errors';
import type { CardChannel } from './boltcard/card-ops';
import {
  isBlank,
  programBoltcard,
  readNdefUri,
  readUid,
  rekeyBoltcard,
  wipeBoltcard,
} from './boltcard/card-ops';
import type { BoltcardKeys } from './boltcard/ntag424-crypto';
import { bytesToHex, extractPc, hexToBytes } from './boltcard/ntag424-crypto';
import { Ntag424Error } from './boltcard/ntag424-ev2';
import { pullPaymentSats, satsToBtc } from './btc-amounts';
import type { Greenfield } from './greenfield/client';
import { call } from './greenfield/client';
import type { NfcReaders } from './nfc/readers';
import type { MerchantRepository } from './repository';
import { cardRewardName, cardRewardOfName } from './rewards/claims';

/**
 * Flash Cards at the counter: Bolt cards (NTAG 424 DNA) on a desktop NFC reader, backed by
 * BTCPay pull payments. A tap pays a sale through BTCPay's own `/boltcard` LNURL-withdraw (so
 * BTCPay checks p/c and refuses a replayed counter); programming asks BTCPay for the card's keys
 * (its deterministic scheme, registered on the card's pull payment) and writes them to the card.
 */

export interface CardStatus {
  /** Null when readers can be used; otherwise why not, in words. */
  problem: string | null;
  readers: string[];
  cardPresent: boolean;
}

export interface ProgrammedCard {
  uid: string;
  pullPaymentId: string;
  balanceSats: number;
}

export interface ToppedUpCard extends ProgrammedCard {
  previousPullPaymentId: string;
}

/** A top-up written to the journal before BTCPay is asked for the new pull payment. */
interface TopUpJournal {
  op: 'topUp';
  from: string;
  to: string | null;
  sats: number;
  /** A sale's reward paid onto the card: the sale's invoice id (the new pull payment names it too). */
  reward?: string;
}

/** What became of a sale's reward top-up on one card, from the card journal. */
export type RewardTopUpState = (
  { state: 'done'; pullPaymentId: string } | { state: 'open' } | { state: 'none' }
) & {
  /** New pull payments of tries put back as they were (archived, never the card's balance). */
  undone: string[];
};

export interface FlashCardsDeps {
  repo: MerchantRepository;
  /** Opens the readers on first use (loads the PC/SC library lazily); may throw a FlashError. */
  openReaders: () => NfcReaders;
  fetch: typeof fetch;
  timeoutMs: number;
}

/** Marks a card's pull payment, so any counter of the store can find it by the card. */
const CARD_TAG = 'flash-card uid-sha256:';
export const cardTag = (uid: Uint8Array): string =>
  `${CARD_TAG}${crypto.createHash('sha256').update(uid).digest('hex').slice(0, 24)}`;

interface WithdrawRequest {
  tag: string;
  callback: string;
  k1: string;
  minWithdrawable: number;
  maxWithdrawable: number;
}

function cardError(err: unknown): FlashError {
  if (err instanceof FlashError) return err;
  if (err instanceof Ntag424Error) {
    // The NDEF application or file is missing: some other kind of card.
    if (err.status === 0x6a82)
      return new FlashError('MERCHANT_CARD_UNKNOWN', 'Not a Flash Card.', {
        reason: 'it has no NDEF application',
      });
    return new FlashError('MERCHANT_CARD_FAILED', err.message);
  }
  return new FlashError('MERCHANT_CARD_FAILED', err instanceof Error ? err.message : String(err));
}

export function createFlashCards(deps: FlashCardsDeps) {
  let readers: NfcReaders | null = null;
  let readersProblem: string | null = null;
  const listeners = new Set<() => void>();

  function open(): NfcReaders {
    if (readers) return readers;
    readers = deps.openReaders();
    readers.onChange(() => {
      for (const l of listeners) l();
    });
    return readers;
  }

  function cardOnReader(): { reader: string; channel: CardChannel } {
    const r = open();
    if (r.readers().length === 0) throw new FlashError('MERCHANT_NO_READER', 'No NFC reader is connected.');
    const card = r.card();
    if (!card) throw new FlashError('MERCHANT_NO_CARD', 'No card on the reader.');
    return card;
  }

  async function getJson(url: string): Promise<unknown> {
    const ctrl = AbortSignal.timeout(deps.timeoutMs);
    let res: Response;
    try {
      res = await deps.fetch(url, { signal: ctrl, headers: { accept: 'application/json' } });
    } catch (err) {
      throw new FlashError(
        err instanceof Error && err.name === 'TimeoutError' ? 'MERCHANT_TIMEOUT' : 'MERCHANT_UNREACHABLE',
        'The card’s server did not answer.',
      );
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new FlashError('MERCHANT_BAD_RESPONSE', `The card’s server answered ${res.status} without JSON.`);
    }
    const b = body as { status?: unknown; reason?: unknown };
    if (b && b.status === 'ERROR') {
      const reason = typeof b.reason === 'string' ? b.reason : 'unknown';
      // BTCPay's words for a counter that did not go up (UIBoltcardController).
      if (/replayed or expired/i.test(reason))
        throw new FlashError('MERCHANT_CARD_REPLAYED', 'This tap was already used.', { reason });
      throw new FlashError('MERCHANT_REFUSED', reason, { reason: reason.slice(0, 200) });
    }
    if (!res.ok) throw new FlashError('MERCHANT_SERVER_ERROR', `The card’s server answered ${res.status}.`);
    return body;
  }

  /**
   * Where a card URL is fetched: `lnurlw://` means HTTPS (LUD-17), but a card of this store is
   * asked at the store's own server address (which on a local stack is plain HTTP).
   */
  function httpUrl(lnurlw: string, serverUrl: string): string {
    const rest = lnurlw.replace(/^lnurlw:\/\//i, '');
    const server = new URL(serverUrl);
    const host = rest.split(/[/?#]/)[0] ?? '';
    if (host.toLowerCase() === server.host.toLowerCase()) return `${server.protocol}//${rest}`;
    return `${host.endsWith('.onion') ? 'http' : 'https'}://${rest}`;
  }

  async function readTap(serverUrl: string): Promise<{ url: string; request: WithdrawRequest }> {
    const { channel } = cardOnReader();
    let uri: string | null;
    try {
      uri = await readNdefUri(channel);
    } catch (err) {
      throw cardError(err);
    }
    if (!uri || !/^lnurlw:\/\//i.test(uri))
      throw new FlashError('MERCHANT_CARD_UNKNOWN', 'Not a Flash Card.', {
        reason: 'it carries no lnurlw:// link',
      });
    if (!extractPc(uri))
      throw new FlashError('MERCHANT_CARD_UNKNOWN', 'Not a Flash Card.', {
        reason: 'its link has no p and c',
      });
    const url = httpUrl(uri, serverUrl);
    const body = (await getJson(url)) as Partial<WithdrawRequest>;
    if (
      body.tag !== 'withdrawRequest' ||
      typeof body.callback !== 'string' ||
      typeof body.k1 !== 'string' ||
      typeof body.maxWithdrawable !== 'number' ||
      typeof body.minWithdrawable !== 'number'
    )
      throw new FlashError('MERCHANT_BAD_RESPONSE', 'The card’s server sent no withdraw request.');
    return { url, request: body as WithdrawRequest };
  }

  async function cardKeys(
    gf: Greenfield,
    pullPaymentId: string,
    uid: Uint8Array,
    onExisting: 'UpdateVersion' | 'KeepVersion',
  ): Promise<{ keys: BoltcardKeys; version: number; lnurlw: string }> {
    const reg = await call('register the card with BTCPay', () =>
      gf.POST('/api/v1/pull-payments/{pullPaymentId}/boltcards', {
        params: { path: { pullPaymentId } },
        body: { UID: bytesToHex(uid), onExisting },
      }),
    );
    const k = (v: string | undefined) => {
      if (!v || !/^[0-9a-fA-F]{32}$/.test(v))
        throw new FlashError('MERCHANT_BAD_RESPONSE', 'BTCPay sent no card keys.');
      return hexToBytes(v);
    };
    return {
      keys: { k0: k(reg.K0), k1: k(reg.K1), k2: k(reg.K2), k3: k(reg.K3), k4: k(reg.K4) },
      version: typeof reg.version === 'number' ? reg.version : 0,
      lnurlw: reg.LNURLW ?? '',
    };
  }

  /** A card's pull payment: BTC over Lightning, auto-approved (a tap pays at once), tagged with the card. */
  function cardPullPaymentBody(uid: Uint8Array, sats: number, rewardOf?: string, rewardSats?: number) {
    return {
      // A reward's top-up names its sale, so the pull payment made can be found after a crash.
      name: rewardOf ? cardRewardName(rewardOf, rewardSats ?? 0) : 'Flash Card',
      description: cardTag(uid),
      amount: satsToBtc(sats),
      currency: 'BTC',
      autoApproveClaims: true,
      payoutMethods: ['BTC-LN'],
    };
  }

  /** What is left on a pull payment: its limit less every payout not cancelled (paid or on its way). */
  async function remainingSats(gf: Greenfield, pullPaymentId: string): Promise<number> {
    const [pp, payouts] = await Promise.all([
      call('read the card’s pull payment', () =>
        gf.GET('/api/v1/pull-payments/{pullPaymentId}', { params: { path: { pullPaymentId } } }),
      ),
      call('read the card’s payouts', () =>
        gf.GET('/api/v1/pull-payments/{pullPaymentId}/payouts', { params: { path: { pullPaymentId } } }),
      ),
    ]);
    const limit = pullPaymentSats(pp.amount, pp.currency);
    if (limit === null)
      throw new FlashError('MERCHANT_BAD_RESPONSE', 'The card’s pull payment is not in BTC or sats.');
    const used = payouts
      .filter((p) => p.state !== 'Cancelled')
      .reduce((sum, p) => sum + (pullPaymentSats(p.originalAmount, pp.currency) ?? 0), 0);
    return Math.max(0, limit - used);
  }

  async function archive(gf: Greenfield, pullPaymentId: string): Promise<void> {
    await call('archive the card’s old pull payment', () =>
      gf.DELETE('/api/v1/pull-payments/{pullPaymentId}', { params: { path: { pullPaymentId } } }),
    );
  }

  /**
   * Finishes a top-up the card left half-way (it was lifted while its keys changed): the card is
   * linked to the new pull payment, its keys moved there from any mix of old and new, and the old
   * pull payment archived.
   */
  async function finishTopUp(
    gf: Greenfield,
    channel: CardChannel,
    uid: Uint8Array,
    row: { id: number; payload: TopUpJournal },
  ): Promise<ToppedUpCard> {
    const { from, to } = row.payload;
    if (!to) throw new FlashError('MERCHANT_CARD_FAILED', 'The unfinished top-up has no new pull payment.');
    const old = await cardKeys(gf, from, uid, 'KeepVersion');
    const next = await cardKeys(gf, to, uid, 'KeepVersion');
    await rekeyBoltcard(channel, old.keys, next.keys, next.version).catch((err: unknown) => {
      throw cardError(err);
    });
    await archive(gf, from);
    deps.repo.journalDone(row.id, to);
    return {
      uid: bytesToHex(uid),
      pullPaymentId: to,
      previousPullPaymentId: from,
      balanceSats: await remainingSats(gf, to),
    };
  }

  async function findCardPullPayment(gf: Greenfield, storeId: string, uid: Uint8Array): Promise<string> {
    const all = await call('list the store’s pull payments', () =>
      gf.GET('/api/v1/stores/{storeId}/pull-payments', { params: { path: { storeId } } }),
    );
    const tag = cardTag(uid);
    const found = all.find((p) => p.description === tag && !p.archived);
    if (!found?.id)
      throw new FlashError('MERCHANT_CARD_UNKNOWN', 'Not a card of this store.', {
        reason: 'this store has no pull payment for it',
      });
    return found.id;
  }

  function topUpRows(uidHex: string) {
    return deps.repo
      .journalFor('card', uidHex)
      .map((r) => ({ ...r, payload: JSON.parse(r.payload) as TopUpJournal | { op?: undefined } }))
      .filter((r): r is typeof r & { payload: TopUpJournal } => r.payload.op === 'topUp');
  }

  function rewardTopUp(uidHex: string, invoiceId: string): RewardTopUpState {
    const rows = topUpRows(uidHex).filter((r) => r.payload.reward === invoiceId);
    const undone = rows.flatMap((r) => (r.state === 'failed' && r.payload.to ? [r.payload.to] : []));
    const done = rows.find((r) => r.state === 'done');
    if (done) return { state: 'done', pullPaymentId: done.resultId ?? done.payload.to ?? '', undone };
    return { state: rows.some((r) => r.state === 'sent') ? 'open' : 'none', undone };
  }

  /**
   * A reward top-up stopped between asking BTCPay for the new pull payment and hearing back: the
   * pull payment, if BTCPay made it, is found by the name that carries its sale.
   */
  async function adoptRewardPullPayment(
    gf: Greenfield,
    storeId: string,
    uid: Uint8Array,
    row: { id: number; payload: TopUpJournal },
  ): Promise<{ id: number; payload: TopUpJournal } | null> {
    const reward = row.payload.reward ?? '';
    const all = await call('list the store’s pull payments', () =>
      gf.GET('/api/v1/stores/{storeId}/pull-payments', { params: { path: { storeId } } }),
    );
    const made = all.find(
      (p) =>
        p.description === cardTag(uid) &&
        cardRewardOfName(p.name)?.invoiceId === reward &&
        !p.archived &&
        p.id,
    );
    if (!made?.id) {
      deps.repo.journalFailed(row.id, 'BTCPay never made the new pull payment');
      return null;
    }
    const payload = { ...row.payload, to: made.id };
    deps.repo.journalUpdate(row.id, payload);
    return { id: row.id, payload };
  }

  return {
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    status(): CardStatus {
      try {
        const r = open();
        readersProblem = null;
        return { problem: null, readers: r.readers(), cardPresent: r.card() !== null };
      } catch (err) {
        readersProblem =
          err instanceof FlashError ? String(err.details?.['reason'] ?? err.message) : String(err);
        return { problem: readersProblem, readers: [], cardPresent: false };
      }
    },

    /** The balance a tap of the card offers (reading does not use up the tap at BTCPay). */
    /** The UID of the card on the reader (hex), read without touching its keys or BTCPay. */
    async readCardUid(): Promise<string> {
      const { channel } = cardOnReader();
      return bytesToHex(
        await readUid(channel).catch((err: unknown) => {
          throw cardError(err);
        }),
      );
    },

    rewardTopUp,

    /**
     * The store's pull payments made by a sale's reward top-up, archived ones too (a later top-up
     * of the card archives them): found whichever counter of the store gave the reward.
     */
    async rewardPullPayments(
      gf: Greenfield,
      storeId: string,
      invoiceId: string,
    ): Promise<{ id: string; sats: number }[]> {
      const all = await call('list the store’s pull payments', () =>
        gf.GET('/api/v1/stores/{storeId}/pull-payments', {
          params: { path: { storeId }, query: { includeArchived: true } },
        }),
      );
      return all.flatMap((p) => {
        const of = cardRewardOfName(p.name);
        return p.id && of?.invoiceId === invoiceId && p.description?.startsWith(CARD_TAG)
          ? [{ id: p.id, sats: of.sats }]
          : [];
      });
    },

    async balance(serverUrl: string): Promise<number> {
      const { request } = await readTap(serverUrl);
      return Math.floor(request.maxWithdrawable / 1000);
    },

    /** Pays `bolt11` (a sale's Lightning invoice of `sats`) from the card on the reader. */
    async pay(input: { invoiceId: string; bolt11: string; sats: number; serverUrl: string }): Promise<void> {
      const { request } = await readTap(input.serverUrl);
      const needMsat = input.sats * 1000;
      if (request.maxWithdrawable < needMsat)
        throw new FlashError('MERCHANT_CARD_BALANCE_LOW', 'The card holds too little.', {
          balance: Math.floor(request.maxWithdrawable / 1000),
          needed: input.sats,
        });
      if (request.minWithdrawable > needMsat)
        throw new FlashError('MERCHANT_REFUSED', 'The card pays no less than its minimum.', {
          reason: `minimum ${Math.ceil(request.minWithdrawable / 1000)} sats`,
        });
      const sep = request.callback.includes('?') ? '&' : '?';
      const callback = `${request.callback}${sep}k1=${encodeURIComponent(request.k1)}&pr=${encodeURIComponent(input.bolt11)}`;
      // Journal first: the card's money may move even if the answer never reaches us.
      const journalId = deps.repo.journalStart('cardTap', input.invoiceId, { k1: request.k1 });
      try {
        await getJson(callback);
      } catch (err) {
        deps.repo.journalFailed(journalId, err instanceof Error ? err.message : String(err));
        throw err;
      }
      deps.repo.journalDone(journalId, input.invoiceId);
    },

    /** A blank card on the reader becomes a Flash Card holding `sats`, on a new pull payment. */
    async program(gf: Greenfield, storeId: string, sats: number): Promise<ProgrammedCard> {
      const { channel } = cardOnReader();
      let uid: Uint8Array;
      try {
        uid = await readUid(channel);
        if (!(await isBlank(channel)))
          throw new FlashError('MERCHANT_CARD_UNKNOWN', 'The card is not blank.', {
            reason: 'it already has keys; wipe it first',
          });
      } catch (err) {
        throw cardError(err);
      }
      const body = cardPullPaymentBody(uid, sats);
      const journalId = deps.repo.journalStart('card', bytesToHex(uid), body);
      let pullPaymentId: string;
      try {
        const pp = await call('create the card’s pull payment', () =>
          gf.POST('/api/v1/stores/{storeId}/pull-payments', { params: { path: { storeId } }, body }),
        );
        pullPaymentId = pp.id ?? '';
        const { keys, version, lnurlw } = await cardKeys(gf, pullPaymentId, uid, 'UpdateVersion');
        await programBoltcard(channel, lnurlw, keys, version).catch((err: unknown) => {
          throw cardError(err);
        });
      } catch (err) {
        deps.repo.journalFailed(journalId, err instanceof Error ? err.message : String(err));
        throw err;
      }
      deps.repo.journalDone(journalId, pullPaymentId);
      return { uid: bytesToHex(uid), pullPaymentId, balanceSats: sats };
    },

    /**
     * Back to a blank card, and its pull payment archived: what was left on it is no longer owed.
     * Refused while the card holds more than the `giveUpSats` the manager agreed to give up.
     */
    async wipe(
      gf: Greenfield,
      storeId: string,
      giveUpSats: number,
    ): Promise<{ uid: string; pullPaymentId: string; gaveUpSats: number }> {
      const { channel } = cardOnReader();
      const uid = await readUid(channel).catch((err: unknown) => {
        throw cardError(err);
      });
      const pullPaymentId = await findCardPullPayment(gf, storeId, uid);
      const left = await remainingSats(gf, pullPaymentId);
      if (left > giveUpSats)
        throw new FlashError('MERCHANT_CARD_HAS_BALANCE', 'The card still holds sats.', { balance: left });
      const { keys } = await cardKeys(gf, pullPaymentId, uid, 'KeepVersion');
      await wipeBoltcard(channel, keys).catch((err: unknown) => {
        throw cardError(err);
      });
      await call('archive the card’s pull payment', () =>
        gf.DELETE('/api/v1/pull-payments/{pullPaymentId}', { params: { path: { pullPaymentId } } }),
      );
      return { uid: bytesToHex(uid), pullPaymentId, gaveUpSats: left };
    },

    /**
     * Adds `sats` to the card on the reader. Greenfield cannot raise a pull payment's amount, so
     * the card moves to a new one holding what was left plus `sats`: BTCPay links the card to it
     * (KeepVersion: same version, keys derived from the new pull payment), the card gets those
     * keys, and the old pull payment is archived. Journaled before BTCPay is asked; a card lifted
     * half-way is put back on the same pull payment if it can be, else finished on the next try.
     * With `rewardOf` (a sale's invoice id) it is that sale's reward: done at most once per sale,
     * whatever the taps or crashes, and a top-up the card left unfinished is completed first.
     */
    async topUp(gf: Greenfield, storeId: string, sats: number, rewardOf?: string): Promise<ToppedUpCard> {
      const { channel } = cardOnReader();
      const uid = await readUid(channel).catch((err: unknown) => {
        throw cardError(err);
      });
      const uidHex = bytesToHex(uid);
      const open = topUpRows(uidHex).filter((r) => r.state === 'sent');
      if (rewardOf) {
        const earlier = rewardTopUp(uidHex, rewardOf);
        if (earlier.state === 'done') {
          const pullPaymentId = earlier.pullPaymentId;
          return {
            uid: uidHex,
            pullPaymentId,
            previousPullPaymentId:
              topUpRows(uidHex).find((r) => r.resultId === pullPaymentId)?.payload.from ?? '',
            balanceSats: await remainingSats(gf, pullPaymentId),
          };
        }
        for (const row of open.filter((r) => r.payload.to === null && r.payload.reward === rewardOf)) {
          const adopted = await adoptRewardPullPayment(gf, storeId, uid, row);
          if (adopted) open.push({ ...row, payload: adopted.payload });
        }
      }
      const unfinished = open.find((r) => r.payload.to !== null);
      if (unfinished) {
        const finished = await finishTopUp(gf, channel, uid, unfinished);
        // A manual top-up ends there (it was that one); a reward still owed goes on below.
        if (!rewardOf || unfinished.payload.reward === rewardOf) return finished;
      }

      const from = await findCardPullPayment(gf, storeId, uid);
      const old = await cardKeys(gf, from, uid, 'KeepVersion');
      const left = await remainingSats(gf, from);
      const total = left + sats;
      const entry: TopUpJournal = {
        op: 'topUp',
        from,
        to: null,
        sats: total,
        ...(rewardOf ? { reward: rewardOf } : {}),
      };
      const journalId = deps.repo.journalStart('card', uidHex, entry);
      let to: string;
      try {
        const pp = await call('create the card’s new pull payment', () =>
          gf.POST('/api/v1/stores/{storeId}/pull-payments', {
            params: { path: { storeId } },
            body: cardPullPaymentBody(uid, total, rewardOf, sats),
          }),
        );
        to = pp.id ?? '';
      } catch (err) {
        // A reward's pull payment may have been made though no answer came: the next tap looks.
        const unanswered =
          err instanceof FlashError &&
          (err.code === 'MERCHANT_TIMEOUT' || err.code === 'MERCHANT_UNREACHABLE');
        if (!rewardOf || !unanswered)
          deps.repo.journalFailed(journalId, err instanceof Error ? err.message : String(err));
        throw err;
      }
      deps.repo.journalUpdate(journalId, { ...entry, to });
      const next = await cardKeys(gf, to, uid, 'KeepVersion');
      try {
        await rekeyBoltcard(channel, old.keys, next.keys, next.version);
      } catch (err) {
        // Back to where it was if the card is still there: old keys, old link, new one archived.
        try {
          await rekeyBoltcard(channel, next.keys, old.keys, old.version);
          await cardKeys(gf, from, uid, 'KeepVersion');
          await archive(gf, to);
          deps.repo.journalFailed(journalId, err instanceof Error ? err.message : String(err));
        } catch {
          throw new FlashError('MERCHANT_CARD_FAILED', 'The card left the reader during the top-up.', {
            reason: 'put it back on the reader and press Top up again to finish',
          });
        }
        throw cardError(err);
      }
      await archive(gf, from);
      deps.repo.journalDone(journalId, to);
      return { uid: uidHex, pullPaymentId: to, previousPullPaymentId: from, balanceSats: total };
    },

    close(): void {
      readers?.close();
      readers = null;
      listeners.clear();
    },
  };
}

export type FlashCards = ReturnType<typeof createFlashCards>;
