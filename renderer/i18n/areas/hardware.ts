/**
 * hardware screens' text. English is the reference; Spanish must have exactly the same keys
 * (the type below fails to compile otherwise) and the same placeholders (unit test).
 */
export const hardwareEn = {} satisfies Record<string, string>;

export const hardwareEs: Record<keyof typeof hardwareEn, string> = {};
