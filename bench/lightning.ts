import crypto from 'node:crypto';
import path from 'node:path';
import { decode as plainDecode } from 'light-bolt11-decoder';
import { createActivityService } from '../main/activity/service';
import { createJournal } from '../main/lightning/journal';
import type { LightningService } from '../main/lightning/service';
import { openDatabase } from '../main/store/database';
import { decodeBolt11 } from '../shared/lightning/bolt11';
import { parsePaymentInput } from '../shared/lightning/parse';
import { tempDir } from '../test/support/core';
import { LightningLedger } from '../test/stack/lightning/ledger';
import { fmtMs, printTable, ratio } from './stats';

const INVOICES = 2_000;
const PAYMENTS = 10_000;

function perSecond(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Best of three, after one warm-up round (JIT, caches). */
function best(fn: () => void): number {
  fn();
  return Math.min(time(fn), time(fn), time(fn));
}

/**
 * The pay box parser (checksum, fields, signature recovery, network and expiry checks) against a
 * plain BOLT11 decode that checks no signature (light-bolt11-decoder), on the same invoices; and
 * the activity feed over 10,000 journaled Lightning payments against a bare SELECT of the rows.
 */
export async function benchLightning(): Promise<void> {
  const ledger = new LightningLedger();
  ledger.createNode('bench');
  const invoices: string[] = [];
  for (let i = 0; i < INVOICES; i++)
    invoices.push(
      ledger.createInvoice('bench', {
        amountMsat: i % 5 === 0 ? null : BigInt(1000 + i * 7),
        description: `bench invoice ${i} ${'x'.repeat(i % 80)}`,
        expirySeconds: 3600,
      }).bolt11,
    );
  ledger.close();

  const plain = best(() => {
    for (const inv of invoices) plainDecode(inv);
  });
  const ours = best(() => {
    for (const inv of invoices) decodeBolt11(inv);
  });
  const parse = best(() => {
    for (const inv of invoices) parsePaymentInput(`lightning:${inv}`, { network: 'regtest' });
  });
  printTable(
    `Lightning: parsing ${INVOICES.toLocaleString('en-US')} BOLT11 invoices`,
    ['path', 'total', 'per invoice', 'throughput', 'vs plain decode'],
    [
      [
        'plain decode (light-bolt11-decoder, no signature check)',
        fmtMs(plain),
        fmtMs(plain / INVOICES),
        perSecond(INVOICES, plain),
        '1.00×',
      ],
      [
        'decodeBolt11 (fields + signature recovery)',
        fmtMs(ours),
        fmtMs(ours / INVOICES),
        perSecond(INVOICES, ours),
        ratio(ours, plain),
      ],
      [
        'parsePaymentInput (pay box: + scheme, network, expiry)',
        fmtMs(parse),
        fmtMs(parse / INVOICES),
        perSecond(INVOICES, parse),
        ratio(parse, plain),
      ],
    ],
  );

  // ---- the feed over 10,000 payments
  const db = openDatabase(path.join(tempDir('flash-bench-ln-'), 'flash.db'));
  const journal = createJournal(db, () => Date.now());
  const t0 = 1_700_000_000;
  db.transaction(() => {
    for (let i = 0; i < PAYMENTS; i++) {
      journal.insertIfAbsent({
        id: crypto.randomUUID(),
        paymentHash: crypto.randomBytes(32).toString('hex'),
        direction: i % 3 === 0 ? 'incoming' : 'outgoing',
        providerId: 'bench',
        providerKind: 'lnd',
        network: 'regtest',
        state: i % 50 === 0 ? 'failed' : 'succeeded',
        amountMsat: BigInt(1000 + i),
        feeMsat: BigInt(i % 7),
        description: `payment ${i}`,
        counterparty: i % 2 === 0 ? 'coffee@example.com' : null,
        createdAt: t0 + i,
        settledAt: t0 + i,
      });
    }
  })();
  const lightning: Pick<LightningService, 'journalRows' | 'journalCount'> = {
    journalRows: (limit, offset) => journal.list('regtest', limit, offset),
    journalCount: () => journal.count('regtest'),
  };
  const activity = createActivityService({
    wallet: { activity: () => ({ items: [], total: 0 }) },
    coins: { labels: () => [] },
    lightning,
  });
  const bareFirst = best(() => {
    db.prepare('SELECT * FROM lightning_payments WHERE network = ? ORDER BY created_at DESC LIMIT 50').all(
      'regtest',
    );
  });
  const feedFirst = best(() => {
    activity.feed({ walletId: null, rail: 'all', limit: 50, offset: 0 });
  });
  const bareAll = best(() => {
    db.prepare('SELECT * FROM lightning_payments WHERE network = ? ORDER BY created_at DESC').all('regtest');
  });
  let listed = 0;
  const feedAll = best(() => {
    listed = 0;
    for (let offset = 0; offset < PAYMENTS; offset += 500)
      listed += activity.feed({ walletId: null, rail: 'lightning', limit: 500, offset }).items.length;
  });
  const csv = best(() => {
    activity.exportCsv({ walletId: null, rail: 'all' });
  });
  db.close();
  printTable(
    `Lightning: the activity feed over ${PAYMENTS.toLocaleString('en-US')} journaled payments (${listed.toLocaleString('en-US')} listed)`,
    ['operation', 'time', 'bare SELECT of the same rows', 'vs bare'],
    [
      ['first page (50, newest first)', fmtMs(feedFirst), fmtMs(bareFirst), ratio(feedFirst, bareFirst)],
      ['all 10,000, paged by 500', fmtMs(feedAll), fmtMs(bareAll), ratio(feedAll, bareAll)],
      ['CSV export of all', fmtMs(csv), fmtMs(bareAll), ratio(csv, bareAll)],
    ],
  );
}
