import { createContext, useCallback, useContext, useEffect, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Settings, SettingsPatch } from '../../shared/contract/settings';
import { guessLanguage, I18nProvider } from '../i18n';
import { useFlash } from './flash-context';
import { useLiveValue, useOnReconnect } from './hooks';
import { call } from './result';

interface SettingsContextValue {
  /** null until loaded (or when the store cannot be read). */
  settings: Settings | null;
  /** Saves a change; throws BridgeCallError on failure. */
  update: (patch: SettingsPatch) => Promise<Settings>;
}

const SettingsContext = createContext<SettingsContextValue | null>(null);

/** Loads settings, follows 'settings.changed', and applies language and theme to the page. */
export function SettingsProvider({ children }: { children: ReactNode }) {
  const flash = useFlash();
  const load = useCallback(() => flash.settings.get(), [flash]);
  const live = useLiveValue(load, 'settings.changed');
  const { set, reload } = live;
  useOnReconnect(reload);
  const settings = live.value ?? null;

  const update = useCallback(
    async (patch: SettingsPatch) => {
      const next = await call(flash.settings.update(patch));
      set(next);
      return next;
    },
    [flash, set],
  );

  const language = settings?.language ?? guessLanguage();
  const theme = settings?.theme ?? 'system';
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const value = useMemo(() => ({ settings, update }), [settings, update]);
  return (
    <SettingsContext value={value}>
      <I18nProvider language={language}>{children}</I18nProvider>
    </SettingsContext>
  );
}

export function useSettings(): SettingsContextValue {
  const value = useContext(SettingsContext);
  if (!value) throw new Error('useSettings must be used inside <SettingsProvider>');
  return value;
}
