export type PasswordStrength = 'tooShort' | 'weak' | 'fair' | 'strong';

export const MIN_PASSWORD_LENGTH = 8;

/** A rough hint only (length, variety, repetition); the real protection is the slow KDF in main. */
export function passwordStrength(password: string): PasswordStrength {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'tooShort';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const distinct = new Set(password).size;
  if (distinct < 5) return 'weak';
  if (length >= 16 || (length >= 12 && classes >= 3)) return 'strong';
  if (length >= 12 || classes >= 3) return 'fair';
  return 'weak';
}
