import { randomInt } from 'node:crypto';

export const PASSWORD_MIN_LENGTH = 10;
/** scrypt hashes any length, but an unbounded input is a cheap way to make the server work hard. */
export const PASSWORD_MAX_LENGTH = 256;

const CHARACTER_CLASSES: ReadonlyArray<(char: string) => boolean> = [
  (char) => /\p{Ll}/u.test(char),
  (char) => /\p{Lu}/u.test(char),
  (char) => /\p{Nd}/u.test(char),
  // Everything else: punctuation, spaces, and letters without case such as Chinese characters.
  (char) => !/[\p{Ll}\p{Lu}\p{Nd}]/u.test(char),
];

/** Why a password is refused, or undefined when it is acceptable. Length counts characters, not bytes. */
export function passwordPolicyViolation(password: string): string | undefined {
  const characters = [...password];
  if (characters.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (characters.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const classes = CHARACTER_CLASSES.filter((isOfClass) => characters.some(isOfClass)).length;
  if (classes < 2) return 'must mix at least two of lower case, upper case, digits and other characters';
  return undefined;
}

const GENERATED_ALPHABETS = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789'];
const GENERATED_LENGTH = 20;

/**
 * A password for a user an admin creates without one, or the embedded demo admin: 20 characters from
 * unambiguous letters and digits (about 115 bits), with every class present so it passes the policy.
 */
export function generatePassword(): string {
  const all = GENERATED_ALPHABETS.join('');
  const characters = GENERATED_ALPHABETS.map((alphabet) => alphabet[randomInt(alphabet.length)]);
  while (characters.length < GENERATED_LENGTH) characters.push(all[randomInt(all.length)]);
  // Fisher-Yates, so the guaranteed characters are not always first.
  for (let index = characters.length - 1; index > 0; index--) {
    const other = randomInt(index + 1);
    [characters[index], characters[other]] = [characters[other], characters[index]];
  }
  return characters.join('');
}
