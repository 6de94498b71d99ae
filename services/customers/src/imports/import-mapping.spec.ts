import type { CustomFieldRule } from '../custom-fields/custom-field-validation';
import { compileMapping, DEFAULT_LIST_SEPARATOR, type MappingContext } from './import-mapping';

const HEADER = ['客户编号', '客户名称', '联系人', '手机', '电话', '备用电话', '邮箱', '省份', '标签', '最后联系', '预算', '电话'];
const BUDGET: CustomFieldRule = { key: 'budget', label: '预算', type: 'number', options: [], required: false };
const LEVEL: CustomFieldRule = { key: 'level', label: '等级', type: 'select', options: ['金牌'], required: true };
const context = (overrides: Partial<MappingContext> = {}): MappingContext => ({ header: HEADER, customFields: [BUDGET], createsOnly: true, markInvalid: false, ...overrides });

describe('compileMapping', () => {
  it('resolves columns to positions, several per field in order', () => {
    const { mapping, problems } = compileMapping(
      {
        fields: { name: ['客户名称', '联系人'], phones: ['手机', '备用电话'], emails: '邮箱', region: ['省份'], externalId: '客户编号' },
        tags: ['标签'],
        tagSeparator: '|',
        customFields: { budget: '预算' },
        lastContactColumn: '最后联系',
        defaults: { type: 'company', source: '旧系统', tags: ['迁移'] },
        values: { type: { P: 'person' } },
        nullValues: ['N/A'],
      },
      context(),
    );

    expect(problems).toEqual([]);
    expect(mapping).toMatchObject({
      scalars: [
        { field: 'name', columns: [1, 2] },
        { field: 'region', columns: [7] },
        { field: 'externalId', columns: [0] },
      ],
      lists: [
        { field: 'phones', columns: [3, 5] },
        { field: 'emails', columns: [6] },
      ],
      tags: [8],
      customFields: [{ key: 'budget', columns: [10] }],
      lastContact: [9],
      defaults: { type: 'company', source: '旧系统' },
      defaultTags: ['迁移'],
    });
    expect(mapping?.values.type?.get('p')).toBe('person');
    expect(mapping?.nullValues).toEqual(new Set(['N/A']));
    expect('a|b'.split(mapping!.tagSeparator)).toEqual(['a', 'b']);
    expect('a/b，c'.split(mapping!.listSeparator)).toEqual(['a', 'b', 'c']);
    expect(DEFAULT_LIST_SEPARATOR).toContain('、');
  });

  it('reports every problem at once, each with its path', () => {
    const { mapping, problems } = compileMapping(
      {
        fields: { name: '公司', phones: ['手机', '传真', '电话'], nickname: '联系人', emails: [] },
        address: { planet: '省份' },
        customFields: { budget: '预算', colour: '省份' },
        defaults: { type: 'robot', lifecycleStage: 'new', owner: 'me' },
        values: { lifecycleStage: { 潜: 'someday' }, name: {} },
        tagSeparator: '',
        extra: true,
      },
      context({ customFields: [BUDGET, LEVEL] }),
    );

    expect(mapping).toBeUndefined();
    expect(problems.map((problem) => `${problem.field} ${problem.code}`)).toEqual([
      'mapping.extra invalid_mapping',
      'mapping.fields.name unknown_column',
      'mapping.fields.phones[1] unknown_column',
      'mapping.fields.phones[2] ambiguous_column',
      'mapping.fields.nickname invalid_mapping',
      'mapping.fields.emails invalid_mapping',
      'mapping.address.planet invalid_mapping',
      'mapping.customFields.colour unknown_custom_field',
      'mapping.defaults.type invalid_mapping',
      'mapping.defaults.owner invalid_mapping',
      'mapping.values.lifecycleStage.潜 invalid_mapping',
      'mapping.values.name invalid_mapping',
      'mapping.tagSeparator invalid_mapping',
      'mapping.fields.name required_mapping',
      'mapping.customFields.level required_mapping',
    ]);
    expect(problems[1].message).toContain('The file has no column "公司" (its columns: "客户编号", "客户名称"');
  });

  it('needs no name when rows may only update customers, and contacts to judge leads by', () => {
    expect(compileMapping({ fields: { externalId: '客户编号', phones: '手机' } }, context({ createsOnly: false })).problems).toEqual([]);
    expect(compileMapping({ fields: { name: '客户名称' } }, context({ markInvalid: true })).problems).toEqual([
      expect.objectContaining({ field: 'mapping.fields', code: 'required_mapping' }),
    ]);
  });

  it('refuses what is not an object', () => {
    for (const raw of [null, [], 'fields', 3]) {
      expect(compileMapping(raw, context()).problems).toEqual([expect.objectContaining({ field: 'mapping', code: 'invalid_mapping' })]);
    }
  });
});
