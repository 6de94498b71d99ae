import { applyCustomFields, type CustomFieldRule } from './custom-field-validation';

const RULES: CustomFieldRule[] = [
  { key: 'level', label: '等级', type: 'select', options: ['金牌', '银牌'], required: true },
  { key: 'employees', label: '员工人数', type: 'number', options: [], required: false },
  { key: 'signed_on', label: '签约日期', type: 'date', options: [], required: false },
  { key: 'note', label: '备注', type: 'text', options: [], required: false },
];

const codes = (result: ReturnType<typeof applyCustomFields>): string[] => result.problems.map((problem) => `${problem.field}:${problem.code}`).sort();

describe('applyCustomFields', () => {
  it('returns canonical values: numbers from text, folded text, dates as given', () => {
    const result = applyCustomFields({ level: '金牌', employees: '1.5e3', signed_on: '2024-02-29', note: '  ＶＩＰ　客户 ' }, RULES);

    expect(result).toEqual({ value: { level: '金牌', employees: 1500, signed_on: '2024-02-29', note: 'VIP 客户' }, problems: [] });
  });

  it('names every wrong value with its path and a code', () => {
    const result = applyCustomFields({ level: '铜牌', employees: 'many', signed_on: '2023-02-29', note: 42, colour: 'red' }, RULES);

    expect(codes(result)).toEqual([
      'customFields.colour:unknown_custom_field',
      'customFields.employees:invalid_number',
      'customFields.level:invalid_option',
      'customFields.note:invalid_text',
      'customFields.signed_on:invalid_date',
    ]);
  });

  it('requires required fields in the result, not in every change', () => {
    expect(codes(applyCustomFields({}, RULES))).toEqual(['customFields.level:required']);
    expect(applyCustomFields({ employees: 3 }, RULES, { level: '银牌' })).toEqual({ value: { level: '银牌', employees: 3 }, problems: [] });
    expect(codes(applyCustomFields({ level: null }, RULES, { level: '银牌' }))).toEqual(['customFields.level:required']);
  });

  it('removes values set to null or to empty text', () => {
    const result = applyCustomFields({ employees: null, note: '  ' }, RULES, { level: '银牌', employees: 3, note: 'x' });

    expect(result).toEqual({ value: { level: '银牌' }, problems: [] });
  });

  it('refuses numbers that are not finite and text beyond the limit', () => {
    expect(codes(applyCustomFields({ level: '金牌', employees: Number.POSITIVE_INFINITY }, RULES))).toEqual(['customFields.employees:invalid_number']);
    expect(codes(applyCustomFields({ level: '金牌', note: 'x'.repeat(2_001) }, RULES))).toEqual(['customFields.note:invalid_text']);
  });
});
