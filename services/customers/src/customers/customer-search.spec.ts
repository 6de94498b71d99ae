import { bigramsOf, containsPattern, planSearch, searchColumns } from './customer-search';

describe('customer search', () => {
  it('derives the search columns from the standardised fields', () => {
    expect(searchColumns({ name: '上海示例 贸易', nameEn: 'Example Co', phones: ['+8613800138000', '+862168888888'], emails: ['a@b.cn', 'c@d.cn'] })).toEqual({
      nameSearch: '上海示例 贸易 example co',
      nameBigrams: ['上海', '海示', '示例', '贸易', 'ex', 'xa', 'am', 'mp', 'pl', 'le', 'co'],
      phoneSearch: '8613800138000 862168888888',
      emailSearch: 'a@b.cn c@d.cn',
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(bigramsOf('𠮷野家')).toEqual(['𠮷野', '野家']);
  });

  it('reads phone numbers, whole or in part', () => {
    expect(planSearch('+86 138-0013-8000')).toEqual({ kind: 'phone', digits: '8613800138000', nameKey: '+86 138-0013-8000' });
    expect(planSearch('13800138000')).toMatchObject({ kind: 'phone', digits: '8613800138000' });
    expect(planSearch('0013')).toMatchObject({ kind: 'phone', digits: '0013' });
    expect(planSearch('１３８')).toMatchObject({ kind: 'phone', digits: '138' });
  });

  it('reads e-mail addresses and names', () => {
    expect(planSearch(' Li.Lei@ ')).toEqual({ kind: 'email', text: 'li.lei@' });
    expect(planSearch('示例贸易')).toEqual({ kind: 'name', key: '示例贸易', length: 4 });
    expect(planSearch('张伟')).toEqual({ kind: 'name', key: '张伟', length: 2 });
    expect(planSearch('ＡＢ')).toEqual({ kind: 'name', key: 'ab', length: 2 });
    expect(planSearch('12')).toEqual({ kind: 'name', key: '12', length: 2 });
    expect(planSearch('  ')).toEqual({ kind: 'none' });
  });

  it('takes LIKE wildcards in a search literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
