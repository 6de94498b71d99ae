import { customerRow } from '../customers/customer.fixture';
import { againstCustomer, combineRows } from './row-folding';
import { invalidLeadReasons, withInvalidLeadTags } from './invalid-leads';

describe('combineRows', () => {
  const rows = [
    { name: '赵六', phones: ['+8613500135000'], tags: ['VIP'], customFields: { level: 'A' } },
    { name: '赵六（分公司）', phones: ['+8613500135000', '+862161234567'], emails: ['zhao@example.cn'], industry: '制造业', tags: ['vip', '老客户'], customFields: { level: 'B', size: 3 } },
  ];

  it('update keeps the last row’s single values, merge the first’s; lists are joined in file order', () => {
    expect(combineRows('update', rows)).toEqual({
      name: '赵六（分公司）',
      industry: '制造业',
      phones: ['+8613500135000', '+862161234567'],
      emails: ['zhao@example.cn'],
      tags: ['VIP', '老客户'],
      customFields: { level: 'B', size: 3 },
    });
    expect(combineRows('merge', rows)).toMatchObject({ name: '赵六', industry: '制造业', customFields: { level: 'A', size: 3 } });
  });
});

describe('againstCustomer', () => {
  const customer = customerRow({ name: '老名字', region: '华东', industry: null, phones: ['+8613800138000'], emails: ['old@example.cn'], tags: ['老客户'], customFields: { level: 'A' } });
  const write = { name: '新名字', region: '华南', industry: '贸易', phones: ['+862161234567'], emails: ['old@example.cn'], tags: ['VIP', '老客户'], customFields: { level: 'B', size: 1 } };

  it('update: the file’s values replace, its contacts come first', () => {
    expect(againstCustomer('update', customer, write)).toEqual({
      name: '新名字',
      region: '华南',
      industry: '贸易',
      phones: ['+862161234567', '+8613800138000'],
      emails: ['old@example.cn'],
      tags: ['老客户', 'VIP'],
      customFields: { level: 'B', size: 1 },
    });
  });

  it('merge: only gaps are filled and new contacts added', () => {
    expect(againstCustomer('merge', customer, write)).toEqual({
      industry: '贸易',
      phones: ['+8613800138000', '+862161234567'],
      emails: ['old@example.cn'],
      tags: ['老客户', 'VIP'],
      customFields: { size: 1 },
    });
  });
});

describe('invalid leads', () => {
  const cutoff = new Date(Date.UTC(2024, 0, 1));

  it('are unreachable without any contact, long unresponsive when last contacted before the cutoff', () => {
    expect(invalidLeadReasons({ phones: [], emails: [], wechatIds: [] }, undefined, cutoff)).toEqual(['unreachable']);
    expect(invalidLeadReasons({ phones: [], emails: [], wechatIds: ['wx'] }, new Date(Date.UTC(2023, 5, 1)), cutoff)).toEqual(['unresponsive']);
    expect(invalidLeadReasons({ phones: ['+8613800138000'], emails: [], wechatIds: [] }, new Date(Date.UTC(2024, 5, 1)), cutoff)).toEqual([]);
  });

  it('get the 无效线索 tag and one per reason, added once', () => {
    expect(withInvalidLeadTags(['VIP', '无效线索'], ['unreachable', 'unresponsive'])).toEqual(['VIP', '无效线索', '无效线索:无法联系', '无效线索:长期未响应']);
  });
});
