/**
 * social screens' text. English is the reference; Spanish must have exactly the same keys
 * (the type below fails to compile otherwise) and the same placeholders (unit test).
 */
export const socialEn = {} satisfies Record<string, string>;

export const socialEs: Record<keyof typeof socialEn, string> = {};
