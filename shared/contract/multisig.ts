import { z } from 'zod';
import { Id } from './common';
import { SendDraft } from './send';
import { WalletName, WalletSummary } from './wallet';

/** Native P2WSH, nested P2SH-P2WSH, or Taproot script path with the NUMS internal key. */
export const MultisigScript = z.enum(['wsh', 'sh-wsh', 'tr']);
export type MultisigScript = z.infer<typeof MultisigScript>;

/** Who holds a cosigner's key: a Ledger, a Trezor, Flash's own words, or an outside (air-gapped) signer. */
export const CosignerKind = z.enum(['ledger', 'trezor', 'seed', 'watch']);
export type CosignerKind = z.infer<typeof CosignerKind>;

const Fingerprint = z.string().regex(/^[0-9a-fA-F]{8}$/, '8 hex digits');
const Label = z.string().trim().min(1).max(64);

export const MultisigCosigner = z.object({
  label: z.string(),
  kind: CosignerKind,
  fingerprint: z.string(),
  /** `m/48'/1'/0'/2'`. */
  path: z.string(),
  xpub: z.string(),
});
export type MultisigCosigner = z.infer<typeof MultisigCosigner>;

export const MultisigWallet = z.object({
  wallet: WalletSummary,
  script: MultisigScript,
  threshold: z.number().int(),
  cosigners: z.array(MultisigCosigner),
  /** BIP380/389 descriptor with checksum. */
  descriptor: z.string(),
  /** Receive address 0: what a restore must show first. */
  firstAddress: z.string(),
  /** Fingerprints of the Ledgers that registered this wallet (their HMAC is kept). */
  ledgerRegistered: z.array(z.string()),
  /** What a Ledger shows when registering it (BIP388); null for Taproot, which a policy cannot hold here. */
  devicePolicy: z.object({ name: z.string(), template: z.string(), keys: z.array(z.string()) }).nullable(),
});
export type MultisigWallet = z.infer<typeof MultisigWallet>;

export const MultisigFileFormat = z.enum(['descriptor', 'coldcard', 'specter', 'caravan', 'bsms']);
export type MultisigFileFormat = z.infer<typeof MultisigFileFormat>;

/**
 * A cosigner for a new wallet: a key pasted or loaded (`[fingerprint/48h/1h/0h/2h]tpub…`, or the
 * three parts), or Flash's own words (the BIP48 key of the given seed account).
 */
export const CosignerInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.enum(['watch', 'ledger', 'trezor']),
      label: Label,
      /**
       * `[fingerprint/path]xpub`, an xpub with fingerprint and path given apart, a scanned UR
       * (crypto-account, crypto-hdkey), or a Coldcard/Passport multisig export (JSON).
       */
      key: z.string().trim().min(1).max(20_000),
      fingerprint: Fingerprint.optional(),
      path: z.string().trim().max(120).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('seed'), label: Label, seedWalletId: Id }).strict(),
]);
export type CosignerInput = z.infer<typeof CosignerInput>;

export const SignatureProgress = z.object({
  threshold: z.number().int(),
  total: z.number().int(),
  /** Valid signatures on the least signed input. */
  have: z.number().int(),
  complete: z.boolean(),
  cosigners: z.array(
    z.object({
      fingerprint: z.string(),
      label: z.string(),
      kind: CosignerKind,
      signed: z.boolean(),
    }),
  ),
});
export type SignatureProgress = z.infer<typeof SignatureProgress>;

const DraftRef = z.object({ draftId: Id }).strict();
/** BBQr data encodings: H hex, 2 base32, Z zlib (10-bit window) then base32. */
const BbqrEncoding = z.enum(['H', '2', 'Z']);
const Signed = z.object({ draft: SendDraft, progress: SignatureProgress });

export const multisigMethods = {
  /** A wallet from a descriptor, a Coldcard/Sparrow file, Specter or Caravan JSON, or a BSMS record. */
  'multisig.importWallet': {
    input: z.object({ name: WalletName, text: z.string().min(1).max(20_000) }).strict(),
    output: MultisigWallet,
  },
  'multisig.createWallet': {
    input: z
      .object({
        name: WalletName,
        script: MultisigScript,
        threshold: z.number().int().min(1).max(15),
        cosigners: z.array(CosignerInput).min(1).max(15),
      })
      .strict(),
    output: MultisigWallet,
  },
  /** Flash's own BIP48 cosigner key from a seed account's words (vault unlocked). */
  'multisig.seedCosigner': {
    input: z
      .object({ seedWalletId: Id, script: MultisigScript, account: z.number().int().min(0).max(1000) })
      .strict(),
    output: z.object({ fingerprint: z.string(), path: z.string(), xpub: z.string() }),
  },
  'multisig.getWallet': {
    input: z.object({ walletId: Id }).strict(),
    output: MultisigWallet,
  },
  'multisig.exportWallet': {
    input: z.object({ walletId: Id, format: MultisigFileFormat }).strict(),
    output: z.object({ format: MultisigFileFormat, text: z.string(), fileName: z.string() }),
  },
  /** The printable backup sheet (self-contained HTML) in the user's language. */
  'multisig.backupSheet': {
    input: z.object({ walletId: Id, language: z.enum(['en', 'es']) }).strict(),
    output: z.object({ html: z.string(), fileName: z.string() }),
  },
  /** Who has signed a multisig draft: "2 of 3". */
  'multisig.signingProgress': { input: DraftRef, output: SignatureProgress },
  /** Signs a draft with the cosigner held in Flash's words; answers the new draft holding the signatures. */
  'multisig.signWithSeed': {
    input: z.object({ draftId: Id, fingerprint: Fingerprint }).strict(),
    output: Signed,
  },
  /** Adds a cosigner's signed copy (file, base64, hex or UR) to a draft after checking every signature. */
  'multisig.addSignatures': {
    input: z.object({ draftId: Id, data: z.string().min(1).max(2_000_000) }).strict(),
    output: Signed,
  },
  /** A connected Ledger's or Trezor's BIP48 key for the script, read from the device. */
  'multisig.deviceCosigner': {
    input: z
      .object({
        deviceId: z.string().min(1).max(200),
        script: MultisigScript,
        account: z.number().int().min(0).max(1000),
      })
      .strict(),
    output: z.object({
      kind: z.enum(['ledger', 'trezor']),
      fingerprint: z.string(),
      path: z.string(),
      xpub: z.string(),
    }),
  },
  /** Registers the wallet on a cosigner's Ledger (the user approves it there); its HMAC is kept. */
  'multisig.registerOnDevice': {
    input: z.object({ walletId: Id, fingerprint: Fingerprint }).strict(),
    output: z.object({
      policyId: z.string(),
      name: z.string(),
      template: z.string(),
      keys: z.array(z.string()),
    }),
  },
  /** Shows an address on a cosigner's device and checks it is the one Flash derives. */
  'multisig.verifyAddress': {
    input: z
      .object({
        walletId: Id,
        fingerprint: Fingerprint,
        chain: z.union([z.literal(0), z.literal(1)]).default(0),
        index: z.number().int().min(0).max(1_000_000),
      })
      .strict(),
    output: z.object({ address: z.string(), verified: z.literal(true) }),
  },
  /** Signs a draft on a cosigner's connected device; answers the new draft holding the signatures. */
  'multisig.signWithDevice': {
    input: z.object({ draftId: Id, fingerprint: Fingerprint }).strict(),
    output: Signed,
  },
  /**
   * The draft's PSBT as BBQr parts (Coinkite's "Better Bitcoin QR": Hex, base32 or zlib+base32)
   * for an animated QR; `version` is the QR version every part fits.
   */
  'multisig.exportPsbtBbqr': {
    input: z
      .object({
        draftId: Id,
        encoding: BbqrEncoding.optional(),
        version: z.number().int().min(1).max(40).optional(),
      })
      .strict(),
    output: z.object({
      parts: z.array(z.string()).min(1),
      encoding: BbqrEncoding,
      version: z.number().int().min(1).max(40),
    }),
  },
} as const;
