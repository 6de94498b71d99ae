import { customerRow } from '../customers/customer.fixture';
import { unknownConsent } from '../customers/customer-fields';
import type { CustomerEntity } from '../customers/customer.entity';
import { parseFieldChoices } from './field-choices';
import { planMerge } from './merge-rules';

const S = '00000000-0000-4000-8000-000000000001';
const A = '00000000-0000-4000-8000-000000000002';
const B = '00000000-0000-4000-8000-000000000003';

function customers(): [CustomerEntity, CustomerEntity, CustomerEntity] {
  const survivor = customerRow({
    id: S,
    name: '王小明',
    nameEn: null,
    phones: ['+8613800138000'],
    emails: ['wang@example.cn'],
    tags: ['VIP'],
    industry: null,
    region: '华东',
    lifecycleStage: 'new',
    valueTier: 'C',
    keyAccount: false,
    externalId: null,
    nationalIdEncrypted: null,
    nationalIdMasked: null,
    customFields: { level: '银牌' },
    consent: { ...unknownConsent(), sms: { status: 'granted', at: '2025-01-01T00:00:00.000Z' } },
    addresses: [{ city: '上海市' }],
  });
  const a = customerRow({
    id: A,
    name: '王晓明',
    nameEn: 'Xiaoming Wang',
    phones: ['+8613800138000', '+8613911112222'],
    emails: ['xm@example.com'],
    tags: ['vip', '展会'],
    industry: '零售',
    region: null,
    lifecycleStage: 'dormant',
    valueTier: 'B',
    keyAccount: true,
    externalId: 'ERP-A',
    customFields: { level: '金牌', source: 'ERP' },
    consent: { ...unknownConsent(), sms: { status: 'denied', at: '2025-06-01T00:00:00.000Z' }, email: { status: 'granted', at: '2025-02-01T00:00:00.000Z' } },
    addresses: [{ city: '上海市' }, { city: '北京市', street: '长安街1号' }],
  });
  const b = customerRow({
    id: B,
    name: '小明',
    nameEn: 'Ming',
    phones: ['+8613700001111'],
    emails: [],
    tags: [],
    industry: '制造业',
    region: '华南',
    lifecycleStage: 'active',
    valueTier: 'A',
    keyAccount: false,
    externalId: 'ERP-B',
    customFields: {},
    consent: { ...unknownConsent(), sms: { status: 'granted', at: '2025-03-01T00:00:00.000Z' } },
    addresses: [{ street: '长安街1号', city: '北京市' }],
  });
  return [survivor, a, b];
}

describe('planMerge', () => {
  it('keeps set scalars of the survivor, fills the rest from the first merged customer that has them', () => {
    const { write, valuesFrom } = planMerge(customers(), new Map());
    expect(write).toMatchObject({ name: '王小明', nameEn: 'Xiaoming Wang', industry: '零售', region: '华东', externalId: 'ERP-A' });
    expect(valuesFrom).toMatchObject({ nameEn: A, industry: A, externalId: A });
    expect(valuesFrom).not.toHaveProperty('region');
    expect(valuesFrom).not.toHaveProperty('name');
  });

  it('unites lists, survivor first, without repeats (tags ignore case, addresses ignore key order)', () => {
    const { write } = planMerge(customers(), new Map());
    expect(write.phones).toEqual(['+8613800138000', '+8613911112222', '+8613700001111']);
    expect(write.emails).toEqual(['wang@example.cn', 'xm@example.com']);
    expect(write.tags).toEqual(['VIP', '展会']);
    expect(write.addresses).toEqual([{ city: '上海市' }, { city: '北京市', street: '长安街1号' }]);
  });

  it('takes the most advanced stage, the best tier, key account if any, and per channel the latest consent', () => {
    const { write, valuesFrom } = planMerge(customers(), new Map());
    expect(write).toMatchObject({ lifecycleStage: 'active', valueTier: 'A', keyAccount: true });
    expect(write.consent).toMatchObject({ sms: { status: 'denied', at: '2025-06-01T00:00:00.000Z' }, email: { status: 'granted' }, phone: { status: 'unknown', at: null } });
    expect(valuesFrom).toMatchObject({ lifecycleStage: B, valueTier: B, keyAccount: A, 'consent.sms': A, 'consent.email': A });
  });

  it('ranks a lapsed customer above a prospect, and keeps the survivor on a tie', () => {
    const [survivor, a] = customers();
    survivor.lifecycleStage = 'prospect';
    a.lifecycleStage = 'churned';
    expect(planMerge([survivor, a], new Map()).write.lifecycleStage).toBe('churned');
    a.lifecycleStage = 'prospect';
    expect(planMerge([survivor, a], new Map()).valuesFrom).not.toHaveProperty('lifecycleStage');
  });

  it('merges custom fields key by key, survivor first', () => {
    const { write, valuesFrom } = planMerge(customers(), new Map());
    expect(write.customFields).toEqual({ level: '银牌', source: 'ERP' });
    expect(valuesFrom).toMatchObject({ 'customFields.source': A });
  });

  it('lets fieldChoices pick one customer\'s value, even an empty one, for a field or one custom field', () => {
    const { write, valuesFrom } = planMerge(
      customers(),
      new Map([
        ['region', A],
        ['phones', B],
        ['customFields.level', A],
        ['customFields.source', S],
        ['valueTier', S],
      ]),
    );
    expect(write).toMatchObject({ region: null, phones: ['+8613700001111'], valueTier: 'C', customFields: { level: '金牌' } });
    expect(valuesFrom).toMatchObject({ region: A, phones: B, 'customFields.level': A });
    expect(valuesFrom).not.toHaveProperty('valueTier');
  });

  it('names whose national ID and bank account the survivor keeps', () => {
    const [survivor, a, b] = customers();
    b.bankAccountEncrypted = Buffer.from('sealed');
    b.bankAccountMasked = '6222***********3445';
    expect(planMerge([survivor, a, b], new Map()).secrets).toEqual({ nationalId: a, bankAccount: b });
    expect(planMerge([survivor, a, b], new Map([['nationalId', S]])).secrets.nationalId).toBeNull();
  });

  it('reports lists the union makes too long', () => {
    const [survivor, a] = customers();
    survivor.tags = Array.from({ length: 60 }, (_, index) => `s${index}`);
    a.tags = Array.from({ length: 60 }, (_, index) => `a${index}`);
    expect(planMerge([survivor, a], new Map()).overLimits).toEqual([expect.objectContaining({ field: 'tags', code: 'too_many' })]);
    expect(planMerge([survivor, a], new Map([['tags', A]])).overLimits).toEqual([]);
  });
});

describe('parseFieldChoices', () => {
  it('accepts merge fields and custom field keys the customers have, naming one of them', () => {
    const involved = customers();
    const { choices, problems } = parseFieldChoices({ name: A, 'customFields.source': B.toUpperCase() }, involved);
    expect(problems).toEqual([]);
    expect([...choices]).toEqual([
      ['name', A],
      ['customFields.source', B],
    ]);
  });

  it('reports unknown fields and customers outside the merge', () => {
    const { problems } = parseFieldChoices({ version: A, 'customFields.': A, 'customFields.none': A, name: 'x', region: 3 }, customers());
    expect(problems.map((problem) => [problem.field, problem.code])).toEqual([
      ['fieldChoices.version', 'unknown_field'],
      ['fieldChoices.customFields.', 'unknown_field'],
      ['fieldChoices.customFields.none', 'unknown_field'],
      ['fieldChoices.name', 'not_in_merge'],
      ['fieldChoices.region', 'not_in_merge'],
    ]);
  });
});
