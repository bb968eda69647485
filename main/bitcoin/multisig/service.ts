import { randomBytes } from 'node:crypto';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import type {
  CosignerInput,
  MultisigFileFormat,
  MultisigWallet,
  Network,
  SendDraft,
  SignatureProgress,
} from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import type { Logger } from '../../core/logger';
import type { Db } from '../../store/database';
import type { VaultService } from '../../vault/types';
import { formatPath, parsePath } from '../accounts/paths';
import { keyNetworkOf } from '../accounts/types';
import type { SendService } from '../send/service';
import { importPsbt as decodePsbt } from '../send/psbt';
import { createWalletReader } from '../send/wallet-reader';
import { networkParams } from '../wallet/networks';
import { readWords } from '../wallet/stored-words';
import type { WalletService } from '../wallet/types';
import { loadMultisigAccount, type MultisigAccount } from './account';
import { readWalletFile, writeBsms, writeCaravan, writeColdcard, writeSpecter } from './formats';
import { parseCosignerKey, requireFingerprint } from './keys';
import { checkPolicy, firstAddress, policyDescriptor, policyId } from './policy';
import { combineSignatures, signatureStatus, type PlaceOf } from './psbt';
import { createMultisigRepository } from './repository';
import { addressOfScript } from './scripts';
import { signMultisigWithWords } from './seed-signer';
import {
  bip48Path,
  type Cosigner,
  type CosignerKey,
  type MultisigPolicy,
  type MultisigScript,
} from './types';

export interface MultisigDeps {
  db: Db;
  wallets: WalletService;
  vault: VaultService;
  send: SendService;
  network: () => Network;
  log: Logger;
}

export interface MultisigService {
  importWallet(input: { name: string; text: string }): MultisigWallet;
  createWallet(input: {
    name: string;
    script: MultisigScript;
    threshold: number;
    cosigners: CosignerInput[];
  }): MultisigWallet;
  seedCosigner(input: { seedWalletId: string; script: MultisigScript; account: number }): CosignerKey;
  get(walletId: string): MultisigWallet;
  exportWallet(
    walletId: string,
    format: MultisigFileFormat,
  ): { format: MultisigFileFormat; text: string; fileName: string };
  signingProgress(draftId: string): SignatureProgress;
  signWithSeed(draftId: string, fingerprint: string): { draft: SendDraft; progress: SignatureProgress };
  addSignatures(draftId: string, data: string): { draft: SendDraft; progress: SignatureProgress };
  /** The wallet's signing account (policy, cosigners, scripts); null when it is not multisig. */
  account(walletId: string): MultisigAccount | null;
}

/** `[fingerprint/48h/1h/0h/2h]tpub…` with an optional `/<0;1>/*`, `/**` or `/0/*` tail. */
const KEY_WITH_ORIGIN =
  /^\[([0-9a-fA-F]{8})((?:\/\d+['hH]?)*)\]([1-9A-HJ-NP-Za-km-z]+)(\/<0;1>\/\*|\/\*\*|\/0\/\*)?$/;

/**
 * Multisig wallets: set up from cosigners or imported from any wallet file, exported in every
 * format, and signed cosigner by cosigner. The wallet itself is an account of the wallet service
 * (so sync, balances, coin control and the send flow are the single-key ones); this service keeps
 * its policy and cosigners, and adds signatures to the send flow's drafts.
 */
export function createMultisigService(deps: MultisigDeps): MultisigService {
  const repo = createMultisigRepository(deps.db);
  const reader = createWalletReader(deps.db);
  const log = deps.log;

  function requireMultisig(walletId: string): { account: MultisigAccount; network: Network } {
    const summary = deps.wallets.get(walletId);
    const account = loadMultisigAccount(deps.db, walletId, summary.network);
    if (!account) throw new FlashError('BAD_INPUT', 'This wallet is not a multisig wallet.', { walletId });
    return { account, network: summary.network };
  }

  function view(walletId: string): MultisigWallet {
    const wallet = deps.wallets.get(walletId);
    const row = repo.get(walletId);
    if (!row) throw new FlashError('BAD_INPUT', 'This wallet is not a multisig wallet.', { walletId });
    const policy = policyOf(row.script, row.threshold, row.cosigners, wallet.network);
    return {
      wallet,
      script: row.script,
      threshold: row.threshold,
      cosigners: row.cosigners.map((c) => ({
        label: c.label,
        kind: c.kind,
        fingerprint: c.fingerprint,
        path: c.path,
        xpub: c.xpub,
      })),
      descriptor: policyDescriptor(policy),
      firstAddress: firstAddress(policy, wallet.network, addressOfScript),
      ledgerRegistered: repo.registrations(walletId).map((r) => r.fingerprint),
    };
  }

  function policyOf(
    script: MultisigScript,
    threshold: number,
    keys: CosignerKey[],
    network: Network,
  ): MultisigPolicy {
    return {
      script,
      threshold,
      keys: keys.map((k) => ({ fingerprint: k.fingerprint, path: k.path, xpub: k.xpub })),
      network: keyNetworkOf(network),
    };
  }

  /** Adds the wallet row and its policy in one transaction; the same wallet twice is WALLET_EXISTS. */
  function addWallet(
    name: string,
    network: Network,
    policy: MultisigPolicy,
    cosigners: Cosigner[],
  ): MultisigWallet {
    const id = policyId(policy);
    for (const w of deps.wallets.list()) {
      if (w.network !== network || w.accountType !== 'multisig') continue;
      const other = repo.get(w.id);
      if (other && policyId(policyOf(other.script, other.threshold, other.cosigners, network)) === id) {
        throw new FlashError('WALLET_EXISTS', `This multisig wallet is already here as “${w.name}”.`, {
          walletId: w.id,
        });
      }
    }
    const walletId = randomBytes(8).toString('hex');
    deps.wallets.addMultisig({
      id: walletId,
      name,
      network,
      descriptor: policyDescriptor(policy),
      writeDetails: () =>
        repo.insert({ walletId, script: policy.script, threshold: policy.threshold, cosigners }),
    });
    log.info('multisig wallet added', {
      walletId,
      script: policy.script,
      threshold: policy.threshold,
      cosigners: cosigners.length,
    });
    return view(walletId);
  }

  function seedCosigner(input: {
    seedWalletId: string;
    script: MultisigScript;
    account: number;
  }): CosignerKey {
    const seedAccount = deps.wallets.get(input.seedWalletId);
    if (seedAccount.signer !== 'seed' || !seedAccount.seedWalletId) {
      throw new FlashError('WATCH_ONLY', 'This account has no recovery words in Flash.', {
        walletId: input.seedWalletId,
      });
    }
    const words = readWords(deps.vault, seedAccount.seedWalletId);
    const seed = mnemonicToSeedSync(words.mnemonic, words.passphrase);
    const root = HDKey.fromMasterSeed(seed, networkParams(seedAccount.network).btc.bip32);
    seed.fill(0);
    try {
      const path = bip48Path(input.script, seedAccount.network, input.account);
      const node = root.derive(path);
      const xpub = node.publicExtendedKey;
      node.wipePrivateData();
      return { fingerprint: (root.fingerprint >>> 0).toString(16).padStart(8, '0'), path, xpub };
    } finally {
      root.wipePrivateData();
    }
  }

  function cosignerFrom(input: CosignerInput, script: MultisigScript, network: Network): Cosigner {
    if (input.kind === 'seed') {
      const key = seedCosigner({ seedWalletId: input.seedWalletId, script, account: 0 });
      const holder = deps.wallets.get(input.seedWalletId).seedWalletId;
      return { ...key, label: input.label, kind: 'seed', seedWalletId: holder };
    }
    const m = KEY_WITH_ORIGIN.exec(input.key);
    let fingerprint: string;
    let path: string;
    let xpubText: string;
    if (m) {
      fingerprint = requireFingerprint(m[1] ?? '');
      path = formatPath(parsePath(`m${m[2] ?? ''}`, 'cosigner path', 'BAD_INPUT'), "'");
      xpubText = m[3] ?? '';
    } else {
      if (!input.fingerprint || !input.path) {
        throw new FlashError(
          'BAD_INPUT',
          'A cosigner key needs its master fingerprint and path: paste it as [fingerprint/48h/…]xpub, or give both.',
          { label: input.label },
        );
      }
      fingerprint = requireFingerprint(input.fingerprint);
      path = formatPath(parsePath(input.path, 'cosigner path', 'BAD_INPUT'), "'");
      xpubText = input.key;
    }
    const parsed = parseCosignerKey(xpubText, network);
    return { fingerprint, path, xpub: parsed.xpub, label: input.label, kind: input.kind, seedWalletId: null };
  }

  /** The draft's PSBT after the send flow's own checks (state, fee), and where its coins sit. */
  function draftPsbt(draftId: string) {
    const { walletId, psbtBase64 } = deps.send.draftForSigning(draftId);
    const { account, network } = requireMultisig(walletId);
    const psbt = decodePsbt(psbtBase64, network);
    const placeOf: PlaceOf = (script) => reader.scriptOwner(walletId, script);
    return { walletId, account, network, psbt, placeOf };
  }

  function progressOf(
    account: MultisigAccount,
    psbtBase64: string,
    network: Network,
    walletId: string,
  ): SignatureProgress {
    const status = signatureStatus(decodePsbt(psbtBase64, network), account, (s) =>
      reader.scriptOwner(walletId, s),
    );
    return {
      threshold: status.threshold,
      total: status.total,
      have: status.have,
      complete: status.complete,
      cosigners: status.cosigners.map((c) => ({
        fingerprint: c.fingerprint,
        label: c.label,
        kind: c.kind,
        signed: status.inputs > 0 && c.signedInputs === status.inputs,
      })),
    };
  }

  return {
    importWallet({ name, text }) {
      const network = deps.network();
      const file = readWalletFile(text, network);
      const cosigners: Cosigner[] = file.policy.keys.map((k, i) => ({
        ...k,
        label: file.labels[i]?.trim().slice(0, 64) || `Cosigner ${i + 1} (${k.fingerprint})`,
        kind: 'watch',
        seedWalletId: null,
      }));
      return addWallet(name.trim(), network, file.policy, cosigners);
    },

    createWallet({ name, script, threshold, cosigners }) {
      const network = deps.network();
      const list = cosigners.map((c) => cosignerFrom(c, script, network));
      const policy = checkPolicy(
        {
          script,
          threshold,
          keys: list.map((c) => ({ fingerprint: c.fingerprint, path: c.path, xpub: c.xpub })),
          network: keyNetworkOf(network),
        },
        network,
      );
      return addWallet(
        name.trim(),
        network,
        policy,
        list.map((c, i) => ({ ...c, ...policy.keys[i] })),
      );
    },

    seedCosigner,

    get: view,

    exportWallet(walletId, format) {
      const v = view(walletId);
      const policy = policyOf(v.script, v.threshold, v.cosigners, v.wallet.network);
      const labels = v.cosigners.map((c) => c.label);
      const base = v.wallet.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'multisig';
      switch (format) {
        case 'descriptor':
          return { format, text: `${v.descriptor}\n`, fileName: `${base}-descriptor.txt` };
        case 'coldcard':
          return { format, text: writeColdcard(policy, v.wallet.name), fileName: `${base}-coldcard.txt` };
        case 'specter':
          return {
            format,
            text: writeSpecter(policy, v.wallet.name, labels),
            fileName: `${base}-specter.json`,
          };
        case 'caravan':
          return {
            format,
            text: writeCaravan(policy, v.wallet.name, labels, v.wallet.network),
            fileName: `${base}-caravan.json`,
          };
        case 'bsms':
          return { format, text: `${writeBsms(policy, v.wallet.network)}\n`, fileName: `${base}.bsms` };
      }
    },

    signingProgress(draftId) {
      const draft = deps.send.getDraft(draftId);
      const { account, network } = requireMultisig(draft.walletId);
      return progressOf(account, draft.psbtBase64, network, draft.walletId);
    },

    signWithSeed(draftId, fingerprint) {
      const { walletId, account, network, psbt, placeOf } = draftPsbt(draftId);
      const fp = requireFingerprint(fingerprint);
      const keyIndex = account.cosigners.findIndex((c) => c.fingerprint === fp && c.kind === 'seed');
      const cosigner = account.cosigners[keyIndex];
      if (!cosigner?.seedWalletId) {
        throw new FlashError(
          'BAD_INPUT',
          'No cosigner of this wallet is held in Flash’s words with that fingerprint.',
          {
            fingerprint: fp,
          },
        );
      }
      const secret = readWords(deps.vault, cosigner.seedWalletId);
      let signed: number;
      try {
        signed = signMultisigWithWords(psbt, secret, account, keyIndex, placeOf);
      } finally {
        secret.mnemonic = '';
        secret.passphrase = '';
      }
      if (signed === 0)
        throw new FlashError('MULTISIG_WRONG_WALLET', 'No input of this payment could be signed.', {});
      const draft = deps.send.importPsbt({ walletId, data: psbt.toBase64() });
      log.info('multisig draft signed with seed', { walletId, fingerprint: fp, inputs: signed });
      return { draft, progress: progressOf(account, draft.psbtBase64, network, walletId) };
    },

    addSignatures(draftId, data) {
      const { walletId, account, network, psbt, placeOf } = draftPsbt(draftId);
      const incoming = decodePsbt(data, network);
      const added = combineSignatures(psbt, incoming, account, placeOf);
      const draft = deps.send.importPsbt({ walletId, data: psbt.toBase64() });
      log.info('multisig signatures added', { walletId, added });
      return { draft, progress: progressOf(account, draft.psbtBase64, network, walletId) };
    },

    account(walletId) {
      const summary = deps.wallets.get(walletId);
      return loadMultisigAccount(deps.db, walletId, summary.network);
    },
  };
}
