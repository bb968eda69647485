import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { en } from '../../renderer/i18n/en';
import { es } from '../../renderer/i18n/es';

const DICTIONARIES = { en, es } as const;

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

describe('translations', () => {
  it('every language has exactly the English keys', () => {
    const reference = Object.keys(en).sort();
    for (const [name, dict] of Object.entries(DICTIONARIES)) {
      expect(Object.keys(dict).sort(), name).toEqual(reference);
    }
  });

  it('every error code has a non-empty message in every language', () => {
    for (const [name, dict] of Object.entries(DICTIONARIES)) {
      const messages = dict as Record<string, string>;
      for (const code of ERROR_CODES) {
        expect(messages[`error.${code}`], `${name}: error.${code}`).toBeTruthy();
      }
    }
  });

  it('no message is empty and translations keep the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[key].trim(), key).not.toBe('');
      expect(es[key].trim(), key).not.toBe('');
      expect(placeholders(es[key]), key).toEqual(placeholders(en[key]));
    }
  });
});
