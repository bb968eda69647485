import { randomBytes } from 'node:crypto';
import { Mint, OutputData, Wallet, createEphemeralCounterSource } from '@cashu/cashu-ts';
import { mnemonicToSeedSync } from '@scure/bip39';
import { startCashuStack } from '../test/stack/cashu';
import { LightningLedger } from '../test/stack/lightning/ledger';
import { ecashWallet, TEST_WORDS } from '../test/support/ecash';
import { fmtMs } from './stats';

/**
 * eCash figures, each beside a naive baseline measured in the same run:
 * - selecting and sending a token from a wallet of 10,000 proofs (sealed in SQLite) with the
 *   app's send, against a naive send that reads every proof and builds the token by first fit;
 * - a NUT-09 restore over 10,000 counters against the stand-in mint: the app's batches of 100
 *   (cashu-ts batchRestore), against asking the mint one counter at a time.
 */
export async function benchEcash(): Promise<void> {
  const ledger = new LightningLedger();
  ledger.createNode('stack', { balanceMsat: 100_000_000_000n });
  const cashu = await startCashuStack(ledger);
  const url = cashu.mints[1]!.url;
  const w = await ecashWallet(ledger);
  try {
    await w.ecash.addMint(url);
    // 10,000 proofs of 1..64 sats, stored as the app stores them (sealed). Selection and token
    // building never ask the mint, so the proofs need not be signed for this measure.
    const keysetId = w.ecash.listMints()[0]!.keysets.find((k) => k.active)!.id;
    const proofs = Array.from({ length: 10_000 }, (_, i) => ({
      id: keysetId,
      amount: 2 ** (i % 7),
      secret: randomBytes(32).toString('hex'),
      C: `02${randomBytes(32).toString('hex')}`,
    }));
    const t0 = performance.now();
    const { createEcashStore } = await import('../main/ecash/store');
    const { createSealer } = await import('../main/ecash/sealing');
    const store = createEcashStore(w.db, createSealer(w.vault));
    w.db.transaction(() => store.addProofs('regtest', url, 'sat', proofs, 'bench'))();
    const storeMs = performance.now() - t0;

    const a0 = performance.now();
    const sent = await w.ecash.send({ mintUrl: url, unit: 'sat', amount: 1234, offlineOnly: true });
    const appMs = performance.now() - a0;

    const n0 = performance.now();
    const rows = w.db.prepare(`SELECT sealed FROM ecash_proofs WHERE state = 'unspent'`).all() as {
      sealed: Uint8Array;
    }[];
    const sealer = createSealer(w.vault);
    const ys = w.db.prepare(`SELECT y FROM ecash_proofs WHERE state = 'unspent'`).all() as { y: string }[];
    const all = rows.map((r, i) => sealer.open<{ amount: number }>(`ecash.proof:${ys[i]!.y}`, r.sealed));
    let left = 1234;
    const chosen = [];
    for (const p of all) {
      if (p.amount > left) continue;
      chosen.push(p);
      left -= p.amount;
    }
    const naiveMs = performance.now() - n0;
    console.log(
      `\neCash: select and send 1,234 sats from a wallet of 10,000 proofs (stored sealed in ${fmtMs(storeMs)})` +
        `\n  naive first fit over every proof (baseline): ${fmtMs(naiveMs)}` +
        `\n  app send (offline exact, reserved, journaled, cashuB token of ${sent.token.length} chars): ${fmtMs(appMs)}` +
        `  (${(appMs / naiveMs).toFixed(2)}× the baseline)`,
    );

    // Restore over 10,000 counters: the first few signed (a 300-sat mint), the rest never used.
    const seed = mnemonicToSeedSync(TEST_WORDS);
    const user = new Wallet(new Mint(url), {
      unit: 'sat',
      bip39seed: seed,
      counterSource: createEphemeralCounterSource(),
    });
    // A kept-alive connection the mint closed while the event loop was busy answers ECONNRESET once.
    await user.loadMint().catch(() => user.loadMint());
    const quote = await user.createMintQuoteBolt11(300);
    await ledger.pay('stack', quote.request);
    await user.ops.mintBolt11(300, quote).asDeterministic(0).run();
    const fresh = new Wallet(new Mint(url), { unit: 'sat', bip39seed: seed });
    await fresh.loadMint().catch(() => fresh.loadMint());
    const r0 = performance.now();
    let batchedFound = 0;
    for (let start = 0; start < 10_000; start += 100)
      batchedFound += (await fresh.restore(start, 100)).proofs.length;
    const batchedMs = performance.now() - r0;
    const one0 = performance.now();
    let found = 0;
    for (let c = 0; c < 10_000; c++) {
      const data = OutputData.createSingleDeterministicData(1, seed, c, fresh.keysetId);
      const res = await fresh.mint.restore({ outputs: [data.blindedMessage] });
      found += res.signatures.length;
    }
    const oneMs = performance.now() - one0;
    console.log(
      `eCash: NUT-09 restore over 10,000 counters (the first few signed) against the stand-in mint` +
        `\n  one counter per request (baseline): ${fmtMs(oneMs)} (${found} found)` +
        `\n  app: batches of 100 outputs (as restore.ts asks): ${fmtMs(batchedMs)} (${batchedFound} found)` +
        `  (${(oneMs / batchedMs).toFixed(1)}× faster)`,
    );
  } finally {
    await w.close();
    await cashu.stop();
    ledger.close();
  }
}

if (process.argv[1]?.endsWith('bench/ecash.ts')) await benchEcash();
