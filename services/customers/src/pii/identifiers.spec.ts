import { maskIdentifier } from './masking';
import { isCreditCode, isResidentId, normaliseBankAccount, normaliseNationalId } from './identifiers';

describe('maskIdentifier', () => {
  it('keeps the first and last four of long numbers and the length', () => {
    expect(maskIdentifier('110101199003071233')).toBe('1101**********1233');
    expect(maskIdentifier('6222020200112233445')).toBe('6222***********3445');
  });

  it('shows less of shorter numbers', () => {
    expect(maskIdentifier('12345678')).toBe('****5678');
    expect(maskIdentifier('123456')).toBe('******');
    expect(maskIdentifier('')).toBe('');
  });
});

describe('national ID and bank account numbers', () => {
  it('accept resident IDs with a valid check character, and old 15-digit ones', () => {
    expect(isResidentId('110101199003071233')).toBe(true);
    expect(isResidentId('11010119900307123X')).toBe(false);
    expect(isResidentId('110101199003071234')).toBe(false);
    expect(isResidentId('110101199002301233')).toBe(false); // 30 February
    expect(isResidentId('110101900307123')).toBe(true);
  });

  it('accept unified social credit codes of companies', () => {
    expect(isCreditCode('91310000MA1FL4CT3U')).toBe(true);
    expect(isCreditCode('91310000MA1FL4CT3V')).toBe(false);
  });

  it('compact what people type', () => {
    expect(normaliseNationalId(' 110101 19900307 1233 ', 'person')).toEqual({ ok: true, value: '110101199003071233' });
    expect(normaliseNationalId('９１３１００００ＭＡ１ＦＬ４ＣＴ３Ｕ', 'company')).toEqual({ ok: true, value: '91310000MA1FL4CT3U' });
    expect(normaliseBankAccount('6222-0202-0011-2233-445')).toEqual({ ok: true, value: '6222020200112233445' });
  });

  it('report what is wrong with a code', () => {
    expect(normaliseNationalId('110101199003071233', 'company')).toMatchObject({ ok: false, code: 'invalid_national_id' });
    expect(normaliseBankAccount('6222 abc')).toMatchObject({ ok: false, code: 'invalid_bank_account' });
    expect(normaliseBankAccount('1234567')).toMatchObject({ ok: false });
  });
});
