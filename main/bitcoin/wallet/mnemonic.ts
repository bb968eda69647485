import { randomInt } from 'node:crypto';
import * as bip39 from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { FlashError } from '../../../shared/errors';

export const VALID_WORD_COUNTS: readonly number[] = [12, 15, 18, 21, 24];
const KNOWN_WORDS = new Set(wordlist);

/**
 * Words as a person types or pastes them: any case, stray spaces, several words in one field.
 * NFKD is what BIP39 hashes, so normalising here keeps what we validate and what we hash equal.
 */
export function normalizeWords(words: readonly string[]): string[] {
  return words
    .join(' ')
    .normalize('NFKD')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/**
 * Validates typed recovery words and returns the canonical mnemonic. Checks run from the most to
 * the least helpful message: length, then the first unknown word (so the screen can point at it),
 * then the checksum (which can only say "one of them is wrong").
 */
export function parseMnemonic(words: readonly string[]): string {
  const clean = normalizeWords(words);
  if (!VALID_WORD_COUNTS.includes(clean.length)) {
    throw new FlashError(
      'MNEMONIC_BAD_LENGTH',
      `A recovery phrase has 12, 15, 18, 21 or 24 words, not ${clean.length}.`,
      {
        count: clean.length,
      },
    );
  }
  const unknown = clean.findIndex((w) => !KNOWN_WORDS.has(w));
  if (unknown >= 0) {
    throw new FlashError('MNEMONIC_UNKNOWN_WORD', `Word ${unknown + 1} is not in the BIP39 English list.`, {
      index: unknown,
    });
  }
  const mnemonic = clean.join(' ');
  if (!bip39.validateMnemonic(mnemonic, wordlist)) {
    throw new FlashError(
      'MNEMONIC_BAD_CHECKSUM',
      'The recovery phrase checksum does not match: a word is wrong or out of order.',
    );
  }
  return mnemonic;
}

export function generateMnemonic(wordCount: 12 | 24): string {
  return bip39.generateMnemonic(wordlist, wordCount === 12 ? 128 : 256);
}

/** `count` distinct positions in [0, wordCount), ascending so the screen asks in reading order. */
export function pickConfirmIndexes(wordCount: number, count: number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, wordCount)) picked.add(randomInt(wordCount));
  return [...picked].sort((a, b) => a - b);
}
