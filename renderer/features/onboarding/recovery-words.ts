import { validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

export const RESTORE_WORD_COUNTS = [12, 15, 18, 21, 24] as const;
export type RestoreWordCount = (typeof RESTORE_WORD_COUNTS)[number];

const WORDS = new Set(wordlist);

/** 'partial': could still become a word as the user types; 'invalid': no word starts like this. */
export type WordState = 'empty' | 'partial' | 'valid' | 'invalid';

export function normalizeWord(raw: string): string {
  return raw.normalize('NFKD').trim().toLowerCase();
}

export function wordState(word: string): WordState {
  if (word === '') return 'empty';
  if (WORDS.has(word)) return 'valid';
  return wordlist.some((w) => w.startsWith(word)) ? 'partial' : 'invalid';
}

/** Words that start with `prefix`, in list order. */
export function suggestionsFor(prefix: string, max = 8): string[] {
  if (prefix === '') return [];
  const out: string[] = [];
  for (const w of wordlist) {
    if (w.startsWith(prefix)) {
      out.push(w);
      if (out.length >= max) break;
    }
  }
  return out;
}

/** The one word `prefix` can become, if there is exactly one (BIP39 words differ in 4 letters). */
export function uniqueCompletion(prefix: string): string | null {
  if (prefix === '' || WORDS.has(prefix)) return null;
  const matches = suggestionsFor(prefix, 2);
  return matches.length === 1 ? (matches[0] ?? null) : null;
}

/** Splits pasted text ("1. abandon 2. ability", newlines, commas) into words. */
export function splitWords(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((w) => normalizeWord(w.replace(/^\d+[.)]?/, '')))
    .filter((w) => w !== '');
}

/** The smallest allowed phrase length that holds `n` words. */
export function wordCountFor(n: number): RestoreWordCount {
  return RESTORE_WORD_COUNTS.find((c) => c >= n) ?? 24;
}

/** True when every word is in the list and the BIP39 checksum holds. */
export function isValidPhrase(words: readonly string[]): boolean {
  return validateMnemonic(words.join(' '), wordlist);
}
