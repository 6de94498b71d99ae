import { toJson } from '@bufbuild/protobuf';
import { CustomerSchema } from '@crm/contracts';
import { customerRow } from './customer.fixture';
import { toCustomerDto, toCustomerSnapshot } from './customer.mapper';

describe('customer mappers', () => {
  it('show national ID and bank account masked by default, never the row internals', () => {
    const dto = toCustomerDto(customerRow());

    expect(dto).toMatchObject({ nationalId: '9131**********3U', bankAccount: null, piiRevealed: false, version: 3, createdAt: '2025-03-01T08:30:15.123Z' });
    for (const internal of ['tenantId', 'nationalIdEncrypted', 'nationalIdMasked', 'deletedAt', 'createdBy']) {
      expect(dto).not.toHaveProperty(internal);
    }
  });

  it('show the unmasked values only when given them', () => {
    const dto = toCustomerDto(customerRow(), { nationalId: '91310000MA1FL4CT3U', bankAccount: null });

    expect(dto).toMatchObject({ nationalId: '91310000MA1FL4CT3U', bankAccount: null, piiRevealed: true });
  });

  it('give events everything but the numbers, of which only their presence', () => {
    const json = toJson(CustomerSchema, toCustomerSnapshot(customerRow()));

    expect(json).toMatchObject({
      type: 'company',
      name: '上海示例贸易有限公司',
      phones: ['+8613800138000'],
      ownerId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
      valueTier: 'A',
      keyAccount: true,
      customFields: { contract_level: '金牌' },
      addresses: [{ city: '上海市', street: '世纪大道100号' }],
      consent: { email: { status: 'unknown' } },
      hasNationalId: true,
    });
    expect(JSON.stringify(json)).not.toMatch(/9131|national_id|sealed/i);
  });
});
