/**
 * Standardisation of contact data every service meets (customers, leads, tickets, deliveries): pure
 * functions, no I/O, no Nest. Phones become E.164 (mainland numbers first), e-mails lower-cased and
 * checked, names and labels folded to half-width and trimmed; invalid values come back as problems
 * instead of exceptions. Matching across services (a lead against a customer) relies on all of them
 * using these same rules.
 */
export type { FieldProblem, Normalised } from './types';
export { PROBLEM_CODES } from './types';
export { hasChinaFastPath, normalisePhone, phoneSearchKey } from './phone';
export { normaliseEmail } from './email';
export { normaliseName, normaliseText, nameSearchKey, quoteValue } from './text';
