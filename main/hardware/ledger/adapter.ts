import type Btc from '@ledgerhq/hw-app-btc';
import type { AddressFormat } from '@ledgerhq/hw-app-btc';
import type { AppAndVersion } from '@ledgerhq/hw-app-btc/lib/getAppAndVersion';
import { base64, hex } from '@scure/base';
import type { Network } from '../../../shared/contract';
import { networkParams } from '../../bitcoin/wallet/networks';
import { hwError, mapLedgerError } from '../errors';
import { checkSignable, decodePsbt, mergeSignatures, scriptTypeOf } from '../psbt';
import type { AppClient, WalletPolicy } from 'ledger-bitcoin';
import { FlashError } from '../../../shared/errors';
import type {
  AccountContext,
  DeviceSignature,
  HwScriptType,
  MultisigDeviceRequest,
  MultisigSigner,
  Signer,
} from '../types';

/** The methods of hw-app-btc's `Btc` our adapter calls; the simulated device fakes exactly these. */
export type LedgerBtc = Pick<Btc, 'getWalletXpub' | 'getWalletPublicKey' | 'signMessage' | 'signPsbtBuffer'>;

/**
 * ledger-bitcoin's client for what hw-app-btc cannot do: register a multisig wallet policy
 * (BIP388) and show or sign for it with the HMAC the device returned. `policy` builds the
 * library's WalletPolicy (its id is what the device signs the HMAC over).
 */
export interface LedgerPolicySession {
  client: Pick<AppClient, 'registerWallet' | 'getWalletAddress' | 'signPsbt'>;
  policy(name: string, template: string, keys: readonly string[]): WalletPolicy;
}

/** An opened Ledger: the Bitcoin app client plus the two framework calls hw-app-btc's `Btc` hides. */
export interface LedgerSession {
  btc: LedgerBtc;
  /** Absent when ledger-bitcoin could not load: multisig is then refused, single-key still works. */
  policies?: LedgerPolicySession;
  getAppAndVersion(): Promise<AppAndVersion>;
  getMasterFingerprint(): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * signPsbtBuffer is the app-bitcoin-new protocol (app 2.1.0+); 2.1.0 is also the first version
 * with BIP86 taproot key-path signing that hw-app-btc supports.
 */
export const MIN_LEDGER_APP = '2.1.0';

export const LEDGER_ADDRESS_FORMAT: Readonly<Record<HwScriptType, AddressFormat>> = {
  pkh: 'legacy',
  'sh-wpkh': 'p2sh',
  wpkh: 'bech32',
  tr: 'bech32m',
};

function versionAtLeast(version: string, min: string): boolean {
  const a = version.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/**
 * Which app is open decides everything else: the dashboard ("BOLOS") or another coin's app means
 * "open the Bitcoin app"; "Bitcoin" signs mainnet only and "Bitcoin Test" the test chains.
 */
export function checkLedgerApp(app: AppAndVersion, network: Network): void {
  const test = network !== 'mainnet';
  if (app.name === 'Bitcoin' || app.name === 'Bitcoin Test') {
    if ((app.name === 'Bitcoin Test') !== test) {
      throw hwError('HW_WRONG_NETWORK', `open the ${test ? 'Bitcoin Test' : 'Bitcoin'} app`, {
        app: app.name,
      });
    }
    if (!versionAtLeast(app.version, MIN_LEDGER_APP)) {
      throw hwError('HW_APP_TOO_OLD', `${app.name} ${app.version} < ${MIN_LEDGER_APP}`, {
        version: app.version,
        minimum: MIN_LEDGER_APP,
      });
    }
    return;
  }
  if (app.name === 'Bitcoin Legacy' || app.name === 'Bitcoin Test Legacy') {
    throw hwError('HW_APP_TOO_OLD', `${app.name} does not sign PSBTs`, {
      version: app.version,
      minimum: MIN_LEDGER_APP,
    });
  }
  throw hwError('HW_WRONG_APP', app.name === 'BOLOS' ? 'dashboard' : app.name, { app: app.name });
}

const ledgerPath = (path: string): string => path.trim().replace(/^m\//, '');

/** Ledger's `{v, r, s}` -> BIP137 base64 with the header for the account's script type. */
function bip137(sig: { v: number; r: string; s: string }, scriptType: HwScriptType): string {
  const base = scriptType === 'wpkh' ? 39 : scriptType === 'sh-wpkh' ? 35 : 31;
  const out = new Uint8Array(65);
  out[0] = base + sig.v;
  out.set(hex.decode(sig.r.padStart(64, '0')), 1);
  out.set(hex.decode(sig.s.padStart(64, '0')), 33);
  return base64.encode(out);
}

/**
 * Map hw-app-btc asks for to recognise our own scripts when a PSBT lacks a derivation: the hash
 * (or x-only key) inside each script -> key and path. Ours always carries derivations; this only
 * repeats them in the form the library wants.
 */
function knownDerivations(
  psbtB64: string,
  account: AccountContext,
): Map<string, { pubkey: Buffer; path: number[] }> {
  const psbt = decodePsbt(psbtB64, account.network);
  const map = new Map<string, { pubkey: Buffer; path: number[] }>();
  const add = (script: Uint8Array | undefined, d: { path: string; pubkey: Uint8Array } | undefined) => {
    if (!script || !d) return;
    const type = scriptTypeOf(script);
    const program =
      type === 'pkh'
        ? script.slice(3, 23)
        : type === 'sh-wpkh' || type === 'wpkh'
          ? script.slice(2, 22)
          : type === 'tr'
            ? script.slice(2, 34)
            : null;
    if (!program) return;
    map.set(hex.encode(program), { pubkey: Buffer.from(d.pubkey), path: pathArray(d.path) });
  };
  psbt.data.inputs.forEach((input) =>
    add(input.witnessUtxo?.script, input.tapBip32Derivation?.[0] ?? input.bip32Derivation?.[0]),
  );
  psbt.data.outputs.forEach((output, i) =>
    add(psbt.txOutputs[i]?.script, output.tapBip32Derivation?.[0] ?? output.bip32Derivation?.[0]),
  );
  return map;
}

function pathArray(path: string): number[] {
  return path
    .replace(/^m\//, '')
    .split('/')
    .map((s) => (/['hH]$/.test(s) ? Number.parseInt(s, 10) + 0x80000000 : Number(s)));
}

/** Our Signer over an opened Ledger session. Every device error becomes a typed FlashError. */
export function createLedgerSigner(session: LedgerSession, network: Network): Signer {
  let appChecked = false;
  async function ready(): Promise<void> {
    if (appChecked) return;
    checkLedgerApp(await session.getAppAndVersion(), network);
    appChecked = true;
  }
  async function guarded<T>(fn: () => Promise<T>): Promise<T> {
    try {
      await ready();
      return await fn();
    } catch (err) {
      throw mapLedgerError(err);
    }
  }
  return {
    vendor: 'ledger',
    fingerprint: () => guarded(async () => hex.encode(await session.getMasterFingerprint())),
    getXpub: (path, net) =>
      guarded(() =>
        session.btc.getWalletXpub({
          path: ledgerPath(path),
          xpubVersion: networkParams(net).btc.bip32.public,
        }),
      ),
    showAddress: (path, account) =>
      guarded(async () => {
        const r = await session.btc.getWalletPublicKey(ledgerPath(path), {
          verify: true,
          format: LEDGER_ADDRESS_FORMAT[account.scriptType],
        });
        return r.bitcoinAddress;
      }),
    signPsbt: (psbtB64, account) =>
      guarded(async () => {
        const ours = decodePsbt(psbtB64, account.network);
        checkSignable(ours, account);
        const { psbt } = await session.btc.signPsbtBuffer(Buffer.from(base64.decode(psbtB64)), {
          finalizePsbt: false,
          accountPath: account.accountPath,
          addressFormat: LEDGER_ADDRESS_FORMAT[account.scriptType],
          knownAddressDerivations: knownDerivations(psbtB64, account),
        });
        const signed = decodePsbt(base64.encode(psbt), account.network);
        return mergeSignatures(ours, signed).toBase64();
      }),
    signMessage: (path, message, account) =>
      guarded(async () => {
        // BIP137 has no taproot header; taproot messages need BIP322, which the app does not do.
        if (account.scriptType === 'tr')
          throw hwError('HW_UNSUPPORTED_SCRIPT', 'taproot message signing (BIP322)');
        const sig = await session.btc.signMessage(
          ledgerPath(path),
          Buffer.from(message, 'utf8').toString('hex'),
        );
        return bip137(sig, account.scriptType);
      }),
    cancel: () => session.close().catch(() => undefined),
    close: () => session.close().catch(() => undefined),
    ...(session.policies ? { multisig: ledgerMultisig(session.policies, guarded) } : {}),
  };
}

/**
 * Multisig on a Ledger (app-bitcoin-new): the wallet is registered once per device (the user
 * checks the policy's name, template and every key on screen), and each later request carries
 * the HMAC the device answered, without which it refuses; Flash asks for registration first.
 */
function ledgerMultisig(
  p: LedgerPolicySession,
  guarded: <T>(fn: () => Promise<T>) => Promise<T>,
): MultisigSigner {
  const policyOf = (req: MultisigDeviceRequest) => p.policy(req.name, req.template, req.keys);
  const hmacOf = (req: MultisigDeviceRequest): Buffer => {
    if (!req.hmac) {
      throw new FlashError('MULTISIG_NOT_REGISTERED', 'Register the wallet on this Ledger first.', {});
    }
    return Buffer.from(hex.decode(req.hmac));
  };
  return {
    register: (req) =>
      guarded(async () => {
        const [id, hmac] = await p.client.registerWallet(policyOf(req));
        return { policyId: hex.encode(id), hmac: hex.encode(hmac) };
      }),
    showAddress: (req, chain, index) =>
      guarded(() => p.client.getWalletAddress(policyOf(req), hmacOf(req), chain, index, true)),
    signPsbt: (req, psbtB64) =>
      guarded(async () => {
        const hmac = hmacOf(req);
        const sigs = await p.client.signPsbt(psbtB64, policyOf(req), hmac);
        return sigs.map(([input, s]): DeviceSignature => ({
          input,
          pubkey: Uint8Array.from(s.pubkey),
          signature: Uint8Array.from(s.signature),
          ...(s.tapleafHash ? { leafHash: Uint8Array.from(s.tapleafHash) } : {}),
        }));
      }),
  };
}
