import { useCallback, useState } from 'react';

/**
 * Busy flag, last error and "saved at" around a settings save. The settings context's `update`
 * throws instead of returning a Result, so useAction does not fit; this is its try/catch form.
 */
export function useSave() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  /** Runs `save`; true once it resolved (and "Saved." shows), false if it threw (and the error shows). */
  const run = useCallback(async (save: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await save();
      setSavedAt(Date.now());
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, savedAt, clearError };
}
