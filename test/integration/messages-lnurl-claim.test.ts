import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { bech32 } from '@scure/base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlashError } from '../../shared/errors';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createLnurlHttp } from '../../main/lightning/lnurl/http';
import type { LightningService } from '../../main/lightning/service';
import { createLightningService } from '../../main/lightning/service';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import { BridgeCallError } from '../../renderer/app/result';
import { claimAmountMsat, claimProblemOf } from '../../renderer/features/messages/lnurl-claim';
import { ledgerKind } from '../support/ledger-provider';
import { tempDir } from '../support/core';
import { until } from '../support/wait';
import { LightningLedger } from '../stack/lightning/ledger';
import type { LnurlServer } from '../stack/lightning/lnurl-server';
import { startLnurlServer } from '../stack/lightning/lnurl-server';

/**
 * The chat's claim card end to end below the UI: what main answers for a withdraw link (the card's
 * facts), the claim through the Lightning rail, and every failure the card puts in words, sorted
 * from the errors main really raises against an LNURL service.
 */

const ROOT = HDKey.fromMasterSeed(
  mnemonicToSeedSync(
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  ),
);

let ledger: LightningLedger;
let lnurl: LnurlServer;
let other: http.Server;
let otherUrl: string;
let dir: string;
const open: { db: Db; lightning: LightningService }[] = [];

function lnurlOf(url: string): string {
  return bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), 2000).toUpperCase();
}

/** A customer's Flash: the Lightning service, with the ledger node `me` as its LND when asked. */
async function customer(withWallet: boolean): Promise<LightningService> {
  const db = openDatabase(path.join(dir, `flash-${open.length}.db`));
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  await vault.setup('correct horse battery');
  const lightning = createLightningService({
    db,
    vault,
    bus,
    log: silentLogger,
    network: () => 'regtest',
    kinds: { lnd: ledgerKind(ledger, 'me') },
    proxy: () => null,
    walletRoot: () => ROOT,
    lnurlGet: createLnurlHttp({ network: () => 'regtest', proxy: () => null }),
    reconcileEveryMs: 50,
  });
  lightning.start();
  open.push({ db, lightning });
  if (withWallet) await lightning.connectProvider({ kind: 'lnd', lndconnect: 'lndconnect://x:1?macaroon=y' });
  return lightning;
}

/** What the card shows for a failed open or claim. */
async function problemOf(p: Promise<unknown>): Promise<ReturnType<typeof claimProblemOf>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FlashError);
  return claimProblemOf(new BridgeCallError((err as FlashError).toBridge()));
}

beforeEach(async () => {
  dir = tempDir('flash-lnclaim-');
  ledger = new LightningLedger({ settleDelayMs: 5, stuckMs: 300 });
  ledger.createNode('me', { balanceMsat: 1_000_000n });
  lnurl = await startLnurlServer({ ledger });
  // A service that no longer knows a link (as BTCPay after a pull payment expired), and one whose
  // link is spent (a withdrawRequest with nothing left, as BTCPay once a reward was paid out).
  other = http.createServer((req, res) => {
    if (req.url === '/spent') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          tag: 'withdrawRequest',
          callback: `${otherUrl}/spent`,
          k1: 'k1',
          minWithdrawable: 0,
          maxWithdrawable: 0,
          defaultDescription: 'Reward for order 7',
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.lightning.stop();
    h.db.close();
  }
  await lnurl.stop();
  await new Promise((resolve) => other.close(resolve));
  ledger.close();
});

describe('claiming an LNURL-withdraw from a chat message', () => {
  it('shows the service’s range and description, claims all of it into the default wallet, journaled', async () => {
    const lightning = await customer(true);
    const link = lnurl.withdrawLink({ minMsat: 1000n, maxMsat: 500_000n, description: '500 sats back' });
    const view = await lightning.describe(link.lnurl);
    expect(view).toEqual({
      kind: 'lnurl-withdraw',
      withdraw: {
        domain: '127.0.0.1',
        defaultDescription: '500 sats back',
        minWithdrawableMsat: '1000',
        maxWithdrawableMsat: '500000',
      },
    });
    if (view.kind !== 'lnurl-withdraw') throw new Error('not a withdraw');
    const amount = claimAmountMsat(view.withdraw.minWithdrawableMsat, view.withdraw.maxWithdrawableMsat);
    expect(amount).toBe('500000');
    const { paymentId } = await lightning.withdraw(link.lnurl, BigInt(amount ?? '0'));
    await until('the service to pay', () => lightning.getPayment(paymentId).state === 'succeeded');
    expect(lightning.getPayment(paymentId)).toMatchObject({
      direction: 'incoming',
      origin: 'lnurl-withdraw',
      amountMsat: '500000',
      counterparty: '127.0.0.1',
    });
    expect(ledger.balance('me').balanceMsat).toBe(1_500_000n);

    // The same link pressed again (another copy of the message): the service says it is used.
    expect(await problemOf(lightning.withdraw(link.lnurl, 500_000n))).toMatchObject({
      problem: 'already-claimed',
      domain: '127.0.0.1',
    });
  });

  it('says so when no Lightning wallet is set up, and nothing is asked of the service', async () => {
    const lightning = await customer(false);
    const link = lnurl.withdrawLink({ minMsat: 1000n, maxMsat: 2000n });
    expect(await problemOf(lightning.withdraw(link.lnurl, 2000n))).toMatchObject({ problem: 'no-provider' });
    // The link is still unused: a claim once a wallet is connected works.
    await lightning.connectProvider({ kind: 'lnd', lndconnect: 'lndconnect://x:1?macaroon=y' });
    const { paymentId } = await lightning.withdraw(link.lnurl, 2000n);
    await until('the service to pay', () => lightning.getPayment(paymentId).state === 'succeeded');
  });

  it('tells a spent link, an expired (gone) link and an unreachable service apart', async () => {
    const lightning = await customer(true);
    expect(await problemOf(lightning.describe(lnurlOf(`${otherUrl}/spent`)))).toMatchObject({
      problem: 'already-claimed',
      domain: '127.0.0.1',
    });
    expect(await problemOf(lightning.describe(lnurlOf(`${otherUrl}/pp/expired`)))).toMatchObject({
      problem: 'expired',
    });
    await new Promise((resolve) => other.close(resolve));
    other = http.createServer();
    expect(await problemOf(lightning.describe(lnurlOf(`${otherUrl}/spent`)))).toMatchObject({
      problem: 'unreachable',
      domain: '127.0.0.1',
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  });
});
