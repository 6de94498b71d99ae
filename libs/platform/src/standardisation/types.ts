/** One rejected value of a write, addressed by its path in the input (`name`, `phones[1]`, `emails[0]`). */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/** The outcome of normalising one value: the canonical form, or why there is none. Never an exception. */
export type Normalised<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Problem codes, so callers (HTTP errors[], import errors.csv) can branch on them without string literals. */
export const PROBLEM_CODES = {
  invalidPhone: 'invalid_phone',
  invalidEmail: 'invalid_email',
  invalidType: 'invalid_type',
  required: 'required',
} as const;
