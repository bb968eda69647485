import type { MessageKey } from './en';

export type TranslateVars = Record<string, string | number>;
/** Kept out of index.tsx so plain TypeScript modules (and node-side tests) can name it without JSX. */
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;
