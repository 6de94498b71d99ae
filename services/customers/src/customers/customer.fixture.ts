import { unknownConsent } from './customer-fields';
import type { CustomerEntity } from './customer.entity';

/** A complete customer row for unit tests; override what the test is about. */
export function customerRow(overrides: Partial<CustomerEntity> = {}): CustomerEntity {
  return {
    id: '0d6f9a3e-7a53-4a8e-9d0c-6f4c1d2b3a41',
    tenantId: '5b0c2f6e-1d2a-4e3b-8c4d-5e6f7a8b9c0d',
    type: 'company',
    name: '上海示例贸易有限公司',
    nameEn: 'Shanghai Example Trading',
    phones: ['+8613800138000'],
    emails: ['li.lei@example.cn'],
    wechatIds: [],
    addresses: [{ city: '上海市', street: '世纪大道100号' }],
    industry: '制造业',
    region: '华东',
    source: null,
    ownerId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
    lifecycleStage: 'active',
    valueTier: 'A',
    keyAccount: true,
    tags: ['VIP'],
    consent: unknownConsent(),
    customFields: { contract_level: '金牌' },
    externalId: 'ERP-1',
    nationalIdEncrypted: Buffer.from('sealed'),
    nationalIdMasked: '9131**********3U',
    bankAccountEncrypted: null,
    bankAccountMasked: null,
    createdBy: null,
    version: 3,
    createdAt: new Date('2025-03-01T08:30:15.123Z'),
    updatedAt: new Date('2025-03-02T08:30:15.123Z'),
    deletedAt: null,
    ...overrides,
  };
}
