import { describe, expect, it } from 'vitest';
import {
  isValidPhrase,
  splitWords,
  suggestionsFor,
  uniqueCompletion,
  wordCountFor,
  wordState,
} from '../../renderer/features/onboarding/recovery-words';
import { passwordStrength } from '../../renderer/features/onboarding/password-strength';

describe('recovery word helpers', () => {
  it('classifies words as they are typed', () => {
    expect(wordState('')).toBe('empty');
    expect(wordState('aban')).toBe('partial');
    expect(wordState('abandon')).toBe('valid');
    expect(wordState('xyz')).toBe('invalid');
  });

  it('suggests by prefix and completes unique prefixes', () => {
    expect(suggestionsFor('zo')).toEqual(['zone', 'zoo']);
    expect(suggestionsFor('')).toEqual([]);
    expect(suggestionsFor('a', 3)).toHaveLength(3);
    expect(uniqueCompletion('aban')).toBe('abandon');
    expect(uniqueCompletion('zo')).toBeNull();
    expect(uniqueCompletion('zoo')).toBeNull();
  });

  it('splits pasted phrases, including numbered lists', () => {
    expect(splitWords('  Abandon  ability\nable ')).toEqual(['abandon', 'ability', 'able']);
    expect(splitWords('1. abandon 2. ability, 3) able')).toEqual(['abandon', 'ability', 'able']);
    expect(wordCountFor(13)).toBe(15);
    expect(wordCountFor(24)).toBe(24);
    expect(wordCountFor(30)).toBe(24);
  });

  it('checks the BIP39 checksum', () => {
    const ok =
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    expect(isValidPhrase(ok.split(' '))).toBe(true);
    expect(isValidPhrase(ok.replace('about', 'abandon').split(' '))).toBe(false);
  });
});

describe('password strength hint', () => {
  it('grades roughly', () => {
    expect(passwordStrength('short')).toBe('tooShort');
    expect(passwordStrength('aaaaaaaaaaaa')).toBe('weak');
    expect(passwordStrength('abcdefgh')).toBe('weak');
    expect(passwordStrength('Abcdefg1!')).toBe('fair');
    expect(passwordStrength('correct horse battery')).toBe('strong');
  });
});
