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
import type { HardwareService } from '../../hardware/service';
import type { MultisigDeviceRequest } from '../../hardware/types';
import type { VaultService } from '../../vault/types';
import { formatPath, parsePath } from '../accounts/paths';
import { keyNetworkOf } from '../accounts/types';
import type { SendService } from '../send/service';
import { encodePsbtBbqr, type BbqrSplit, type BbqrSplitOptions } from '../send/bbqr';
import { importPsbt as decodePsbt } from '../send/psbt';
import { createWalletReader } from '../send/wallet-reader';
import { networkParams } from '../wallet/networks';
import { readWords } from '../wallet/stored-words';
import type { WalletService } from '../wallet/types';
import { loadMultisigAccount, type MultisigAccount } from './account';
import { readWalletFile, writeBsms, writeCaravan, writeColdcard, writeSpecter } from './formats';
import { parseCosignerKey, requireFingerprint } from './keys';
import { checkPolicy, firstAddress, policyDescriptor, policyId } from './policy';
import { toWalletPolicy } from './wallet-policy';
import { backupSheetHtml, type SheetLanguage } from './backup-sheet';
import { readCosigner } from './cosigner-import';
import { combineSignatures, signatureStatus, type PlaceOf } from './psbt';
import { hwError } from '../../hardware/errors';
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
  /** Connected Ledgers and Trezors: cosigner keys, registration, addresses and signatures. */
  devices: Pick<HardwareService, 'cosignerKey' | 'withMultisigDevice'>;
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
  /** The printable backup sheet (HTML): descriptor as text and QR, cosigners, first address. */
  backupSheet(walletId: string, language: SheetLanguage): Promise<{ html: string; fileName: string }>;
  signingProgress(draftId: string): SignatureProgress;
  signWithSeed(draftId: string, fingerprint: string): { draft: SendDraft; progress: SignatureProgress };
  addSignatures(draftId: string, data: string): { draft: SendDraft; progress: SignatureProgress };
  deviceCosigner(input: {
    deviceId: string;
    script: MultisigScript;
    account: number;
  }): Promise<CosignerKey & { kind: 'ledger' | 'trezor' }>;
  registerOnDevice(walletId: string, fingerprint: string): Promise<{ policyId: string } & DevicePolicy>;
  verifyAddress(input: {
    walletId: string;
    fingerprint: string;
    chain: 0 | 1;
    index: number;
  }): Promise<{ address: string; verified: true }>;
  signWithDevice(
    draftId: string,
    fingerprint: string,
  ): Promise<{ draft: SendDraft; progress: SignatureProgress }>;
  /** The draft's PSBT as BBQr parts for an air-gapped signer's camera (beside the UR export). */
  exportPsbtBbqr(draftId: string, options: BbqrSplitOptions): BbqrSplit;
  /** The wallet's signing account (policy, cosigners, scripts); null when it is not multisig. */
  account(walletId: string): MultisigAccount | null;
}

/** What a Ledger shows when asked to register the wallet: its name, template and keys (BIP388). */
export interface DevicePolicy {
  name: string;
  template: string;
  keys: string[];
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
      devicePolicy: policy.script === 'tr' ? null : devicePolicyOf(walletId, policy),
    };
  }

  /**
   * The BIP388 policy a Ledger registers. Its name is part of the id the device's HMAC covers, so
   * it is made from what never changes (k, n and the wallet id), not the user's wallet name.
   */
  function devicePolicyOf(walletId: string, policy: MultisigPolicy): DevicePolicy {
    const { template, keys } = toWalletPolicy(policy);
    return {
      name: `Flash ${policy.threshold}of${policy.keys.length} ${walletId.slice(0, 4)}`,
      template,
      keys,
    };
  }

  /** The request a device gets for this wallet, with the HMAC stored for that Ledger (if any). */
  function deviceRequest(
    walletId: string,
    account: MultisigAccount,
    network: Network,
    fingerprint: string,
  ): MultisigDeviceRequest {
    const registration = repo.registrations(walletId).find((r) => r.fingerprint === fingerprint) ?? null;
    return { network, ...devicePolicyOf(walletId, account.policy), hmac: registration?.hmac ?? null };
  }

  function deviceCosignerOf(
    account: MultisigAccount,
    fingerprint: string,
  ): { keyIndex: number; vendor: 'ledger' | 'trezor' } {
    const fp = requireFingerprint(fingerprint);
    const keyIndex = account.cosigners.findIndex(
      (c) => c.fingerprint === fp && (c.kind === 'ledger' || c.kind === 'trezor'),
    );
    const kind = account.cosigners[keyIndex]?.kind;
    if (kind !== 'ledger' && kind !== 'trezor') {
      throw new FlashError(
        'BAD_INPUT',
        'No cosigner of this wallet is a Ledger or Trezor with that fingerprint.',
        {
          fingerprint: fp,
        },
      );
    }
    return { keyIndex, vendor: kind };
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
    // A scanned UR (crypto-account/crypto-hdkey) or a Coldcard/Passport export file, as pasted or loaded.
    if (/^ur:/i.test(input.key) || input.key.startsWith('{')) {
      return {
        ...readCosigner(input.key, script, network),
        label: input.label,
        kind: input.kind,
        seedWalletId: null,
      };
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

    async backupSheet(walletId, language) {
      const v = view(walletId);
      const base = v.wallet.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'multisig';
      return { html: await backupSheetHtml(v, language), fileName: `${base}-backup-sheet.html` };
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

    async deviceCosigner({ deviceId, script, account }) {
      const path = bip48Path(script, deps.network(), account);
      const key = await deps.devices.cosignerKey(deviceId, path);
      return { kind: key.vendor, fingerprint: key.fingerprint, path, xpub: parseCosignerKey(key.xpub).xpub };
    },

    async registerOnDevice(walletId, fingerprint) {
      const { account, network } = requireMultisig(walletId);
      const { vendor } = deviceCosignerOf(account, fingerprint);
      if (vendor !== 'ledger') {
        throw new FlashError(
          'BAD_INPUT',
          'Only a Ledger registers a multisig wallet; a Trezor is given it with every request.',
          {
            vendor,
          },
        );
      }
      const request = deviceRequest(walletId, account, network, fingerprint.toLowerCase());
      const answer = await deps.devices.withMultisigDevice('ledger', fingerprint.toLowerCase(), 'sign', (d) =>
        d.register({ ...request, hmac: null }),
      );
      repo.saveRegistration(walletId, {
        fingerprint: fingerprint.toLowerCase(),
        policyId: answer.policyId,
        hmac: answer.hmac,
        registeredAt: Date.now(),
      });
      log.info('multisig wallet registered on a Ledger', {
        walletId,
        fingerprint: fingerprint.toLowerCase(),
      });
      return {
        policyId: answer.policyId,
        name: request.name,
        template: request.template,
        keys: [...request.keys],
      };
    },

    async verifyAddress({ walletId, fingerprint, chain, index }) {
      const { account, network } = requireMultisig(walletId);
      const { vendor } = deviceCosignerOf(account, fingerprint);
      const fp = fingerprint.toLowerCase();
      const expected = addressOfScript(account.scriptsAt(chain, index).scriptPubKey, network);
      const request = deviceRequest(walletId, account, network, fp);
      const shown = await deps.devices.withMultisigDevice(vendor, fp, 'showAddress', (d) =>
        d.showAddress(request, chain, index),
      );
      if (shown !== expected) throw hwError('HW_ADDRESS_MISMATCH', undefined, { expected, shown });
      return { address: expected, verified: true };
    },

    async signWithDevice(draftId, fingerprint) {
      const { walletId, account, network, psbt, placeOf } = draftPsbt(draftId);
      const { vendor } = deviceCosignerOf(account, fingerprint);
      const fp = fingerprint.toLowerCase();
      const request = deviceRequest(walletId, account, network, fp);
      const sigs = await deps.devices.withMultisigDevice(vendor, fp, 'sign', (d) =>
        d.signPsbt(request, psbt.toBase64()),
      );
      // The device's answer goes through the same checks as any cosigner's: its key, each signature.
      const answer = psbt.clone();
      for (const s of sigs) {
        if (s.leafHash) {
          answer.updateInput(s.input, {
            tapScriptSig: [{ pubkey: s.pubkey, signature: s.signature, leafHash: s.leafHash }],
          });
        } else {
          answer.updateInput(s.input, { partialSig: [{ pubkey: s.pubkey, signature: s.signature }] });
        }
      }
      const added = combineSignatures(psbt, answer, account, placeOf);
      if (added === 0)
        throw new FlashError('MULTISIG_WRONG_WALLET', 'The device signed no input of this payment.', {});
      const draft = deps.send.importPsbt({ walletId, data: psbt.toBase64() });
      log.info('multisig draft signed on a device', { walletId, vendor, fingerprint: fp, added });
      return { draft, progress: progressOf(account, draft.psbtBase64, network, walletId) };
    },

    exportPsbtBbqr(draftId, options) {
      const draft = deps.send.getDraft(draftId);
      requireMultisig(draft.walletId);
      return encodePsbtBbqr(deps.send.exportPsbt(draftId).binary, options);
    },

    account(walletId) {
      const summary = deps.wallets.get(walletId);
      return loadMultisigAccount(deps.db, walletId, summary.network);
    },
  };
}
