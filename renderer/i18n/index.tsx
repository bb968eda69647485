import { createContext, useCallback, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Language } from '../../shared/contract/settings';
import type { ErrorCode } from '../../shared/errors';
import type { NumberSeparators } from '../../shared/money';
import { BridgeCallError } from '../app/result';
import type { MessageKey, Messages } from './en';
import { en } from './en';
import { es } from './es';
import type { Translate, TranslateVars } from './translate-types';

export type { MessageKey, Messages };
export type { Translate, TranslateVars };

export const DICTIONARIES: Record<Language, Messages> = { en, es };

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function translate(messages: Messages, key: MessageKey, vars?: TranslateVars): string {
  const text = messages[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

export function errorMessageKey(code: ErrorCode): MessageKey {
  return `error.${code}`;
}

/** The browser's preferred language among ours, for screens shown before settings load. */
export function guessLanguage(): Language {
  const langs = typeof navigator === 'undefined' ? [] : navigator.languages;
  for (const l of langs) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'en' || base === 'es') return base;
  }
  return 'en';
}

interface I18n {
  language: Language;
  t: Translate;
  separators: NumberSeparators;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const value = useMemo<I18n>(() => {
    const messages = DICTIONARIES[language];
    return {
      language,
      t: (key, vars) => translate(messages, key, vars),
      separators: { group: messages['number.group'], decimal: messages['number.decimal'] },
    };
  }, [language]);
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}

/** Turns any caught error into translated text (bridge codes map to their own message). */
export function useErrorText(): (err: unknown) => string {
  const t = useT();
  return useCallback(
    (err: unknown) => {
      if (!(err instanceof BridgeCallError)) return t('error.INTERNAL');
      const vars: TranslateVars = {};
      for (const [k, v] of Object.entries(err.details)) if (v !== null) vars[k] = String(v);
      return t(errorMessageKey(err.code), vars);
    },
    [t],
  );
}

/** Formats an epoch timestamp (seconds or milliseconds) as a local date and time. */
export function useFormatDateTime(): (epoch: number) => string {
  const { language } = useI18n();
  return useMemo(() => {
    const fmt = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    // Seconds until the year 33658; anything larger is milliseconds.
    return (epoch: number) => fmt.format(new Date(epoch < 1e12 ? epoch * 1000 : epoch));
  }, [language]);
}
