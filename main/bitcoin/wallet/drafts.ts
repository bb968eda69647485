import { randomBytes } from 'node:crypto';
import type { MnemonicDraft } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { CONFIRM_WORD_COUNT, DRAFT_TTL_MS } from './constants';
import { generateMnemonic, normalizeWords, pickConfirmIndexes } from './mnemonic';

interface Draft {
  words: string[];
  confirmIndexes: number[];
  expiresAt: number;
  timer: ReturnType<typeof setTimeout>;
}

export interface DraftStore {
  create(wordCount: 12 | 24): MnemonicDraft;
  /**
   * Checks the typed words against the draft and returns its mnemonic; the draft stays until
   * `discard`, so a typo can be corrected without new words.
   */
  verify(draftId: string, checks: readonly { index: number; word: string }[]): string;
  discard(draftId: string): void;
  clear(): void;
}

/**
 * Freshly generated words live only here, in memory, until the user proves they wrote them down.
 * Nothing is persisted, so quitting mid-onboarding leaves no trace of the words.
 */
export function createDraftStore(now: () => number): DraftStore {
  const drafts = new Map<string, Draft>();

  function remove(id: string): void {
    const d = drafts.get(id);
    if (!d) return;
    clearTimeout(d.timer);
    d.words.fill('');
    drafts.delete(id);
  }

  // Checked on every use (the injected clock rules), and also dropped by a timer so abandoned
  // words do not sit in memory until the next onboarding.
  function purgeExpired(): void {
    const t = now();
    for (const [id, d] of drafts) if (d.expiresAt <= t) remove(id);
  }

  return {
    create(wordCount) {
      purgeExpired();
      const words = generateMnemonic(wordCount).split(' ');
      const confirmIndexes = pickConfirmIndexes(words.length, CONFIRM_WORD_COUNT);
      const draftId = randomBytes(16).toString('hex');
      const timer = setTimeout(() => remove(draftId), DRAFT_TTL_MS);
      timer.unref();
      drafts.set(draftId, { words, confirmIndexes, expiresAt: now() + DRAFT_TTL_MS, timer });
      return { draftId, words: [...words], confirmIndexes: [...confirmIndexes] };
    },
    verify(draftId, checks) {
      purgeExpired();
      const draft = drafts.get(draftId);
      if (!draft) throw new FlashError('DRAFT_NOT_FOUND', 'These recovery words expired; start again.');
      const typed = new Map<number, string>();
      for (const c of checks) typed.set(c.index, normalizeWords([c.word]).join(' '));
      // Every asked position must be answered; extra answers must be right too.
      const positions = [...new Set([...draft.confirmIndexes, ...typed.keys()])].sort((a, b) => a - b);
      for (const index of positions) {
        if (typed.get(index) !== draft.words[index]) {
          throw new FlashError('CONFIRMATION_MISMATCH', `Word ${index + 1} does not match.`, { index });
        }
      }
      return draft.words.join(' ');
    },
    discard(draftId) {
      remove(draftId);
    },
    clear() {
      for (const id of [...drafts.keys()]) remove(id);
    },
  };
}
