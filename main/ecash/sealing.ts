import { randomBytes } from 'node:crypto';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { VaultService } from '../vault/types';

/**
 * WHY proofs and journal payloads are sealed: a Cashu proof is bearer money. Whoever reads its
 * secret and C can spend it, so a copied flash.db must not be a copied wallet. The parts that
 * spend (secret, C, DLEQ r, witness; an operation's inputs, outputs and blinding factors; a token
 * we sent or were sent) are sealed with XChaCha20-Poly1305 under a random 32-byte eCash key that
 * itself lives in the vault (sealed under the user's password, like the words). The AAD binds each
 * ciphertext to its row, so sealed blobs cannot be swapped between rows. Amounts, keyset ids and
 * Y = hash_to_curve(secret) stay plain: they show balances while the vault is locked and are what
 * the mint already sees; none of them can spend. Nothing here is ever logged.
 */
const KEY_NAME = 'ecash.store-key';
const NONCE = 24;

export interface Sealer {
  seal(aad: string, value: unknown): Uint8Array;
  open<T>(aad: string, sealed: Uint8Array): T;
}

export function createSealer(vault: VaultService): Sealer {
  // Kept in memory only while the vault is unlocked (wiped on lock), like the vault's own data key:
  // reading it from the vault for each of 10,000 proofs cost 1 ms a proof.
  let cached: Uint8Array | null = null;
  vault.onLock(() => {
    cached?.fill(0);
    cached = null;
  });
  const key = (): Uint8Array => {
    if (cached && vault.status().state === 'unlocked') return new Uint8Array(cached);
    if (!vault.hasSecret(KEY_NAME)) vault.putSecret(KEY_NAME, randomBytes(32));
    cached = vault.getSecret(KEY_NAME);
    return new Uint8Array(cached);
  };
  const enc = new TextEncoder();
  return {
    seal(aad, value) {
      const k = key();
      try {
        const nonce = randomBytes(NONCE);
        const box = xchacha20poly1305(k, nonce, enc.encode(aad)).encrypt(enc.encode(JSON.stringify(value)));
        const out = new Uint8Array(NONCE + box.length);
        out.set(nonce, 0);
        out.set(box, NONCE);
        return out;
      } finally {
        k.fill(0);
      }
    },
    open<T>(aad: string, sealed: Uint8Array): T {
      const k = key();
      try {
        const plain = xchacha20poly1305(k, sealed.subarray(0, NONCE), enc.encode(aad)).decrypt(
          sealed.subarray(NONCE),
        );
        return JSON.parse(new TextDecoder().decode(plain)) as T;
      } finally {
        k.fill(0);
      }
    },
  };
}
