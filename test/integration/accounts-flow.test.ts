import { describe, expect, it } from 'vitest';
import { networks, payments, Transaction } from 'bitcoinjs-lib';
import type { AccountExport, SendDraft, WalletSummary } from '../../shared/contract';
import { deriveAccountKeys, describeAccount } from '../../main/bitcoin/accounts/account';
import { importPsbt, signPsbtWithMnemonic } from '../../main/bitcoin/send/psbt';
import {
  call,
  codeOf,
  overview,
  PASSWORD,
  type StackCore,
  untilCore,
  useStackCores,
} from '../support/stack-core';

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const OTHER_WORDS = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const OUTSIDE = payments.p2wpkh({ hash: new Uint8Array(20).fill(0x42), network: networks.regtest }).address!;

const regtest = useStackCores({
  onStart: (stack) => {
    // Every signature our accounts make is checked as a node would (BIP143, BIP341, legacy).
    stack.chain.checkScripts = true;
  },
});
const { startCore } = regtest;

async function fund(core: StackCore, walletId: string, sats: number): Promise<string> {
  await untilCore('first sync', async () => (await overview(core, walletId)).sync.phase === 'synced');
  const { address } = (await overview(core, walletId)).receive;
  regtest.stack.chain.send(address, sats);
  regtest.stack.chain.mine(1);
  await untilCore('funds confirmed', async () => (await overview(core, walletId)).balance.confirmed === sats);
  return address;
}

/** Sends to an outside address and checks the node accepted the signatures and the fee rate holds. */
async function sendAndConfirm(core: StackCore, walletId: string): Promise<SendDraft> {
  const draft = await call<SendDraft>(core, 'send.prepare', {
    walletId,
    outputs: [{ address: OUTSIDE, sats: 30_000 }],
    feeRate: 2,
  });
  const sent = await call<{ txid: string }>(core, 'send.confirm', { draftId: draft.draftId });
  expect(regtest.stack.chain.mempoolTxids()).toContain(sent.txid);
  const actualVsize = Transaction.fromHex(regtest.stack.chain.transactionHex(sent.txid) ?? '').virtualSize();
  // The estimate is an upper bound (DER signatures vary by a byte), and never far off.
  expect(draft.vsize).toBeGreaterThanOrEqual(actualVsize);
  expect(draft.vsize - actualVsize).toBeLessThanOrEqual(2);
  regtest.stack.chain.mine(1);
  await untilCore('send confirmed', async () => {
    const o = await overview(core, walletId);
    return o.balance.unconfirmed === 0 && o.balance.confirmed === 100_000 - 30_000 - draft.feeSats;
  });
  return draft;
}

describe('accounts of every type on the regtest stack', () => {
  it('derives BIP44/49/84/86 accounts from one set of words, receives and spends from each', async () => {
    const core = await startCore();
    const root = await call<WalletSummary>(core, 'wallet.restore', { words: WORDS.split(' '), name: 'Main' });
    expect(root).toMatchObject({
      accountType: 'bip84',
      signer: 'seed',
      seedWalletId: root.id,
      accountPath: "m/84'/1'/0'",
    });
    expect(root.gapLimit).toEqual({ receive: 20, change: 10 });

    const prefixes = { bip44: /^[mn]/, bip49: /^2/, bip84: /^bcrt1q/, bip86: /^bcrt1p/ } as const;
    for (const type of ['bip86', 'bip49', 'bip44'] as const) {
      const account = await call<WalletSummary>(core, 'wallet.addAccount', {
        seedWalletId: root.id,
        accountType: type,
        accountIndex: 0,
        name: type,
      });
      expect(account).toMatchObject({ accountType: type, signer: 'seed', seedWalletId: root.id });
      expect(account.fingerprint).toBe(root.fingerprint);
      const address = await fund(core, account.id, 100_000);
      expect(address).toMatch(prefixes[type]);
      const draft = await sendAndConfirm(core, account.id);
      const change = draft.outputs.find((o) => o.change);
      expect(change?.address).toMatch(prefixes[type]);
    }
    // The same account twice is refused; the words' holder cannot be removed.
    expect(
      await codeOf(
        call(core, 'wallet.addAccount', {
          seedWalletId: root.id,
          accountType: 'bip86',
          accountIndex: 0,
          name: 'x',
        }),
      ),
    ).toBe('WALLET_EXISTS');
    expect(await codeOf(call(core, 'wallet.remove', { walletId: root.id }))).toBe('ACCOUNT_HOLDS_WORDS');
    // Extra accounts share the root's recovery words.
    const list = await call<WalletSummary[]>(core, 'wallet.list');
    expect(list).toHaveLength(4);
    const taproot = list.find((w) => w.accountType === 'bip86')!;
    const words = await call<{ words: string[] }>(core, 'vault.revealRecoveryWords', {
      walletId: taproot.id,
      password: PASSWORD,
    });
    expect(words.words.join(' ')).toBe(WORDS);
  }, 120_000);

  it('watches an account from a descriptor, refuses to sign it, and broadcasts it once signed elsewhere', async () => {
    const core = await startCore();
    const keys = deriveAccountKeys(OTHER_WORDS, '', 'regtest', 'bip86', 3);
    const { descriptors } = describeAccount({
      type: 'bip86',
      network: 'regtest',
      xpub: keys.xpub,
      fingerprint: keys.fingerprint,
      path: keys.path,
    });

    // Bad input first: each gets its own typed error.
    const bad = (key: string) => codeOf(call(core, 'wallet.importWatchOnly', { name: 'Bad', key }));
    expect(await bad(descriptors.multipath.replace(/#\w+$/, '#aaaaaaaa'))).toBe('DESCRIPTOR_BAD_CHECKSUM');
    expect(
      await bad(
        'xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8',
      ),
    ).toBe('XPUB_WRONG_NETWORK');
    expect(
      await bad(
        'tprv8ZgxMBicQKsPd9TeAdPADNnSyH9SSUUbTVeFszDE23Ki6TBB5nCefAdHkK8Fm3qMQR6sHwA56zqRmKmxnHk37JkiFzvncDqoKmPWubu7hDF',
      ),
    ).toBe('XPUB_IS_PRIVATE');
    expect(await bad('not a key at all')).toMatch(/^(XPUB_INVALID|DESCRIPTOR_INVALID)$/);

    const watch = await call<WalletSummary>(core, 'wallet.importWatchOnly', {
      name: 'Cold',
      key: descriptors.multipath,
    });
    expect(watch).toMatchObject({
      accountType: 'bip86',
      signer: 'watch',
      seedWalletId: null,
      fingerprint: keys.fingerprint,
      accountPath: "m/86'/1'/3'",
    });
    const exported = await call<AccountExport>(core, 'wallet.exportAccount', { walletId: watch.id });
    expect(exported.descriptors.multipath).toBe(descriptors.multipath);
    expect(
      await codeOf(call(core, 'vault.revealRecoveryWords', { walletId: watch.id, password: PASSWORD })),
    ).toBe('WATCH_ONLY');

    await fund(core, watch.id, 100_000);
    const draft = await call<SendDraft>(core, 'send.prepare', {
      walletId: watch.id,
      outputs: [{ address: OUTSIDE, sats: 30_000 }],
      feeRate: 2,
    });
    expect(await codeOf(call(core, 'send.confirm', { draftId: draft.draftId }))).toBe('WATCH_ONLY');

    // The "other device": signs the exported PSBT with the words this app never saw.
    const psbt = importPsbt(draft.psbtBase64, 'regtest');
    const { signedInputs } = signPsbtWithMnemonic(
      psbt,
      { mnemonic: OTHER_WORDS, passphrase: '' },
      {
        network: 'regtest',
        xpub: keys.xpub,
        fingerprint: keys.fingerprint,
        accountPath: keys.path,
        scriptType: 'tr',
      },
    );
    expect(signedInputs).toBe(draft.inputs.length);
    // The node really checks: one flipped signature bit and the spend is refused.
    const tampered = psbt.clone();
    tampered.finalizeAllInputs();
    const tx = tampered.extractTransaction();
    const sig = tx.ins[0]!.witness[0]!;
    sig[10] = (sig[10] ?? 0) ^ 1;
    expect(() => regtest.stack.chain.broadcast(tx.toHex())).toThrow(/mandatory-script-verify-flag-failed/);
    const signed = await call<SendDraft>(core, 'send.importPsbt', {
      walletId: watch.id,
      data: psbt.toBase64(),
    });
    const sent = await call<{ txid: string }>(core, 'send.confirm', { draftId: signed.draftId });
    expect(regtest.stack.chain.mempoolTxids()).toContain(sent.txid);

    // Gap limit: widening it derives and watches more addresses at once.
    const wider = await call<WalletSummary>(core, 'wallet.setGapLimit', {
      walletId: watch.id,
      gapLimit: { receive: 40, change: 10 },
    });
    expect(wider.gapLimit.receive).toBe(40);

    // The picked account survives as the active one; a watch-only account can be removed.
    await call(core, 'wallet.setActive', { walletId: watch.id });
    expect((await call<{ activeWalletId: string }>(core, 'app.getState')).activeWalletId).toBe(watch.id);
    await call(core, 'wallet.remove', { walletId: watch.id });
    expect(await call<WalletSummary[]>(core, 'wallet.list')).toHaveLength(0);
  }, 120_000);
});
