import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A CommonJS package loaded the first time something uses it, instead of when the main bundle
 * starts. WHY: the main process imports every area at start-up, and packages only some screens
 * use (animated QR codes for signers and eCash, for example) cost start-up time for every user,
 * every launch (issue 15 measured start-up to ready). `require` keeps the callers synchronous.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(id) as T);
}

/**
 * As lazyRequire, for a package the caller can do without (a faster backend with a fallback):
 * null when it cannot load, and then not tried again.
 */
export function lazyRequireOptional<T>(id: string): () => T | null {
  let loaded: T | null | undefined;
  return () => {
    if (loaded === undefined) {
      try {
        loaded = requireHere(id) as T;
      } catch {
        loaded = null;
      }
    }
    return loaded;
  };
}
