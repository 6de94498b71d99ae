import { COLLECT_EVERYTHING, collectionProblems, mayCarryOptionalData, type CollectionSettings } from './collection-rules';

describe('data minimisation rules', () => {
  const strict: CollectionSettings = { collect: { nationalId: false, bankAccount: true, wechatIds: false, addresses: false }, notCollectedCustomFields: ['birthday'] };

  it('refuses each value of a field the tenant does not collect, by its field path', () => {
    const problems = collectionProblems(strict, { nationalId: '110101199003071233', wechatIds: ['wx'], addresses: [{ city: '上海市' }], bankAccount: '6222020200112233445', customFields: { birthday: '1990-03-07', level: '金牌' } });
    expect(problems.map((problem) => [problem.field, problem.code])).toEqual([
      ['nationalId', 'field_collection_disabled'],
      ['wechatIds', 'field_collection_disabled'],
      ['addresses', 'field_collection_disabled'],
      ['customFields.birthday', 'field_collection_disabled'],
    ]);
  });

  it('always lets a write remove a value', () => {
    expect(collectionProblems(strict, { nationalId: null, wechatIds: [], addresses: [], customFields: { birthday: null } })).toEqual([]);
    expect(collectionProblems(strict, { nationalId: '  ', customFields: { birthday: '' } })).toEqual([]);
  });

  it('collects everything by default', () => {
    expect(collectionProblems(COLLECT_EVERYTHING, { nationalId: '110101199003071233', addresses: [{ city: '上海市' }], customFields: { birthday: '1990-03-07' } })).toEqual([]);
  });

  it('needs no settings for a write without optional values', () => {
    expect(mayCarryOptionalData({})).toBe(false);
    expect(mayCarryOptionalData({ nationalId: null, addresses: [], customFields: {} })).toBe(false);
    expect(mayCarryOptionalData({ wechatIds: ['wx'] })).toBe(true);
    expect(mayCarryOptionalData({ customFields: { level: '金牌' } })).toBe(true);
  });
});
