/**
 * accounts screens' text. English is the reference; Spanish must have exactly the same keys
 * (the type below fails to compile otherwise) and the same placeholders (unit test).
 */
export const accountsEn = {} satisfies Record<string, string>;

export const accountsEs: Record<keyof typeof accountsEn, string> = {};
