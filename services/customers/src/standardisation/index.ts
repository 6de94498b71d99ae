/**
 * Standardisation of customer data on every write path (API, batch, import): pure functions, no I/O, no Nest.
 * Phones become E.164, e-mails lower-cased and checked, names and labels folded to half-width and trimmed;
 * invalid values come back as per-field problems instead of exceptions.
 */
export type { FieldProblem, Normalised } from './types';
export { PROBLEM_CODES } from './types';
export { normalisePhone, phoneSearchKey } from './phone';
export { normaliseEmail } from './email';
export { normaliseName, normaliseText, nameSearchKey } from './text';
export { standardiseCustomer, type CustomerWriteInput, type StandardiseOptions, type StandardisedCustomer } from './customer';
