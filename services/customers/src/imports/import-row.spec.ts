import { compileMapping, type ImportMappingInput } from './import-mapping';
import { parseDate, readRow } from './import-row';

const HEADER = ['编号', '名称', '类型', '手机', '电话', '邮箱', '标签', '阶段', '重点', '省', '市', '最后联系', '预算'];

function read(cells: Record<string, string>, input: ImportMappingInput = {}) {
  const { mapping, problems } = compileMapping(
    {
      fields: { externalId: '编号', name: '名称', type: '类型', phones: ['手机', '电话'], emails: '邮箱', lifecycleStage: '阶段', keyAccount: '重点' },
      address: { province: '省', city: '市' },
      tags: '标签',
      customFields: { budget: '预算' },
      lastContactColumn: '最后联系',
      ...input,
    },
    { header: HEADER, customFields: [{ key: 'budget', label: '预算', type: 'number', options: [], required: false }], createsOnly: true, markInvalid: false },
  );
  if (!mapping) throw new Error(JSON.stringify(problems));
  return readRow(
    HEADER.map((column) => cells[column] ?? ''),
    mapping,
  );
}

describe('readRow', () => {
  it('turns cells into the write shape: lists split and collected, coded values translated, a date read', () => {
    const row = read({
      编号: ' C-1 ',
      名称: '张三',
      类型: '企业',
      手机: '13800138000/13900139000',
      电话: '无',
      邮箱: 'a@example.cn; b@example.cn',
      标签: 'VIP,重点客户、老客户',
      阶段: '活跃',
      重点: '是',
      省: '浙江',
      市: '杭州',
      最后联系: '2024年3月7日',
      预算: '1000',
    });

    expect(row.problems).toEqual([]);
    expect(row.input).toEqual({
      externalId: 'C-1',
      name: '张三',
      type: 'company',
      phones: ['13800138000', '13900139000'],
      emails: ['a@example.cn', 'b@example.cn'],
      tags: ['VIP', '重点客户', '老客户'],
      lifecycleStage: 'active',
      keyAccount: true,
      addresses: [{ province: '浙江', city: '杭州' }],
      customFields: { budget: '1000' },
    });
    expect(row.lastContact).toEqual(new Date(Date.UTC(2024, 2, 7)));
  });

  it('fills a field from the next column when the first is empty, and leaves empty fields out', () => {
    const { input } = read({ 名称: '', 手机: '', 电话: '021-61234567' }, { fields: { name: ['名称', '编号'], phones: ['手机', '电话'] } });
    expect(input).toEqual({ phones: ['021-61234567'], customFields: {} });
    expect(read({ 名称: '', 编号: 'X-9' }, { fields: { name: ['名称', '编号'] } }).input).toMatchObject({ name: 'X-9' });
  });

  it('uses defaults for empty cells, the mapping’s own codes before the built-in ones', () => {
    const { input, problems } = read({ 类型: 'C' }, { values: { type: { C: 'company' } }, defaults: { source: '旧系统', tags: ['迁移'] } });
    expect(problems).toEqual([]);
    expect(input).toMatchObject({ type: 'company', source: '旧系统', tags: ['迁移'] });
  });

  it('reports values the write path would refuse for their size or vocabulary', () => {
    const { problems } = read({ 名称: '名'.repeat(201), 类型: '外星人', 重点: '也许', 最后联系: '上周', 标签: 'x'.repeat(51) });
    expect(problems.map((problem) => `${problem.field} ${problem.code}`)).toEqual([
      'name too_long',
      'type invalid_value',
      'keyAccount invalid_value',
      'tags too_long',
      'lastContact invalid_date',
    ]);
    expect(read({ 手机: Array.from({ length: 21 }, (_, i) => `1380013800${i % 10}`).join('/') }).problems).toEqual([
      expect.objectContaining({ field: 'phones', code: 'too_many' }),
    ]);
  });
});

describe('parseDate', () => {
  it.each([
    ['2024-03-07', Date.UTC(2024, 2, 7)],
    ['2024/3/7', Date.UTC(2024, 2, 7)],
    ['2024.03.07 14:30', Date.UTC(2024, 2, 7)],
    ['2024-03-07T14:30:00+08:00', Date.UTC(2024, 2, 7)],
    ['2024年3月7日', Date.UTC(2024, 2, 7)],
  ])('%s', (text, expected) => {
    expect(parseDate(text)?.getTime()).toBe(expected);
  });

  it.each(['2024-02-30', '07/03/2024', '去年', '2024-13-01', ''])('%j is no date', (text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});
