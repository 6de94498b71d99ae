import { normaliseText, type Normalised } from '../standardisation';
import type { CustomerType } from '../customers/customer-fields';

export const PII_PROBLEMS = { invalidNationalId: 'invalid_national_id', invalidBankAccount: 'invalid_bank_account' } as const;

const SEPARATORS = /[\s-]/g;

/** 居民身份证: 17 digits and a check character (ISO 7064 MOD 11-2), or the old 15-digit form. */
const RESIDENT_ID_18 = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/;
const RESIDENT_ID_15 = /^\d{6}(\d{2})(\d{2})(\d{2})\d{3}$/;
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECK = '10X98765432';

/** 统一社会信用代码 of a company: 18 characters of this alphabet, the last a MOD 31 check character. */
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Bank card and account numbers: digits only, 8 to 30 of them (corporate accounts run long). */
const BANK_ACCOUNT = /^\d{8,30}$/;

function compact(raw: string): string {
  return normaliseText(raw).replace(SEPARATORS, '').toUpperCase();
}

function isDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isResidentId(value: string): boolean {
  const long = RESIDENT_ID_18.exec(value);
  if (long) {
    if (!isDate(Number(long[1]), Number(long[2]), Number(long[3]))) return false;
    const sum = RESIDENT_ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(value[i]), 0);
    return RESIDENT_ID_CHECK[sum % 11] === value[17];
  }
  const short = RESIDENT_ID_15.exec(value);
  return short !== null && isDate(1900 + Number(short[1]), Number(short[2]), Number(short[3]));
}

export function isCreditCode(value: string): boolean {
  if (!CREDIT_CODE.test(value)) return false;
  const sum = CREDIT_CODE_WEIGHTS.reduce((total, weight, i) => total + weight * CREDIT_CODE_ALPHABET.indexOf(value[i]), 0);
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31] === value[17];
}

/**
 * A person's national ID (mainland resident ID) or a company's unified social credit code, compacted
 * (spaces and hyphens dropped, full-width folded, `x` → `X`) and checked, check character included.
 */
export function normaliseNationalId(raw: string, type: CustomerType): Normalised<string> {
  const value = compact(raw);
  const valid = type === 'company' ? isCreditCode(value) : isResidentId(value);
  if (valid) return { ok: true, value };
  const expected = type === 'company' ? 'an 18-character unified social credit code' : 'an 18-digit resident ID (the last may be X) or an old 15-digit one';
  return { ok: false, code: PII_PROBLEMS.invalidNationalId, message: `nationalId must be ${expected} with a valid check character` };
}

export function normaliseBankAccount(raw: string): Normalised<string> {
  const value = compact(raw);
  if (BANK_ACCOUNT.test(value)) return { ok: true, value };
  return { ok: false, code: PII_PROBLEMS.invalidBankAccount, message: 'bankAccount must be 8 to 30 digits (spaces and hyphens are ignored)' };
}
