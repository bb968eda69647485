/**
 * Every failure that crosses the bridge is one of these codes. The renderer maps codes to
 * translated text; `message` is an English fallback for logs and tests.
 */
export const ERROR_CODES = [
  'BAD_INPUT',
  'UNKNOWN_METHOD',
  'FORBIDDEN_SENDER',
  'INTERNAL',
  'STORE_CORRUPT',
  'STORE_NEWER_VERSION',
  'STORE_UNAVAILABLE',
  'VAULT_NOT_SET_UP',
  'VAULT_ALREADY_SET_UP',
  'VAULT_LOCKED',
  'VAULT_WRONG_PASSWORD',
  'VAULT_RATE_LIMITED',
  'VAULT_WEAK_PASSWORD',
  'WALLET_NOT_FOUND',
  'WALLET_EXISTS',
  'MNEMONIC_BAD_LENGTH',
  'MNEMONIC_UNKNOWN_WORD',
  'MNEMONIC_BAD_CHECKSUM',
  'DRAFT_NOT_FOUND',
  'CONFIRMATION_MISMATCH',
  'ELECTRUM_UNREACHABLE',
  'ELECTRUM_TIMEOUT',
  'ELECTRUM_PROTOCOL',
  'ELECTRUM_CERT_CHANGED',
  'ELECTRUM_CERT_INVALID',
  'ELECTRUM_WRONG_NETWORK',
  'ELECTRUM_NOT_CONNECTED',
  'NOSTR_NO_IDENTITY',
  'NOSTR_IDENTITY_EXISTS',
  'NOSTR_INVALID_KEY',
  'NOSTR_WRONG_PASSWORD',
  'NOSTR_INVALID_EVENT',
  'NOSTR_DECRYPT_FAILED',
  'NOSTR_CONTENT_TOO_LARGE',
  'NOSTR_NO_RELAYS',
  'NOSTR_RELAY_UNREACHABLE',
  'NOSTR_PUBLISH_FAILED',
  'NOSTR_CONVERSATION_NOT_FOUND',
  'NOSTR_NIP05_FAILED',
  'NOSTR_BAD_CHANNEL_ID',
  'NOSTR_CHANNEL_NOT_FOUND',
  'NOSTR_NOT_CHANNEL_OWNER',
  'NOSTR_BAD_RECEIPT',
  'DESCRIPTOR_INVALID',
  'DESCRIPTOR_BAD_CHECKSUM',
  'XPUB_INVALID',
  'XPUB_BAD_CHECKSUM',
  'XPUB_WRONG_NETWORK',
  'XPUB_IS_PRIVATE',
  'XPUB_TYPE_MISMATCH',
  'ACCOUNT_TYPE_UNSUPPORTED',
  'MULTISIG_UNSUPPORTED',
  'WATCH_ONLY',
  'ACCOUNT_HOLDS_WORDS',
  'HW_NO_DEVICE',
  'HW_LOCKED',
  'HW_WRONG_APP',
  'HW_APP_TOO_OLD',
  'HW_REJECTED',
  'HW_TIMEOUT',
  'HW_DISCONNECTED',
  'HW_UNSUPPORTED_SCRIPT',
  'HW_FINGERPRINT_MISMATCH',
  'HW_WRONG_NETWORK',
  'HW_NOT_ACCESSIBLE',
  'HW_PSBT_REFUSED',
  'HW_ADDRESS_MISMATCH',
  'HW_BUSY',
  'HW_CANCELLED',
  'NWC_INVALID_URI',
  'NWC_CONNECTION_NOT_FOUND',
  'NWC_BAD_CONNECTION',
  'ZAP_NO_LIGHTNING_ADDRESS',
  'ZAP_NOT_SUPPORTED',
  'ZAP_BAD_INVOICE',
  'LIGHTNING_UNRECOGNIZED',
  'LIGHTNING_BAD_CHECKSUM',
  'LIGHTNING_MALFORMED',
  'LIGHTNING_BAD_SIGNATURE',
  'LIGHTNING_UNKNOWN_FEATURE',
  'LIGHTNING_WRONG_NETWORK',
  'LIGHTNING_NO_ROUTE',
  'LIGHTNING_INSUFFICIENT_BALANCE',
  'LIGHTNING_EXPIRED',
  'LIGHTNING_AMOUNT_OUT_OF_LIMITS',
  'LIGHTNING_AMOUNT_REQUIRED',
  'LIGHTNING_ALREADY_PAID',
  'LIGHTNING_PAYMENT_IN_FLIGHT',
  'LIGHTNING_INVOICE_INVALID',
  'LIGHTNING_TIMEOUT',
  'LIGHTNING_UNAUTHORIZED',
  'LIGHTNING_NOT_SUPPORTED',
  'LIGHTNING_QUOTA_EXCEEDED',
  'LIGHTNING_UNREACHABLE',
  'LIGHTNING_PROVIDER_ERROR',
  'LIGHTNING_NO_PROVIDER',
  'LIGHTNING_PROVIDER_NOT_FOUND',
  'LIGHTNING_PREPARED_NOT_FOUND',
  'LIGHTNING_PAYMENT_NOT_FOUND',
  'LIGHTNING_CERT_MISMATCH',
  'LIGHTNING_BAD_CONNECTION',
  'LNURL_UNREACHABLE',
  'LNURL_REFUSED',
  'LNURL_BAD_RESPONSE',
  'LNURL_SERVICE_ERROR',
  'LNURL_METADATA_MISMATCH',
  'LNURL_AMOUNT_MISMATCH',
  'LNURL_COMMENT_TOO_LONG',
  'LNURL_UNSUPPORTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface BridgeError {
  code: ErrorCode;
  message: string;
  /** Extra machine-readable facts, e.g. `retryAfterMs` or the offending word index. */
  details?: Record<string, string | number | boolean | null>;
}

export class FlashError extends Error {
  readonly code: ErrorCode;
  readonly details: BridgeError['details'];

  constructor(code: ErrorCode, message: string, details?: BridgeError['details']) {
    super(message);
    this.name = 'FlashError';
    this.code = code;
    this.details = details;
  }

  toBridge(): BridgeError {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isFlashError(err: unknown): err is FlashError {
  return err instanceof FlashError;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };
