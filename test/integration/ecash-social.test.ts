import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePaymentRequest, PaymentRequest } from '@cashu/cashu-ts';
import { toPlain } from '../../main/ecash/proof-codec';
import { encodeToken } from '../../main/ecash/tokens';
import { nsecEncode } from '../../main/nostr/identity';
import { FlashError } from '../../shared/errors';
import type { CashuStack } from '../stack/cashu';
import { startCashuStack } from '../stack/cashu';
import { LightningLedger } from '../stack/lightning/ledger';
import type { TestRelay } from '../stack/nostr-relays';
import { startNostrRelay } from '../stack/nostr-relays';
import { TEST_WORDS, until } from '../support/ecash';
import type { EcashPerson } from '../support/ecash-social';
import { ecashPerson } from '../support/ecash-social';

const BOB_WORDS =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const CAROL_WORDS = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const FRESH_WORDS = 'letter advice cage absurd amount doctor acoustic avoid letter advice cage above';

let ledger: LightningLedger;
let stack: CashuStack;
let relay: TestRelay;
const people: EcashPerson[] = [];

beforeAll(async () => {
  ledger = new LightningLedger();
  ledger.createNode('stack', { balanceMsat: 100_000_000_000n });
  stack = await startCashuStack(ledger);
  relay = await startNostrRelay();
});
afterAll(async () => {
  for (const p of people.splice(0)) await p.close();
  await relay.stop();
  await stack.stop();
  ledger.close();
});

const alpha = () => stack.mints[0]!.url;
const beta = () => stack.mints[1]!.url;

async function person(
  words: string,
  opts: { nsec?: string; fetch?: typeof fetch; backupDebounceMs?: number } = {},
): Promise<EcashPerson> {
  const p = await ecashPerson(ledger, [relay.url], { words, ...opts });
  people.push(p);
  return p;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof FlashError ? err.code : `not a FlashError: ${String(err)}`;
  }
  return 'resolved';
}

const conversationWith = (p: EcashPerson, other: string) =>
  p.nostr.listConversations().find((c) => c.members.includes(other));

describe('eCash with other people, over real relays and the stand-in mints', () => {
  it('sends a token in a NIP-17 chat; the contact sees a pay card and claims it once', async () => {
    const alice = await person(TEST_WORDS);
    const bob = await person(BOB_WORDS);
    await alice.fund(alpha(), 1000);
    await bob.ecash.addMint(alpha());

    const { sent, messageId, relaysOk } = await alice.social.sendInChat({
      to: bob.npub,
      unit: 'sat',
      amount: 200,
      memo: 'Lunch',
    });
    expect(relaysOk).toBe(1);
    expect(sent.token).toMatch(/^cashuB/);
    expect(sent.operation).toMatchObject({
      kind: 'send',
      state: 'pending',
      counterparty: `chat-to:${bob.pubkey}`,
    });

    const conv = await until(() => conversationWith(bob, alice.pubkey) ?? null);
    const cards = await until(() => {
      const c = bob.social.chatPayments(conv.id);
      return c.length > 0 ? c : null;
    });
    expect(cards).toEqual([
      expect.objectContaining({
        messageId,
        direction: 'in',
        kind: 'token',
        amount: 200,
        unit: 'sat',
        operation: null,
      }),
    ]);
    expect(bob.nostr.getMessages({ conversationId: conv.id })[0]?.text).toContain('Lunch');

    const claimed = await bob.social.claimChatToken({ conversationId: conv.id, messageId });
    expect(claimed).toMatchObject({ kind: 'receive', state: 'claimed', counterparty: `chat:${messageId}` });
    expect(bob.spendable(alpha())).toBe(200 - claimed.fee);
    // The card now shows the claim, and a second click claims nothing more.
    expect(bob.social.chatPayments(conv.id)[0]?.operation?.id).toBe(claimed.id);
    expect((await bob.social.claimChatToken({ conversationId: conv.id, messageId })).id).toBe(claimed.id);
    expect(bob.spendable(alpha())).toBe(200 - claimed.fee);

    // Alice's side learns the token was claimed (NUT-07) and her own card shows it as sent.
    await alice.ecash.recover();
    expect(alice.ecash.getOperation(sent.operation.id).state).toBe('claimed');
    const aliceConv = conversationWith(alice, bob.pubkey)!;
    expect(alice.social.chatPayments(aliceConv.id)[0]).toMatchObject({
      direction: 'out',
      kind: 'token',
      amount: 200,
    });
  });

  it('NIP-61: publishes kind 10019, nutzaps a contact, who claims it by itself and records the redemption', async () => {
    const alice = await person(TEST_WORDS);
    const bob = await person(BOB_WORDS);
    await alice.fund(alpha(), 1000);
    await alice.fund(beta(), 500);
    await bob.ecash.addMint(alpha());

    expect(await codeOf(alice.social.nutzap({ to: bob.pubkey, amount: 21, unit: 'sat' }))).toBe(
      'ECASH_NUTZAP_NOT_ACCEPTED',
    );
    const published = await bob.social.publishNutzapInfo();
    expect(published.results.some((r) => r.ok)).toBe(true);
    const info = await alice.social.nutzapInfo(bob.npub);
    expect(info).toMatchObject({
      pubkey: bob.pubkey,
      relays: [relay.url],
      mints: [{ url: alpha(), units: ['sat', 'usd'] }],
      p2pk: bob.ecash.p2pkPublicKey(),
    });
    // Bob takes nutzaps only at alpha: Alice's beta eCash cannot pay him.
    expect(
      await codeOf(alice.social.nutzap({ to: bob.pubkey, amount: 21, unit: 'sat', mintUrl: beta() })),
    ).toBe('ECASH_NO_COMMON_MINT');

    const zap = await alice.social.nutzap({ to: bob.pubkey, amount: 21, unit: 'sat', comment: 'Great post' });
    expect(zap.results.some((r) => r.ok)).toBe(true);
    expect(zap.operation).toMatchObject({
      kind: 'send',
      state: 'pending',
      counterparty: `nutzap-to:${bob.pubkey}`,
    });
    // The published event carries P2PK-locked proofs anyone can see, the mint and the recipient.
    const [event] = await alice.nostr.relayPool()!.query([{ ids: [zap.eventId] }], [relay.url], 2000);
    expect(event?.kind).toBe(9321);
    expect(event?.tags).toEqual(
      expect.arrayContaining([
        ['u', alpha()],
        ['p', bob.pubkey],
        ['unit', 'sat'],
      ]),
    );
    const proofTags = event!.tags.filter((t) => t[0] === 'proof');
    expect(proofTags.length).toBeGreaterThan(0);
    for (const t of proofTags) expect(JSON.parse(t[1]!).secret).toContain(bob.ecash.p2pkPublicKey().slice(2));

    // Bob's wallet is watching: it claims the nutzap without being asked.
    const claim = await until(
      () => bob.ecash.operationsFor(`nutzap:${zap.eventId}`).find((o) => o.state === 'claimed') ?? null,
    );
    expect(claim.amount).toBe(21);
    expect(bob.spendable(alpha())).toBe(21 - claim.fee);
    // Its kind 7376 says "redeemed" in the clear, amount and direction sealed to Bob.
    const records = await until(async () => {
      const r = await bob.nostr
        .relayPool()!
        .query([{ kinds: [7376], authors: [bob.pubkey] }], [relay.url], 2000);
      return r.length > 0 ? r : null;
    });
    expect(records[0]?.tags).toContainEqual(['e', zap.eventId, relay.url, 'redeemed']);
    expect(JSON.parse(bob.nostr.decryptFromSelf(records[0]!.content))).toContainEqual(['direction', 'in']);
    // Checking again claims nothing twice.
    const again = await bob.social.checkNutzaps();
    expect(again.map((o) => o.id)).toEqual([claim.id]);
    expect(bob.spendable(alpha())).toBe(21 - claim.fee);

    // A token in chat locked to the contact's NIP-61 key: only Bob's wallet can claim it.
    const locked = await alice.social.sendInChat({
      to: bob.pubkey,
      unit: 'sat',
      amount: 30,
      lockToContact: true,
    });
    expect(bob.ecash.decodeToken(locked.sent.token).lock).toBe('us');
    const carol = await person(CAROL_WORDS);
    await carol.ecash.addMint(alpha());
    expect(carol.ecash.decodeToken(locked.sent.token).lock).toBe('other');
    expect(await codeOf(carol.ecash.receive(locked.sent.token))).toBe('ECASH_LOCKED_TO_OTHER');
    const conv = await until(() => conversationWith(bob, alice.pubkey) ?? null);
    await until(() => bob.social.chatPayments(conv.id).find((c) => c.messageId === locked.messageId) ?? null);
    const got = await bob.social.claimChatToken({ conversationId: conv.id, messageId: locked.messageId });
    expect(got.state).toBe('claimed');
    // Carol published no key: a locked chat token to her is refused before anything is spent.
    const before = alice.spendable(alpha());
    expect(
      await codeOf(
        alice.social.sendInChat({ to: carol.pubkey, unit: 'sat', amount: 5, lockToContact: true }),
      ),
    ).toBe('ECASH_NUTZAP_NOT_ACCEPTED');
    expect(alice.spendable(alpha())).toBe(before);
  });

  it('NUT-18 over NOSTR: a creqA request is paid by DM and claimed by itself, once', async () => {
    const alice = await person(TEST_WORDS);
    const bob = await person(BOB_WORDS);
    await alice.fund(alpha(), 1000);
    await alice.fund(beta(), 300);
    await bob.ecash.addMint(alpha());

    const { id, request } = bob.social.createPaymentRequest({
      amount: 150,
      unit: 'sat',
      description: 'Concert ticket',
      transport: 'nostr',
    });
    expect(request).toMatch(/^creqA/);
    const raw = decodePaymentRequest(request);
    expect(raw.id).toBe(id);
    expect(raw.mints).toEqual([alpha()]);
    expect(raw.transport?.[0]).toMatchObject({ type: 'nostr', tags: [['n', '17']] });

    const view = alice.social.decodePaymentRequest(request);
    expect(view).toMatchObject({
      id,
      amount: 150,
      unit: 'sat',
      mints: [alpha()],
      strictMints: true,
      description: 'Concert ticket',
      payableFrom: [alpha()],
      paid: null,
    });
    expect(await codeOf(alice.social.payPaymentRequest({ request, mintUrl: beta() }))).toBe(
      'ECASH_NO_COMMON_MINT',
    );
    const paid = await alice.social.payPaymentRequest({ request });
    expect(paid).toMatchObject({ transport: 'nostr', delivered: true });
    expect(paid.operation.counterparty).toBe(`creq-pay:${id}`);

    const claimed = await until(
      () => bob.social.paymentRequestPayments(id).find((o) => o.state === 'claimed') ?? null,
    );
    expect(claimed.amount).toBe(150);
    expect(bob.spendable(alpha())).toBe(150 - claimed.fee);
    // The payer's card for the request shows it paid; a single-use request is not paid twice.
    expect(alice.social.decodePaymentRequest(request).paid?.id).toBe(paid.operation.id);
    expect(await codeOf(alice.social.payPaymentRequest({ request }))).toBe('ECASH_REQUEST_INVALID');

    // A request sent in chat is a "Pay" card; the payload message on Bob's side shows its claim.
    await bob.nostr.sendMessage({ to: [alice.pubkey], text: `Please pay ${request}` });
    const aliceConv = await until(() => conversationWith(alice, bob.pubkey) ?? null);
    const card = await until(
      () => alice.social.chatPayments(aliceConv.id).find((c) => c.kind === 'request') ?? null,
    );
    expect(card).toMatchObject({
      amount: 150,
      unit: 'sat',
      mintUrl: alpha(),
      operation: { id: paid.operation.id },
    });
    const bobConv = conversationWith(bob, alice.pubkey)!;
    expect(bob.social.chatPayments(bobConv.id).find((c) => c.kind === 'payload')?.operation?.id).toBe(
      claimed.id,
    );

    // An amountless request takes the amount the payer enters.
    const open = bob.social.createPaymentRequest({ unit: 'sat', transport: 'nostr' });
    expect(await codeOf(alice.social.payPaymentRequest({ request: open.request }))).toBe('BAD_INPUT');
    await alice.social.payPaymentRequest({ request: open.request, amount: 40 });
    const second = await until(
      () => bob.social.paymentRequestPayments(open.id).find((o) => o.state === 'claimed') ?? null,
    );
    expect(second.amount).toBe(40);
    expect(
      await codeOf(Promise.resolve().then(() => alice.social.decodePaymentRequest('creqAnotarequest'))),
    ).toBe('ECASH_REQUEST_INVALID');
  });

  it('a NUT-18 payment that arrives while the payee’s app is closed is claimed when it starts again', async () => {
    const alice = await person(TEST_WORDS);
    const bob = await ecashPerson(ledger, [relay.url], { words: BOB_WORDS });
    await alice.fund(alpha(), 500);
    await bob.ecash.addMint(alpha());
    const { id, request } = bob.social.createPaymentRequest({ amount: 77, unit: 'sat', transport: 'nostr' });
    const nsec = nsecOf(bob);
    const dir = bob.dir;
    await bob.close(false);

    const paid = await alice.social.payPaymentRequest({ request });
    expect(paid.delivered).toBe(true);
    const again = await ecashPerson(ledger, [relay.url], { words: BOB_WORDS, nsec, dir });
    people.push(again);
    const claimed = await until(
      () => again.social.paymentRequestPayments(id).find((o) => o.state === 'claimed') ?? null,
      20_000,
    );
    expect(claimed.amount).toBe(77);
    expect(again.spendable(alpha())).toBe(77 - claimed.fee);
    // Started again, nothing is claimed twice.
    await again.social.checkNutzaps();
    expect(again.social.paymentRequestPayments(id)).toHaveLength(1);

    // A payment stored as a message but never claimed (the wallet stopped in between, as in a
    // crash) is found in the inbox and claimed when the wallet starts.
    const second = again.social.createPaymentRequest({ amount: 33, unit: 'sat', transport: 'nostr' });
    again.social.stop();
    await alice.social.payPaymentRequest({ request: second.request });
    const conv = await until(
      () => again.nostr.listConversations().find((c) => c.members.includes(alice.pubkey)) ?? null,
    );
    await until(
      () => again.social.chatPayments(conv.id).find((c) => c.kind === 'payload' && c.amount === 33) ?? null,
    );
    expect(again.social.paymentRequestPayments(second.id)).toEqual([]);
    again.social.start();
    const late = await until(
      () => again.social.paymentRequestPayments(second.id).find((o) => o.state === 'claimed') ?? null,
    );
    expect(late.amount).toBe(33);
  });

  it('NUT-18 over POST: the payload goes to the payee’s URL; a refusal leaves the token pending and reclaimable', async () => {
    const bodies: string[] = [];
    let status = 200;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pay`;
    try {
      const alice = await person(TEST_WORDS);
      const bob = await person(BOB_WORDS);
      await alice.fund(alpha(), 500);
      await bob.ecash.addMint(alpha());
      const { request, id } = bob.social.createPaymentRequest({
        amount: 64,
        unit: 'sat',
        transport: 'post',
        postUrl: url,
        lock: true,
      });
      expect(alice.social.decodePaymentRequest(request)).toMatchObject({
        transports: [{ type: 'post', target: url }],
        lockTo: bob.ecash.p2pkPublicKey(),
      });
      const paid = await alice.social.payPaymentRequest({ request });
      expect(paid).toMatchObject({ transport: 'post', delivered: true });
      const payload = PaymentRequest.decodePayload(bodies[0]!);
      expect(payload).toMatchObject({ id, mint: alpha(), unit: 'sat' });
      expect(payload.proofs.reduce((s, p) => s + toPlain(p).amount, 0)).toBe(64);
      // Locked to Bob as the request asked: the payee's server hands it to Bob's wallet.
      const asToken = encodeToken(payload.mint, payload.unit, payload.proofs.map(toPlain));
      expect(bob.ecash.decodeToken(asToken).lock).toBe('us');
      expect((await bob.ecash.receive(asToken)).state).toBe('claimed');

      status = 500;
      const other = bob.social.createPaymentRequest({
        amount: 10,
        unit: 'sat',
        transport: 'post',
        postUrl: url,
      });
      let details: Record<string, unknown> = {};
      try {
        await alice.social.payPaymentRequest({ request: other.request });
      } catch (err) {
        expect(err instanceof FlashError && err.code).toBe('ECASH_DELIVERY_FAILED');
        details = (err as FlashError).details ?? {};
      }
      const opId = details.operationId as string;
      expect(alice.ecash.getOperation(opId).state).toBe('pending');
      expect((await alice.ecash.reclaim(opId)).state).toBe('reclaimed');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('NIP-60: backs the wallet up encrypted on the relays and restores it on a profile with other words', async () => {
    const alice = await person(TEST_WORDS);
    await alice.fund(alpha(), 700);
    await alice.fund(beta(), 300);
    const first = await alice.social.backupWallet();
    expect(first).toMatchObject({ mints: 2, tokenEvents: 2, amount: 1000, replaced: 0 });
    // Spend some, back up again: the first token events are deleted (NIP-09, k 7375).
    await alice.ecash.send({ mintUrl: alpha(), unit: 'sat', amount: 100 });
    const second = await alice.social.backupWallet();
    expect(second.replaced).toBe(2);
    expect(second.amount).toBe(alice.spendable(alpha()) + alice.spendable(beta()));
    const pool = alice.nostr.relayPool()!;
    const tokens = await pool.query([{ kinds: [7375], authors: [alice.pubkey] }], [relay.url], 2000);
    expect(tokens).toHaveLength(2);
    // Nothing readable on the relay: the proofs are NIP-44 encrypted to Alice's own key.
    for (const e of tokens) expect(e.content).not.toContain('secret');
    const [wallet] = await pool.query([{ kinds: [17375], authors: [alice.pubkey] }], [relay.url], 2000);
    expect(JSON.parse(alice.nostr.decryptFromSelf(wallet!.content))).toContainEqual([
      'privkey',
      alice.ecash.p2pkPrivateKeyHex(),
    ]);

    // The original wallet holds every proof already: restoring claims nothing.
    const same = await alice.social.restoreWallet();
    expect(same.operations).toEqual([]);
    expect(same.alreadyHeld).toBeGreaterThan(0);

    // Same NOSTR key, other recovery words (NUT-09 could not find these proofs): NIP-60 can.
    const elsewhere = await person(FRESH_WORDS, { nsec: nsecOf(alice) });
    // Someone locked a token to the nutzap key Alice's kind 10019 named, before she moved: the
    // new words hold another key, so only the backup's key can open it.
    const carol = await person(BOB_WORDS);
    await carol.fund(alpha(), 200);
    const toOldKey = await carol.ecash.send({
      mintUrl: alpha(),
      unit: 'sat',
      amount: 50,
      lock: { to: alice.ecash.p2pkPublicKey() },
    });
    expect(elsewhere.ecash.p2pkPublicKey()).not.toBe(alice.ecash.p2pkPublicKey());
    expect(elsewhere.ecash.decodeToken(toOldKey.token).lock).toBe('other');
    const restored = await elsewhere.social.restoreWallet();
    expect([...restored.mintsAdded].sort()).toEqual([alpha(), beta()].sort());
    expect(restored.errors).toEqual([]);
    expect(restored.operations.every((o) => o.state === 'claimed')).toBe(true);
    const fees = restored.operations.reduce((s, o) => s + o.fee, 0);
    expect(elsewhere.spendable(alpha()) + elsewhere.spendable(beta())).toBe(second.amount - fees);
    // The backup's nutzap key came along: the token locked to it opens here now.
    expect(elsewhere.ecash.decodeToken(toOldKey.token).lock).toBe('us');
    const opened = await elsewhere.ecash.receive(toOldKey.token);
    expect(opened.state).toBe('claimed');
    expect((await elsewhere.social.restoreWallet()).operations).toEqual([]);
    // Those proofs moved to the new wallet: the old one's are spent at the mint now (a locked
    // send always swaps, so the mint is asked).
    expect(
      await codeOf(
        alice.ecash.send({
          mintUrl: beta(),
          unit: 'sat',
          amount: 250,
          lock: { to: alice.ecash.p2pkPublicKey() },
        }),
      ),
    ).toBe('ECASH_ALREADY_SPENT');
  });

  it('NIP-60: once backed up, the backup follows the balance (debounced), never while locked, and restores the current balance', async () => {
    const alice = await person(TEST_WORDS, { backupDebounceMs: 20 });
    const bob = await person(BOB_WORDS);
    await bob.fund(alpha(), 1000);
    await alice.fund(alpha(), 400);
    // No backup made yet: a balance change publishes nothing.
    await new Promise((r) => setTimeout(r, 200));
    expect(await backupOnRelay(alice)).toEqual({ ids: [], secrets: [] });

    await alice.social.backupWallet();
    const first = await backupOnRelay(alice);
    expect(first.secrets).toEqual(heldSecrets(alice));

    // Receiving and minting eCash: a newer backup holds the new proofs; the old events are deleted.
    const token = await bob.ecash.send({ mintUrl: alpha(), unit: 'sat', amount: 150 });
    await alice.ecash.receive(token.token);
    await alice.fund(beta(), 250);
    const second = await until(async () => {
      const now = await backupOnRelay(alice);
      return sameList(now.secrets, heldSecrets(alice)) ? now : null;
    }, 60_000);
    expect(second.ids.some((id) => first.ids.includes(id))).toBe(false);
    // The relay honoured the NIP-09 deletion: the old events are not served any more.
    const pool = alice.nostr.relayPool()!;
    expect(await pool.query([{ ids: first.ids }], [relay.url], 2000)).toEqual([]);

    // Locked before the debounce ends: nothing is published until the vault opens again.
    const locked = await bob.ecash.send({ mintUrl: alpha(), unit: 'sat', amount: 60 });
    await alice.ecash.receive(locked.token);
    alice.vault.lock();
    await new Promise((r) => setTimeout(r, 300));
    expect(await tokenEventIds(alice)).toEqual(second.ids);
    await alice.vault.unlock('ecash social password');
    const third = await until(async () => {
      const now = await backupOnRelay(alice);
      return sameList(now.secrets, heldSecrets(alice)) ? now : null;
    }, 60_000);
    expect(third.ids.some((id) => second.ids.includes(id))).toBe(false);

    // A fresh profile (same NOSTR key, other words) restores the balance held now.
    const total = alice.spendable(alpha()) + alice.spendable(beta());
    const elsewhere = await person(FRESH_WORDS, { nsec: nsecOf(alice) });
    // Someone locked a token to the nutzap key Alice's kind 10019 named, before she moved: the
    // new words hold another key, so only the backup's key can open it.
    const carol = await person(BOB_WORDS);
    await carol.fund(alpha(), 200);
    const toOldKey = await carol.ecash.send({
      mintUrl: alpha(),
      unit: 'sat',
      amount: 50,
      lock: { to: alice.ecash.p2pkPublicKey() },
    });
    expect(elsewhere.ecash.p2pkPublicKey()).not.toBe(alice.ecash.p2pkPublicKey());
    expect(elsewhere.ecash.decodeToken(toOldKey.token).lock).toBe('other');
    const restored = await elsewhere.social.restoreWallet();
    expect(restored.errors).toEqual([]);
    expect(restored.operations.length).toBeGreaterThan(0);
    expect(restored.operations.every((o) => o.state === 'claimed')).toBe(true);
    const fees = restored.operations.reduce((s, o) => s + o.fee, 0);
    expect(elsewhere.spendable(alpha()) + elsewhere.spendable(beta())).toBe(total - fees);
  }, 240_000);

  it('NIP-60: a backup of another wallet on the same NOSTR key is neither kept current nor deleted', async () => {
    const alice = await person(TEST_WORDS, { backupDebounceMs: 20 });
    await alice.fund(alpha(), 300);
    await alice.social.backupWallet();
    const alicesBackup = await backupOnRelay(alice);
    expect(alicesBackup.ids.length).toBeGreaterThan(0);

    // Another wallet (other words) on Alice's NOSTR key, before restoring anything: its balance
    // changes publish nothing, and a backup made by hand leaves Alice's token events in place.
    const other = await person(FRESH_WORDS, { nsec: nsecOf(alice), backupDebounceMs: 20 });
    await other.fund(beta(), 100);
    await new Promise((r) => setTimeout(r, 300));
    expect((await backupOnRelay(alice)).ids).toEqual(alicesBackup.ids);
    const byHand = await other.social.backupWallet();
    expect(byHand.replaced).toBe(0);
    const both = await backupOnRelay(alice);
    for (const id of alicesBackup.ids) expect(both.ids).toContain(id);
    expect(both.secrets).toEqual([...heldSecrets(alice), ...heldSecrets(other)].sort());
  }, 240_000);

  it('refuses cleanly: no backup on the relays, a recipient that is not a key', async () => {
    const alice = await person(TEST_WORDS);
    expect(await codeOf(alice.social.restoreWallet())).toBe('ECASH_NO_BACKUP');
    expect(await codeOf(alice.social.sendInChat({ to: 'npub1notakey', unit: 'sat', amount: 1 }))).toBe(
      'NOSTR_INVALID_KEY',
    );
  });
});

/** The NIP-60 token events on the relay (deleted ones gone) and the proof secrets they hold. */
async function backupOnRelay(p: EcashPerson): Promise<{ ids: string[]; secrets: string[] }> {
  const events = await p.nostr
    .relayPool()!
    .query([{ kinds: [7375], authors: [p.pubkey] }], [relay.url], 2000);
  const secrets = events.flatMap(
    (e) => (JSON.parse(p.nostr.decryptFromSelf(e.content)) as { proofs: { secret: string }[] }).proofs,
  );
  return { ids: events.map((e) => e.id).sort(), secrets: secrets.map((x) => x.secret).sort() };
}

function heldSecrets(p: EcashPerson): string[] {
  return p.ecash
    .heldProofs()
    .flatMap((h) => h.proofs.map((x) => x.secret))
    .sort();
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Only ids: they can be read while the vault is locked. */
async function tokenEventIds(p: EcashPerson): Promise<string[]> {
  const events = await p.nostr
    .relayPool()!
    .query([{ kinds: [7375], authors: [p.pubkey] }], [relay.url], 2000);
  return events.map((e) => e.id).sort();
}

function nsecOf(p: EcashPerson): string {
  const id = p.nostr.getIdentity()!;
  // The vault holds the key under the NOSTR service's name for it (as the NOSTR tests read it).
  return nsecEncode(p.vault.getSecret(`nostr:${id.id}:nsec`));
}
