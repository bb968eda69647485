import { randomUUID } from 'node:crypto';
import type { MeltQuoteBolt11Response } from '@cashu/cashu-ts';
import { injectWebSocketImpl } from '@cashu/cashu-ts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import WebSocket from 'ws';
import type {
  EcashBalance,
  EcashKeysetBalance,
  EcashMeltPreview,
  EcashMintView,
  EcashOperationView,
  EcashRestoreReport,
  EcashSentToken,
  EcashTokenView,
  Network,
} from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import { parsePaymentInput } from '../../shared/lightning/parse';
import type { StoredWords } from '../bitcoin/wallet/stored-words';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { LnurlGet } from '../lightning/lnurl/http';
import { requestPayInvoice } from '../lightning/lnurl/pay';
import { resolveLnurl } from '../lightning/lnurl/resolve';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import type { OpContext } from './context';
import { createSqliteCounterSource } from './counters';
import { toFlashError } from './errors';
import type { MintRecord } from './mints';
import { cleanMintUrl, createMintRegistry } from './mints';
import type { MeltPart } from './ops/melt';
import { advanceMelt, selectMeltInputs, startMelt } from './ops/melt';
import { advanceMint, createMintQuote } from './ops/mint';
import { advanceMove, beginMove, meltForMove } from './ops/move';
import type { P2pkKeys } from './ops/receive';
import { checkToken, claim, lockOf, receiveToken } from './ops/receive';
import { checkSent, finishSendSwap, reclaim, resumeSendSwap, sendToken } from './ops/send';
import { inputsState, journalSwap, revertSwap, runSwap, settleSwap } from './ops/swap';
import type { PlainProof } from './proof-codec';
import { proofY, sats, toPlain, toProofs } from './proof-codec';
import { restoreMint } from './restore';
import { createSealer } from './sealing';
import { createSeedKeeper } from './seed';
import type { OpRow } from './store';
import { createEcashStore } from './store';
import { encodeToken, lockKeyFrom, tokenOutline, tokenQr } from './tokens';
import { mintView, operationView } from './views';

/**
 * The eCash wallet: several Cashu mints, proofs sealed in SQLite, every money-moving operation a
 * journaled state machine (main/ecash/ops/*), and start-up recovery of whatever a crash left
 * open. Talks to mints through cashu-ts 4 (keysets, outputs, DLEQ, NUT-13 secrets from the
 * Cashu seed with counters reserved in SQLite); pays and receives Lightning through the
 * Lightning service's default provider.
 */

// Node 20 has no global WebSocket; cashu-ts opens NUT-17 subscriptions with this one.
injectWebSocketImpl(WebSocket as unknown as typeof globalThis.WebSocket);

export interface EcashLightning {
  pay(input: { text: string; origin?: string }): Promise<{ state: string }>;
}

export interface EcashServiceDeps {
  db: Db;
  vault: VaultService;
  bus: EventBus;
  log: Logger;
  network(): Network;
  /** The active account's recovery words (the Cashu seed is derived from them, NUT-13). */
  words(): StoredWords;
  /** The Lightning service (its default provider pays mint quotes). */
  lightning?: EcashLightning;
  lnurlGet?: LnurlGet;
  now?: () => number;
  /** How often open operations, pending tokens and unreachable mints are looked at (ms). */
  recheckEveryMs?: number;
}

interface PreparedMelt {
  id: string;
  createdAt: number;
  parts: MeltPart[];
  invoice: string;
  amountSats: number;
  move: { to: string; mintLegId: string; moveId: string } | null;
}

const PREPARED_TTL_MS = 10 * 60_000;
/** Vault entry of the nutzap keys adopted from NIP-60 backups (see adoptP2pkKey). */
const ADOPTED_P2PK_KEYS = 'ecash.p2pk-adopted';

export function createEcashService(deps: EcashServiceDeps) {
  const now = deps.now ?? Date.now;
  const sealer = createSealer(deps.vault);
  const store = createEcashStore(deps.db, sealer, now);
  const counters = createSqliteCounterSource(deps.db);
  const seed = createSeedKeeper(deps.vault, { words: deps.words });
  const mints = createMintRegistry({
    db: deps.db,
    network: deps.network,
    counters,
    seed: () => seed.seed(),
    now,
    onChange: (url) => deps.bus.emit('ecash.mint', { mintUrl: url }),
  });
  const ctx: OpContext = {
    store,
    mints,
    seed,
    network: deps.network,
    bus: deps.bus,
    log: deps.log,
    now,
    changed(op) {
      deps.bus.emit('ecash.operation', operationView(op));
      deps.bus.emit('ecash.balance', { mintUrl: op.mintUrl, unit: op.unit });
    },
  };
  const prepared = new Map<string, PreparedMelt>();

  const p2pk = () => {
    const priv = seed.p2pkPrivateKey();
    return {
      privkey: Buffer.from(priv).toString('hex'),
      pubkey: Buffer.from(secp256k1.getPublicKey(priv, true)).toString('hex'),
    };
  };
  /** Keys adopted from a NIP-60 backup made under other words, 32 bytes each, in the vault. */
  const adoptedP2pk = (): Uint8Array[] => {
    if (!deps.vault.hasSecret(ADOPTED_P2PK_KEYS)) return [];
    const all = deps.vault.getSecret(ADOPTED_P2PK_KEYS);
    return Array.from({ length: Math.floor(all.length / 32) }, (_, i) => all.slice(i * 32, i * 32 + 32));
  };
  const p2pkKeys = (): P2pkKeys => {
    const own = p2pk();
    const adopted = adoptedP2pk();
    return {
      pubkeys: [
        own.pubkey,
        ...adopted.map((k) => Buffer.from(secp256k1.getPublicKey(k, true)).toString('hex')),
      ],
      privkeys: [own.privkey, ...adopted.map((k) => Buffer.from(k).toString('hex'))],
    };
  };

  function needMint(url: string): MintRecord {
    return mints.require(cleanMintUrl(url));
  }

  function balancesOf(url: string): EcashBalance[] {
    const held = store
      .balances(deps.network())
      .filter((b) => b.mintUrl === url)
      .map((b) => ({
        mintUrl: b.mintUrl,
        unit: b.unit,
        spendable: b.unspent,
        pending: b.reserved,
        incoming: incoming(b.mintUrl, b.unit),
      }));
    // A first token or mint quote on its way in, at a mint where nothing is held yet, shows too.
    const units = new Set(held.map((b) => b.unit));
    const arriving = [
      ...new Set(
        store
          .openOps(deps.network())
          .filter((o) => o.mintUrl === url)
          .map((o) => o.unit),
      ),
    ]
      .filter((unit) => !units.has(unit))
      .map((unit) => ({ mintUrl: url, unit, spendable: 0, pending: 0, incoming: incoming(url, unit) }))
      .filter((b) => b.incoming > 0);
    return [...held, ...arriving];
  }

  function incoming(url: string, unit: string): number {
    return store
      .openOps(deps.network())
      .filter(
        (o) =>
          (o.kind === 'receive' || (o.kind === 'mint' && o.state !== 'unpaid')) &&
          o.mintUrl === url &&
          o.unit === unit,
      )
      .reduce((s, o) => s + o.amount, 0);
  }

  // ── recovery ───────────────────────────────────────────────────────────────────────────────

  const running = new Map<string, Promise<OpRow>>();
  /** One step at a time per op: a websocket notice, the timer and a click never run one op twice. */
  function advance(op: OpRow): Promise<OpRow> {
    const busy = running.get(op.id);
    if (busy) return busy;
    const step = advanceStep(op).finally(() => running.delete(op.id));
    running.set(op.id, step);
    return step;
  }

  /** One step for one open op; failures leave it open for the next pass. */
  async function advanceStep(op: OpRow): Promise<OpRow> {
    switch (op.kind) {
      case 'mint':
        return op.parentId ? op : advanceMint(ctx, op);
      case 'melt':
        return op.parentId && store.op(op.parentId)?.kind === 'move' ? op : advanceMelt(ctx, op);
      case 'move':
        return advanceMove(ctx, op);
      case 'send':
        if (op.state === 'swapping') return resumeSendSwap(ctx, op);
        return checkSent(ctx, op);
      case 'receive':
        return claim(ctx, op, p2pkKeys().privkeys);
      case 'swap': {
        const parent = op.parentId ? store.op(op.parentId) : null;
        if (parent?.kind === 'receive') return op; // the receive drives its leg
        return resumeSwap(op, parent);
      }
    }
  }

  async function resumeSwap(op: OpRow, parent: OpRow | null): Promise<OpRow> {
    const wallet = mints.wallet(op.mintUrl, op.unit);
    const payload = store.payload<{
      preview: { inputs: { id: string; amount: string; secret: string; C: string }[] };
    }>(op.id);
    const state = await inputsState(
      wallet,
      payload.preview.inputs.map((p) => ({ id: p.id, amount: sats(p.amount), secret: p.secret, C: p.C })),
    );
    if (state === 'pending') return op;
    if (state === 'unspent' && op.counterparty === 'rotation') {
      const row = revertSwap(ctx, op, 'interrupted; will be retried', 'cancelled');
      ctx.changed(row);
      return row;
    }
    const outcome = await runSwap(ctx, op, wallet);
    const row = settleSwap(ctx, op, outcome, { state: 'done', final: true, sendState: 'unspent' });
    ctx.changed(row);
    if (parent && op.counterparty === 'reclaim')
      ctx.changed(store.updateOp(parent.id, { state: 'reclaimed', final: true }));
    return row;
  }

  let recovering: Promise<void> | null = null;
  /** Resumes or reverts every unfinished operation (start-up, unlock, timer, on demand). */
  function recover(): Promise<void> {
    if (recovering) return recovering;
    recovering = (async () => {
      if (deps.vault.status().state !== 'unlocked') return;
      for (const op of store.openOps(deps.network())) {
        try {
          await advance(store.op(op.id) as OpRow);
        } catch (err) {
          deps.log.warn('ecash operation left open', {
            kind: op.kind,
            state: op.state,
            code: toFlashError(err).code,
          });
        }
      }
    })().finally(() => {
      recovering = null;
    });
    return recovering;
  }

  // ── melt preparation (invoice, address, MPP) ─────────────────────────────────────────────

  async function invoiceFor(
    text: string,
    amountSats: number | undefined,
  ): Promise<{ bolt11: string; amountSats: number }> {
    const parsed = parsePaymentInput(text, { network: deps.network(), now: Math.floor(now() / 1000) });
    if (parsed.kind === 'bolt11') {
      if (parsed.expired) throw new FlashError('LIGHTNING_EXPIRED', 'This invoice has expired.');
      if (parsed.invoice.amountMsat === null)
        throw new FlashError('LIGHTNING_AMOUNT_REQUIRED', 'eCash mints pay only invoices with an amount.');
      return {
        bolt11: parsed.invoice.paymentRequest,
        amountSats: Number((parsed.invoice.amountMsat + 999n) / 1000n),
      };
    }
    if (parsed.kind === 'lnurl' || parsed.kind === 'lightning-address') {
      if (!deps.lnurlGet)
        throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'Lightning addresses are not available here.');
      if (amountSats === undefined)
        throw new FlashError('LIGHTNING_AMOUNT_REQUIRED', 'Enter how much to send.');
      const resolved = await resolveLnurl(
        deps.lnurlGet,
        parsed.kind === 'lnurl' ? { lnurl: parsed.lnurl } : { address: parsed.address },
      );
      if (resolved.kind !== 'pay')
        throw new FlashError('LNURL_UNSUPPORTED', 'Only payment links can be paid with eCash.', {
          what: resolved.kind,
        });
      const inv = await requestPayInvoice(deps.lnurlGet, resolved.params, {
        amountMsat: BigInt(amountSats) * 1000n,
        network: deps.network(),
      });
      return { bolt11: inv.invoice.paymentRequest, amountSats };
    }
    throw new FlashError('LIGHTNING_UNRECOGNIZED', 'eCash can pay Lightning invoices and addresses.');
  }

  async function quoteAt(url: string, unit: string, bolt11: string, partMsat?: bigint): Promise<MeltPart> {
    const wallet = mints.wallet(url, unit);
    let quote: MeltQuoteBolt11Response;
    try {
      quote =
        partMsat !== undefined
          ? await wallet.createMultiPathMeltQuote(bolt11, partMsat)
          : await wallet.createMeltQuoteBolt11(bolt11);
      mints.markReachable(url, true);
    } catch (err) {
      throw toFlashError(err, url);
    }
    const need = sats(quote.amount) + sats(quote.fee_reserve);
    const sel = selectMeltInputs(ctx, wallet, url, unit, need);
    return { mintUrl: url, unit, quote, inputs: sel.inputs, inputYs: sel.ys, inputFee: sel.inputFee };
  }

  function meltPreview(p: PreparedMelt): EcashMeltPreview {
    return {
      prepareId: p.id,
      invoice: p.invoice,
      amount: p.amountSats,
      parts: p.parts.map((part) => ({
        mintUrl: part.mintUrl,
        unit: part.unit,
        amount: sats(part.quote.amount),
        feeReserve: sats(part.quote.fee_reserve),
        inputFee: part.inputFee,
        quoteExpiresAt: Number(part.quote.expiry),
      })),
      feeReserve: p.parts.reduce((s, part) => s + sats(part.quote.fee_reserve) + part.inputFee, 0),
      total: p.parts.reduce(
        (s, part) => s + sats(part.quote.amount) + sats(part.quote.fee_reserve) + part.inputFee,
        0,
      ),
    };
  }

  function mppMints(unit: string): string[] {
    return mints
      .list()
      .filter((m) => {
        const nut15 = (m.info.nuts as Record<string, { methods?: { method: string; unit: string }[] }>)['15'];
        return nut15?.methods?.some((x) => x.method === 'bolt11' && x.unit === unit) ?? false;
      })
      .map((m) => m.url);
  }

  function spendable(url: string, unit: string): number {
    return store.balances(deps.network()).find((b) => b.mintUrl === url && b.unit === unit)?.unspent ?? 0;
  }

  let timer: NodeJS.Timeout | null = null;
  const stops: (() => void)[] = [];

  const service = {
    // ── mints ───────────────────────────────────────────────────────────────────────────────
    listMints(): EcashMintView[] {
      return mints.list().map((m) => mintView(m, balancesOf(m.url)));
    },
    async previewMint(url: string): Promise<EcashMintView> {
      const p = await mints.preview(url);
      return mintView(
        {
          url: p.url,
          info: p.info,
          keychain: p.keychain,
          reachable: true,
          lastError: null,
          checkedAt: now(),
          addedAt: 0,
        },
        [],
      );
    },
    async addMint(url: string): Promise<EcashMintView> {
      const rec = await mints.add(url);
      deps.bus.emit('ecash.mint', { mintUrl: rec.url });
      return mintView(rec, balancesOf(rec.url));
    },
    removeMint(url: string): void {
      const rec = needMint(url);
      const held = balancesOf(rec.url).some((b) => b.spendable + b.pending + b.incoming > 0);
      if (held)
        throw new FlashError(
          'ECASH_MINT_HAS_BALANCE',
          'This mint still holds your eCash. Move or spend it first.',
        );
      mints.remove(rec.url);
      deps.bus.emit('ecash.mint', { mintUrl: rec.url });
    },
    /** Follows keyset rotation and swaps proofs off inactive keysets (NUT-02). */
    async refreshMint(url: string): Promise<EcashMintView> {
      const rec = await mints.refresh(needMint(url).url);
      await rotateOffInactive(rec.url);
      return mintView(mints.require(rec.url), balancesOf(rec.url));
    },
    balances(): EcashBalance[] {
      return mints.list().flatMap((m) => balancesOf(m.url));
    },
    /** Unspent amount per keyset, so the screen can say what sits on an inactive one. */
    keysetBalances(url: string): EcashKeysetBalance[] {
      const rec = needMint(url);
      return mints.keysets(rec.url).map((k) => {
        const rows = store
          .proofs(deps.network(), rec.url, k.unit, 'unspent')
          .filter((r) => r.keysetId === k.id);
        return { ...k, amount: rows.reduce((s, r) => s + r.amount, 0), proofs: rows.length };
      });
    },

    // ── mint (Lightning in) ────────────────────────────────────────────────────────────────
    async mintQuote(input: {
      mintUrl: string;
      unit: string;
      amount: number;
      description?: string;
    }): Promise<EcashOperationView> {
      const rec = needMint(input.mintUrl);
      const op = await createMintQuote(ctx, {
        mintUrl: rec.url,
        unit: input.unit,
        amount: input.amount,
        ...(input.description ? { description: input.description } : {}),
      });
      watchQuote(op);
      return operationView(op);
    },
    /** Pays the quote's invoice with the Lightning service's default provider, then mints. */
    async payMintQuote(operationId: string): Promise<EcashOperationView> {
      const op = needOp(operationId);
      if (op.kind !== 'mint' || op.state !== 'unpaid' || !op.request)
        throw new FlashError('ECASH_NOT_SUPPORTED', 'This operation has no invoice waiting to be paid.');
      if (!deps.lightning) throw new FlashError('LIGHTNING_NO_PROVIDER', 'No Lightning wallet is connected.');
      await deps.lightning.pay({ text: op.request, origin: 'ecash' });
      return operationView(await advance(needOp(operationId)).catch(() => needOp(operationId)));
    },
    /** Checks a mint quote now (the websocket or the timer also do). */
    async checkMintQuote(operationId: string): Promise<EcashOperationView> {
      const op = needOp(operationId);
      return operationView(await advance(op));
    },

    // ── melt (Lightning out) ───────────────────────────────────────────────────────────────
    async prepareMelt(input: {
      text: string;
      unit: string;
      mintUrl?: string;
      amountSats?: number;
    }): Promise<EcashMeltPreview> {
      pruneOld();
      const { bolt11, amountSats } = await invoiceFor(input.text, input.amountSats);
      let parts: MeltPart[];
      if (input.mintUrl) parts = [await quoteAt(needMint(input.mintUrl).url, input.unit, bolt11)];
      else {
        const candidates = mints
          .list()
          .map((m) => m.url)
          .sort((a, b) => spendable(b, input.unit) - spendable(a, input.unit));
        const single = candidates.find((u) => spendable(u, input.unit) >= amountSats);
        if (single) parts = [await quoteAt(single, input.unit, bolt11)];
        else {
          // NUT-15: split the invoice across mints that offer multi-path payments.
          const mpp = mppMints(input.unit).filter((u) => spendable(u, input.unit) > 0);
          const total = mpp.reduce((s, u) => s + spendable(u, input.unit), 0);
          if (mpp.length < 2 || total < amountSats * 1.02 + 4 * mpp.length)
            throw new FlashError(
              'ECASH_INSUFFICIENT_BALANCE',
              'Not enough eCash for this payment and its fees.',
            );
          parts = [];
          let left = BigInt(amountSats) * 1000n;
          for (const [i, u] of mpp.entries()) {
            if (left <= 0n) break;
            const cap = BigInt(Math.floor(spendable(u, input.unit) * 0.97) - 3) * 1000n;
            const partMsat = i === mpp.length - 1 || cap >= left ? left : cap;
            parts.push(await quoteAt(u, input.unit, bolt11, partMsat));
            left -= partMsat;
          }
        }
      }
      const p: PreparedMelt = {
        id: randomUUID(),
        createdAt: now(),
        parts,
        invoice: bolt11,
        amountSats,
        move: null,
      };
      prepared.set(p.id, p);
      return meltPreview(p);
    },
    async confirmMelt(prepareId: string): Promise<EcashOperationView[]> {
      const p = takePrepared(prepareId);
      if (p.move) {
        const move = needOp(p.move.moveId);
        const row = await meltForMove(ctx, move, p.parts[0] as MeltPart);
        return [operationView(row)];
      }
      const results = await Promise.allSettled(
        p.parts.map((part) => startMelt(ctx, part, { counterparty: null })),
      );
      const failed = results.find((r) => r.status === 'rejected');
      if (failed && results.length === 1) throw toFlashError((failed as PromiseRejectedResult).reason);
      return results.map((r, i) =>
        r.status === 'fulfilled'
          ? operationView(r.value)
          : operationView(latestForQuote(p.parts[i]?.quote.quote)),
      );
    },

    // ── move between mints ─────────────────────────────────────────────────────────────────
    async prepareMove(input: {
      from: string;
      to: string;
      unit: string;
      amount: number;
    }): Promise<EcashMeltPreview> {
      pruneOld();
      const from = needMint(input.from).url;
      const to = needMint(input.to).url;
      if (from === to) throw new FlashError('BAD_INPUT', 'Choose two different mints.');
      const { move, mintLeg } = await beginMove(ctx, { from, to, unit: input.unit, amount: input.amount });
      const part = await quoteAt(from, input.unit, mintLeg.request as string).catch((err: unknown) => {
        ctx.changed(
          store.updateOp(move.id, { state: 'failed', final: true, error: toFlashError(err).message }),
        );
        ctx.changed(store.updateOp(mintLeg.id, { state: 'cancelled', final: true }));
        throw err;
      });
      const p: PreparedMelt = {
        id: randomUUID(),
        createdAt: now(),
        parts: [part],
        invoice: mintLeg.request as string,
        amountSats: input.amount,
        move: { to, mintLegId: mintLeg.id, moveId: move.id },
      };
      prepared.set(p.id, p);
      return meltPreview(p);
    },

    // ── tokens ─────────────────────────────────────────────────────────────────────────────
    async send(input: {
      mintUrl: string;
      unit: string;
      amount: number;
      memo?: string;
      lock?: { to: string; locktime?: number; refundKeys?: string[] };
      offlineOnly?: boolean;
      /** Chat, nutzap or payment request the token goes to (see main/ecash/social-service.ts). */
      counterparty?: string;
    }): Promise<EcashSentToken> {
      const rec = needMint(input.mintUrl);
      const lock = input.lock
        ? {
            pubkey: lockKeyFrom(input.lock.to),
            ...(input.lock.locktime !== undefined ? { locktime: input.lock.locktime } : {}),
            // Our own key as refund key by default, so a locked token can be reclaimed after locktime.
            refundKeys: (
              input.lock.refundKeys ?? (input.lock.locktime !== undefined ? [p2pk().pubkey] : [])
            ).map(lockKeyFrom),
          }
        : undefined;
      const op = await sendToken(ctx, {
        mintUrl: rec.url,
        unit: input.unit,
        amount: input.amount,
        ...(input.memo ? { memo: input.memo } : {}),
        ...(lock ? { lock } : {}),
        ...(input.offlineOnly ? { offlineOnly: true } : {}),
        ...(input.counterparty ? { counterparty: input.counterparty } : {}),
      });
      return sentToken(op);
    },
    sentToken(operationId: string): EcashSentToken {
      return sentToken(needOp(operationId));
    },
    async reclaim(operationId: string): Promise<EcashOperationView> {
      return operationView(await reclaim(ctx, needOp(operationId), p2pkKeys().privkeys));
    },
    decodeToken(text: string): EcashTokenView {
      const ours = deps.vault.status().state === 'unlocked' ? p2pkKeys().pubkeys : [];
      let check: ReturnType<typeof checkToken>;
      try {
        check = checkToken(ctx, text, ours);
      } catch (err) {
        const outline = unknownMintToken(text, err);
        if (!outline) throw err;
        return {
          mintUrl: outline.mint,
          unit: outline.unit,
          amount: outline.amount,
          memo: outline.memo,
          proofs: outline.proofs,
          dleq: 'unknown-keys',
          lock: lockOf(outline.lockedTo, ours),
          knownMint: false,
          mintName: null,
        };
      }
      const rec = mints.get(check.token.mint);
      return {
        mintUrl: check.token.mint,
        unit: check.token.unit ?? 'sat',
        amount: check.amount,
        memo: check.token.memo ?? null,
        proofs: check.token.proofs.length,
        dleq: check.dleq,
        lock: check.lock,
        knownMint: rec !== null,
        mintName: rec?.info.name ?? null,
      };
    },
    async receive(text: string, from?: { counterparty: string }): Promise<EcashOperationView> {
      return operationView(await receiveToken(ctx, text, p2pkKeys(), from?.counterparty ?? null));
    },
    p2pkPublicKey(): string {
      return p2pk().pubkey;
    },
    /** NIP-60's wallet event carries this key (sealed to the user's own NOSTR key) for nutzaps. */
    p2pkPrivateKeyHex(): string {
      return p2pk().privkey;
    },
    /**
     * A NIP-60 backup made under other words names another nutzap key: keep it (in the vault), so
     * nutzaps and tokens locked to it, sent while its kind 10019 was still out, open here too.
     * Returns whether it was new.
     */
    adoptP2pkKey(privkeyHex: string): boolean {
      if (!/^[0-9a-f]{64}$/.test(privkeyHex)) throw new FlashError('BAD_INPUT', 'Not a P2PK key.');
      if (p2pkKeys().privkeys.includes(privkeyHex)) return false;
      const key = Buffer.from(privkeyHex, 'hex');
      if (!secp256k1.utils.isValidSecretKey(key)) throw new FlashError('BAD_INPUT', 'Not a P2PK key.');
      const all = adoptedP2pk();
      deps.vault.putSecret(ADOPTED_P2PK_KEYS, Buffer.concat([...all, key]));
      return true;
    },
    /** Journal rows whose counterparty starts with `prefix` (chat:, nutzap:, creq:…), newest first. */
    operationsFor(prefix: string): EcashOperationView[] {
      return deps.db
        .prepare<[string, number, string], { id: string }>(
          `SELECT id FROM ecash_ops WHERE network = ? AND substr(counterparty, 1, ?) = ?
           ORDER BY created_at DESC`,
        )
        .all(deps.network(), prefix.length, prefix)
        .map((r) => operationView(needOp(r.id)));
    },
    /**
     * Unspent proofs per mint and unit: the NIP-60 backup's content. Reserved ones are left out:
     * they belong to a token given away or an operation in flight, not to the wallet's balance.
     */
    heldProofs(): { mintUrl: string; unit: string; proofs: PlainProof[] }[] {
      return mints.list().flatMap((m) =>
        [...new Set(mints.keysets(m.url).map((k) => k.unit))].map((unit) => ({
          mintUrl: m.url,
          unit,
          proofs: store.open(store.proofs(deps.network(), m.url, unit, 'unspent')),
        })),
      );
    },
    /** Whether the vault is open: proofs can be read and secrets used. */
    unlocked(): boolean {
      return deps.vault.status().state === 'unlocked';
    },
    /** Whether this proof (by secret) is already in the wallet, in any state. */
    knowsProof(secret: string): boolean {
      return (
        deps.db
          .prepare<[string], { n: number }>(`SELECT count(*) AS n FROM ecash_proofs WHERE y = ?`)
          .get(proofY(secret))?.n !== 0
      );
    },

    // ── restore, history, recovery ─────────────────────────────────────────────────────────
    async restore(urls: string[], gap?: number): Promise<EcashRestoreReport> {
      const reports = [];
      for (const text of urls) {
        const url = cleanMintUrl(text);
        if (!mints.get(url)) {
          try {
            await mints.add(url);
          } catch (err) {
            reports.push({ mintUrl: url, ok: false, error: toFlashError(err).message, keysets: [] });
            continue;
          }
        }
        reports.push(await restoreMint(ctx, url, gap));
        deps.bus.emit('ecash.balance', { mintUrl: url, unit: 'sat' });
      }
      return { mints: reports };
    },
    listOperations(limit: number, offset: number): { items: EcashOperationView[]; total: number } {
      return {
        items: store.listOps(deps.network(), limit, offset).map(operationView),
        total: store.countOps(deps.network()),
      };
    },
    getOperation(id: string): EcashOperationView {
      return operationView(needOp(id));
    },
    recover,
    /** Test and harness hook: the journal's open rows. */
    openOperations: () => store.openOps(deps.network()).map(operationView),

    start(): void {
      stops.push(
        deps.vault.onLock(() => mints.forgetWallets()),
        deps.vault.onUnlock(() => void recover()),
      );
      if (deps.vault.status().state === 'unlocked') void recover();
      timer = setInterval(() => void recover(), deps.recheckEveryMs ?? 20_000);
      timer.unref?.();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      for (const s of stops.splice(0)) s();
      await recovering?.catch(() => undefined);
      mints.forgetWallets();
    },
  };

  /**
   * A token that did not decode because its mint (and so its keysets) is not in the list yet: its
   * outline, so the screen can ask the user to trust that mint first. Null for any other failure.
   */
  function unknownMintToken(text: string, err: unknown): ReturnType<typeof tokenOutline> | null {
    if (!(err instanceof FlashError) || err.code !== 'ECASH_TOKEN_INVALID') return null;
    try {
      const outline = tokenOutline(text);
      return mints.get(cleanMintUrl(outline.mint)) ? null : outline;
    } catch {
      return null;
    }
  }

  function needOp(id: string): OpRow {
    const op = store.op(id);
    if (!op || op.network !== deps.network())
      throw new FlashError('ECASH_OPERATION_NOT_FOUND', 'No such eCash operation.');
    return op;
  }

  function latestForQuote(quoteId: string | undefined): OpRow {
    const row = deps.db
      .prepare<[string], { id: string }>(
        `SELECT id FROM ecash_ops WHERE quote_id = ? ORDER BY created_at DESC`,
      )
      .get(quoteId ?? '');
    return needOp(row?.id ?? '');
  }

  function takePrepared(id: string): PreparedMelt {
    pruneOld();
    const p = prepared.get(id);
    if (!p)
      throw new FlashError(
        'ECASH_PREPARED_NOT_FOUND',
        'This payment was already sent or its preview expired.',
      );
    prepared.delete(id);
    return p;
  }

  function pruneOld(): void {
    for (const [id, p] of prepared) if (now() - p.createdAt > PREPARED_TTL_MS) prepared.delete(id);
  }

  function sentToken(op: OpRow): EcashSentToken {
    if (op.kind !== 'send' || (op.state !== 'pending' && op.state !== 'claimed' && op.state !== 'reclaimed'))
      throw new FlashError('ECASH_OPERATION_NOT_FOUND', 'This operation has no token.');
    const { token } = store.payload<{ token: string }>(op.id);
    return { operation: operationView(op), token, qr: tokenQr(token) };
  }

  /** NUT-17: the quote's state over the mint's websocket; the timer polls as the fallback. */
  function watchQuote(op: OpRow): void {
    const wallet = mints.wallet(op.mintUrl, op.unit);
    if (!wallet.getMintInfo().isSupported(17).supported) return;
    wallet.on
      .mintQuotePaid(
        op.quoteId as string,
        () => {
          void advance(needOp(op.id)).catch(() => undefined);
        },
        () => undefined,
      )
      .catch(() => undefined);
  }

  async function rotateOffInactive(url: string): Promise<void> {
    const inactive = new Set(
      mints
        .keysets(url)
        .filter((k) => !k.active)
        .map((k) => k.id),
    );
    for (const unit of new Set(mints.keysets(url).map((k) => k.unit))) {
      const rows = store.proofs(deps.network(), url, unit, 'unspent').filter((r) => inactive.has(r.keysetId));
      if (rows.length === 0) continue;
      const wallet = mints.wallet(url, unit);
      const proofs = toProofs(store.open(rows));
      const preview = await wallet.prepareSwapToReceive(proofs, {}, { type: 'deterministic', counter: 0 });
      const op = journalSwap(ctx, {
        kind: 'swap',
        mintUrl: url,
        unit,
        amount: preview.amount.toNumber(),
        preview,
        inputsAreOurs: true,
        counterparty: 'rotation',
      });
      ctx.changed(op);
      try {
        const outcome = await runSwap(ctx, op, wallet);
        ctx.changed(settleSwap(ctx, op, outcome, { state: 'done', final: true, sendState: 'unspent' }));
      } catch (err) {
        deps.log.warn('rotation swap left open', { code: toFlashError(err).code });
      }
    }
  }

  void finishSendSwap;
  void encodeToken;
  void toPlain;
  return service;
}

export type EcashService = ReturnType<typeof createEcashService>;
