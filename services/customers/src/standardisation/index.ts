/**
 * Standardisation of customer data on every write path (API, batch, import): the platform's rules for
 * phones, e-mails and names (shared with the other services, so their matching agrees) applied to a
 * whole customer; invalid values come back as per-field problems instead of exceptions.
 */
export type { FieldProblem, Normalised } from '@crm/platform/standardisation';
export { PROBLEM_CODES, normalisePhone, phoneSearchKey, normaliseEmail, normaliseName, normaliseText, nameSearchKey } from '@crm/platform/standardisation';
export { standardiseCustomer, type CustomerWriteInput, type StandardiseOptions, type StandardisedCustomer } from './customer';
