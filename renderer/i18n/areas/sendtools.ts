/**
 * sendtools screens' text. English is the reference; Spanish must have exactly the same keys
 * (the type below fails to compile otherwise) and the same placeholders (unit test).
 */
export const sendtoolsEn = {} satisfies Record<string, string>;

export const sendtoolsEs: Record<keyof typeof sendtoolsEn, string> = {};
