import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { createNwcProvider } from '../../main/lightning/nwc/provider';
import { poolPort } from '../../main/lightning/nwc/relays';
import { parseNwcUri } from '../../main/lightning/nwc/uri';
import type { ValidZap } from '../../main/nostr/zap-receipt';
import type { ZapLnurlPort, ZapPaymentPort } from '../../main/nostr/zap-service';
import { createZapService } from '../../main/nostr/zap-service';
import { isFlashError } from '../../shared/errors';
import { decodeBolt11 } from '../../shared/lightning/bolt11';
import { LightningLedger } from '../stack/lightning/ledger';
import { startNwcWallet } from '../stack/lightning/nwc-wallet';
import { startZapServer } from '../stack/lightning/zap-server';
import type { NostrUser } from '../support/stack-app';
import { startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';

const suite = useNostrSuite('flash-zaps-');
const SAT = 1000n;

/** LUD-06/16 over plain HTTP, as the stack serves it (the app's own LNURL client does the real checks). */
const httpLnurl: ZapLnurlPort = {
  async payRequest(target) {
    const [name, domain] = target.split('@');
    const res = await fetch(`http://${domain}/.well-known/lnurlp/${name}`);
    const body = (await res.json()) as Record<string, unknown>;
    return {
      url: `http://${domain}/.well-known/lnurlp/${name}`,
      callback: String(body.callback),
      minSendableMsat: BigInt(Number(body.minSendable)),
      maxSendableMsat: BigInt(Number(body.maxSendable)),
      allowsNostr: body.allowsNostr === true,
      nostrPubkey: typeof body.nostrPubkey === 'string' ? body.nostrPubkey : null,
    };
  },
  async fetchInvoice(callback, params) {
    const url = new URL(callback);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const body = (await (await fetch(url)).json()) as { pr?: string; reason?: string };
    if (!body.pr) throw new Error(body.reason ?? 'no invoice');
    return body.pr;
  },
};

async function setup() {
  const r1 = await suite.relay();
  const r2 = await suite.relay();
  const ledger = new LightningLedger();
  suite.cleanup.add(() => ledger.close());
  ledger.createNode('bob-wallet', { balanceMsat: 0n });
  const zapServer = await startZapServer({ ledger });
  suite.cleanup.add(() => zapServer.stop());
  const lud16 = zapServer.addUser('bob', 'bob-wallet');

  const bob = await startNostrUser(suite.dir, 'bob', [r1.url, r2.url], {
    cleanup: suite.cleanup,
    setRelays: 'expect-ok',
  });
  await bob.nostr.updateProfile({ name: 'Bob', lud16 });
  const carol = await startNostrUser(suite.dir, 'carol', [r1.url], {
    cleanup: suite.cleanup,
    setRelays: 'expect-ok',
  });
  const alice = await startNostrUser(suite.dir, 'alice', [r1.url, r2.url], {
    cleanup: suite.cleanup,
    setRelays: 'expect-ok',
  });

  // Alice's Lightning: an NWC wallet on the ledger, reached through her relay pool.
  const wallet = await startNwcWallet({
    ledger,
    node: 'alice-wallet',
    relays: [r2.url],
    variant: 'nip44',
    balanceMsat: 100_000n * SAT,
  });
  suite.cleanup.add(() => wallet.stop());
  const uri = parseNwcUri(wallet.uri);
  const provider = createNwcProvider({
    walletPubkey: uri.walletPubkey,
    relays: uri.relays,
    secret: () => uri.secret,
    port: poolPort(alice.nostr),
    log: silentLogger,
  });
  await provider.connect();
  suite.cleanup.add(() => provider.disconnect());
  const paid: { bolt11: string; counterparty: string }[] = [];
  const payments: ZapPaymentPort = {
    async pay({ bolt11, counterparty }) {
      paid.push({ bolt11, counterparty });
      const d = decodeBolt11(bolt11);
      const p = await provider.sendPayment(
        await provider.preparePayment({
          target: { kind: 'bolt11', invoice: bolt11, paymentHash: d.paymentHash, amountMsat: d.amountMsat },
        }),
      );
      return { paymentId: p.paymentHash, paymentHash: p.paymentHash, state: p.state };
    },
  };
  const seen: ValidZap[] = [];
  const zapsOf = (user: NostrUser) => {
    const z = createZapService({
      nostr: user.nostr,
      lnurl: httpLnurl,
      payments,
      log: silentLogger,
      queryTimeoutMs: 2000,
      onZap: (zap) => seen.push(zap),
    });
    suite.cleanup.add(() => z.stop());
    return z;
  };
  return { ledger, zapServer, bob, carol, alice, zaps: zapsOf(alice), zapsOf, paid, seen, lud16 };
}

describe('zaps (NIP-57) end to end over real relays and the ledger', () => {
  it('Alice zaps Bob: the invoice commits to her request, Bob is paid, the receipt is valid and seen', async () => {
    const { ledger, bob, alice, zaps, seen, paid, lud16, zapServer } = await setup();
    // Alice has never seen Bob's profile: it is fetched from the relays.
    const out = await zaps.zap({ recipient: bob.pubkey, amountSats: 2100, comment: 'Great talk!' });
    expect(out.state).toBe('succeeded');
    expect(paid[0]?.counterparty).toBe(lud16);
    expect(ledger.balance('bob-wallet').balanceMsat).toBe(2100n * SAT);

    const live = await until('the receipt arrives live', () => seen.find((z) => z.recipient === bob.pubkey));
    expect(live).toMatchObject({
      sender: alice.pubkey,
      amountMsat: 2100n * SAT,
      comment: 'Great talk!',
      eventId: null,
    });
    const listed = await zaps.receipts({ recipient: bob.pubkey });
    expect(listed).toHaveLength(1);
    expect(listed[0]?.receiptId).toBe(zapServer.receipts()[0]?.id);
    expect(lud16.startsWith('bob@127.0.0.1:')).toBe(true);
  });

  it('zaps a channel post, and its receipts are found by the post', async () => {
    const { bob, zaps } = await setup();
    const { channel } = await bob.nostr.createChannel({ name: 'Bitcoin chat' });
    const { post } = await bob.nostr.postToChannel({ channelId: channel.id, text: 'Lightning is fast' });
    await zaps.zap({ recipient: bob.pubkey, event: { id: post.id, kind: 42 }, amountSats: 21, comment: '' });
    let forPost: ValidZap[] = [];
    for (let i = 0; i < 50 && forPost.length === 0; i++) {
      forPost = await zaps.receipts({ eventIds: [post.id] });
      if (forPost.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(forPost[0]).toMatchObject({ eventId: post.id, amountMsat: 21n * SAT, recipient: bob.pubkey });
  });

  it('an invoice for another amount is refused before paying (ZAP_BAD_INVOICE)', async () => {
    const { ledger, bob, zaps, zapServer, paid } = await setup();
    zapServer.fault = 'wrong-amount';
    const err = await zaps
      .zap({ recipient: bob.pubkey, amountSats: 500, comment: '' })
      .catch((e: unknown) => e);
    expect(isFlashError(err) && err.code).toBe('ZAP_BAD_INVOICE');
    expect(paid).toHaveLength(0);
    expect(ledger.listPayments('alice-wallet')).toHaveLength(0);
  });

  it('a Lightning address without NOSTR support, or no address at all, is refused with a typed error', async () => {
    const { bob, carol, zaps, zapServer } = await setup();
    zapServer.fault = 'no-nostr';
    const noNostr = await zaps
      .zap({ recipient: bob.pubkey, amountSats: 500, comment: '' })
      .catch((e: unknown) => e);
    expect(isFlashError(noNostr) && noNostr.code).toBe('ZAP_NOT_SUPPORTED');
    const noAddress = await zaps
      .zap({ recipient: carol.pubkey, amountSats: 500, comment: '' })
      .catch((e: unknown) => e);
    expect(isFlashError(noAddress) && noAddress.code).toBe('ZAP_NO_LIGHTNING_ADDRESS');
  });

  it('a receipt signed by anyone but the LNURL server’s nostrPubkey is not shown', async () => {
    const { ledger, bob, zaps, zapServer, seen } = await setup();
    zapServer.fault = 'wrong-signer';
    const out = await zaps.zap({ recipient: bob.pubkey, amountSats: 1000, comment: 'forged?' });
    expect(out.state).toBe('succeeded');
    expect(ledger.balance('bob-wallet').balanceMsat).toBe(1000n * SAT);
    await until('the server published its receipt', () =>
      zapServer.receipts().length > 0 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await zaps.receipts({ recipient: bob.pubkey })).toEqual([]);
    expect(seen).toEqual([]);
  });
});
