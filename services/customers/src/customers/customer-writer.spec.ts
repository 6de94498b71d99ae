import { randomBytes } from 'node:crypto';
import { PiiCipher } from '../pii/pii-cipher';
import { CustomerErasedError } from '../privacy/privacy.errors';
import type { DataMinimisation } from '../settings/data-minimisation';
import type { UsersRepository } from '../users/users.repository';
import { customerRow } from './customer.fixture';
import { CustomerWriter, hasChanges, same } from './customer-writer';

describe('CustomerWriter.apply', () => {
  const writer = new CustomerWriter(new PiiCipher(randomBytes(32)), {} as UsersRepository, {} as DataMinimisation);

  it('reports changed fields, a new owner and tag changes apart', () => {
    const customer = customerRow();
    const changes = writer.apply(customer, { name: '新名字', region: '华东', ownerId: 'f0000000-0000-4000-8000-000000000001', tags: ['VIP', '展会'] });

    expect(changes).toEqual({
      fields: ['name'],
      owner: { from: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', to: 'f0000000-0000-4000-8000-000000000001' },
      tags: { added: ['展会'], removed: [] },
    });
    expect(customer).toMatchObject({ name: '新名字', ownerId: 'f0000000-0000-4000-8000-000000000001', tags: ['VIP', '展会'] });
  });

  it('sees no change in values equal but for the key order jsonb gives back', () => {
    const customer = customerRow({ consent: JSON.parse('{"sms":{"at":null,"status":"unknown"},"email":{"at":null,"status":"unknown"},"phone":{"at":null,"status":"unknown"},"wechat":{"at":null,"status":"unknown"}}') });
    const changes = writer.apply(customer, {
      consent: { email: { status: 'unknown', at: null }, sms: { status: 'unknown', at: null }, wechat: { status: 'unknown', at: null }, phone: { status: 'unknown', at: null } },
      addresses: [{ street: '世纪大道100号', city: '上海市' }],
      customFields: { contract_level: '金牌' },
    });

    expect(hasChanges(changes)).toBe(false);
    expect(same({ a: [1, { b: 2, c: 3 }] }, { a: [1, { c: 3, b: 2 }] })).toBe(true);
    expect(same(['a', 'b'], ['b', 'a'])).toBe(false);
  });

  it('never changes an erased customer, tags included', () => {
    const customer = customerRow({ erasedAt: new Date() });

    expect(() => writer.apply(customer, { name: '张三' })).toThrow(CustomerErasedError);
    expect(() => writer.changeTags(customer, ['VIP'], [])).toThrow(CustomerErasedError);
  });

  it('adds and removes tags without regard to case', () => {
    const customer = customerRow({ tags: ['VIP', '重点'] });
    const { changes, problems } = writer.changeTags(customer, ['vip', '新客'], ['重点']);

    expect(problems).toEqual([]);
    expect(customer.tags).toEqual(['VIP', '新客']);
    expect(changes.tags).toEqual({ added: ['新客'], removed: ['重点'] });
  });
});
