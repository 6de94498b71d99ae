import { randomUUID } from 'node:crypto';
import { TenantTransactions } from '@crm/platform/database';
import { MergeRecordsHolder } from '../src/merges/merge-records.holder';
import { caller, CustomersHarness, type Identity } from './customers-harness';

jest.setTimeout(120_000);

const NATIONAL_ID = '110101199003071233';
const BANK_ACCOUNT = '6222020200112233445';

type Customer = Record<string, unknown> & { id: string; version: number; updatedAt: string };

interface MergeResult {
  mergeId: string | null;
  dryRun: boolean;
  survivorId: string;
  mergedIds: string[];
  customer: Customer;
  changedFields: string[];
  valuesFrom: Record<string, string>;
  duplicatePairs: { moved: number; dropped: number };
}

interface Pair {
  id: string;
  reasons: string[];
  customerA: { id: string };
  customerB: { id: string };
}

/** Merging duplicates: field rules and choices, dry runs, what moves with a merge, undo and its conditions, scopes. */
describe('customers: merges', () => {
  let customers: CustomersHarness;
  const tenantId = randomUUID();
  let admin: Identity;
  let rep1: Identity;
  let rep2: Identity;

  beforeAll(async () => {
    customers = await CustomersHarness.start('customers_merges');
    admin = caller(tenantId, ['admin']);
    rep1 = caller(tenantId, ['rep']);
    rep2 = caller(tenantId, ['rep']);
    for (const user of [admin, rep1, rep2]) await customers.publishUser('created', { tenantId, userId: user.userId, roles: [...user.roles] });
    await customers.as(admin).post('/custom-fields').send({ key: 'contract_level', label: '合同等级', type: 'select', options: ['金牌', '银牌'] }).expect(201);
    await customers.as(admin).post('/custom-fields').send({ key: 'source_system', label: '来源系统', type: 'text' }).expect(201);
  });
  afterAll(() => customers?.stop());

  const create = async (as: Identity, body: Record<string, unknown>): Promise<string> => (await customers.as(as).post('/customers').send({ type: 'person', ...body }).expect(201)).body.id;
  const get = async (id: string, as: Identity = admin): Promise<Customer> => (await customers.as(as).get(`/customers/${id}`).expect(200)).body;
  const merge = (as: Identity, body: Record<string, unknown>) => customers.as(as).post('/customers/merge').send(body);
  const undo = (as: Identity, mergeId: string) => customers.as(as).post(`/customers/merges/${mergeId}/undo`).send();
  const listed = async (query: string): Promise<string[]> => ((await customers.as(admin).get(`/customers${query}`).expect(200)).body.items as Customer[]).map((item) => item.id);
  const pairs = async (): Promise<Pair[]> => (await customers.as(admin).get('/customers/duplicates?limit=200').expect(200)).body.items;
  const pairOf = (list: Pair[], x: string, y: string) => list.find((pair) => [pair.customerA.id, pair.customerB.id].sort().join() === [x, y].sort().join());
  const searchRows = async (ids: string[]): Promise<string[]> =>
    ((await customers.dataSource.query(`SELECT customer_id FROM customer_search WHERE customer_id = ANY($1::uuid[])`, [ids])) as Array<{ customer_id: string }>).map((row) => row.customer_id).sort();
  const withoutVersion = ({ version: _version, updatedAt: _updatedAt, ...rest }: Customer) => rest;

  describe('three customers', () => {
    let survivor: string;
    let m1: string;
    let m2: string;
    let other: string;
    let before: Customer[];
    let result: MergeResult;

    beforeAll(async () => {
      survivor = await create(admin, {
        name: '王小明',
        phones: ['13800138000'],
        emails: ['wang@example.cn'],
        tags: ['VIP'],
        region: '华东',
        lifecycleStage: 'new',
        customFields: { contract_level: '银牌' },
        consent: { sms: { status: 'granted', at: '2025-01-01T00:00:00.000Z' } },
      });
      m1 = await create(admin, {
        name: '王晓明',
        nameEn: 'Xiaoming Wang',
        phones: ['+86 138-0013-8000', '13911112222'],
        emails: ['WANG@example.cn', 'xm@example.com'],
        tags: ['vip', '展会'],
        industry: '零售',
        lifecycleStage: 'active',
        keyAccount: true,
        valueTier: 'B',
        customFields: { contract_level: '金牌', source_system: 'ERP' },
        consent: { sms: { status: 'denied', at: '2025-06-01T00:00:00.000Z' }, email: { status: 'granted', at: '2025-02-01T00:00:00.000Z' } },
        addresses: [{ city: '上海市', street: '世纪大道100号' }],
        externalId: 'ERP-M1',
      });
      m2 = await create(admin, {
        name: '小明',
        phones: ['13700001111'],
        wechatIds: ['wx_xm'],
        region: '华南',
        valueTier: 'A',
        addresses: [{ city: '上海市', street: '世纪大道100号' }, { city: '北京市' }],
        nationalId: NATIONAL_ID,
        bankAccount: BANK_ACCOUNT,
      });
      other = await create(admin, { name: '李四', phones: ['13700001111'] });
      before = [await get(survivor), await get(m1), await get(m2)];
      expect(pairOf(await pairs(), survivor, m1)).toBeDefined();
      expect(pairOf(await pairs(), m2, other)).toBeDefined();
    });

    it('computes a dry run without writing anything', async () => {
      const outbox = await customers.dataSource.query(`SELECT count(*)::int AS n FROM messaging_outbox`);
      const response = await merge(admin, { survivorId: survivor, mergedIds: [m1, m2], fieldChoices: { region: m2, 'customFields.contract_level': m1 }, dryRun: true }).expect(200);
      expect(response.body).toMatchObject({ mergeId: null, dryRun: true, customer: { id: survivor, region: '华南', version: 2 }, duplicatePairs: { moved: 1, dropped: 1 } });
      expect(await customers.dataSource.query(`SELECT count(*)::int AS n FROM messaging_outbox`)).toEqual(outbox);
      expect(await customers.queryAsTenant(tenantId, `SELECT id FROM customer_merges`)).toEqual([]);
      expect([await get(survivor), await get(m1), await get(m2)]).toEqual(before);
      expect(pairOf(await pairs(), survivor, m1)).toBeDefined();
    });

    it('merges by the rules: survivor first for scalars, unions of lists, latest consent, most advanced stage, best tier; fieldChoices win', async () => {
      const response = await merge(admin, { survivorId: survivor, mergedIds: [m1, m2], fieldChoices: { region: m2, 'customFields.contract_level': m1 } }).expect(201);
      result = response.body;
      expect(result).toMatchObject({ dryRun: false, survivorId: survivor, mergedIds: [m1, m2], duplicatePairs: { moved: 1, dropped: 1 } });
      expect(result.mergeId).toEqual(expect.any(String));
      expect(result.customer).toMatchObject({
        id: survivor,
        name: '王小明',
        nameEn: 'Xiaoming Wang',
        phones: ['+8613800138000', '+8613911112222', '+8613700001111'],
        emails: ['wang@example.cn', 'xm@example.com'],
        wechatIds: ['wx_xm'],
        tags: ['VIP', '展会'],
        addresses: [{ city: '上海市', street: '世纪大道100号' }, { city: '北京市' }],
        industry: '零售',
        region: '华南',
        ownerId: admin.userId,
        lifecycleStage: 'active',
        valueTier: 'A',
        keyAccount: true,
        customFields: { contract_level: '金牌', source_system: 'ERP' },
        externalId: 'ERP-M1',
        nationalId: '1101**********1233',
        bankAccount: '6222***********3445',
        piiRevealed: false,
        version: 2,
      });
      expect(result.customer.consent).toMatchObject({
        sms: { status: 'denied', at: '2025-06-01T00:00:00.000Z' },
        email: { status: 'granted', at: '2025-02-01T00:00:00.000Z' },
        phone: { status: 'unknown', at: null },
      });
      expect(result.valuesFrom).toMatchObject({ nameEn: m1, region: m2, industry: m1, externalId: m1, nationalId: m2, 'consent.sms': m1, 'customFields.contract_level': m1, 'customFields.source_system': m1 });
      expect(result.changedFields).toEqual(expect.arrayContaining(['phones', 'nationalId', 'bankAccount', 'consent', 'customFields', 'tags']));
      expect(await get(survivor)).toEqual({ ...result.customer });
    });

    it('emits one CustomerMerged keyed by the survivor, with its new version', async () => {
      const events = await customers.outboxOf(survivor);
      expect(events.at(-1)).toEqual({
        type: 'crm.customers.customer.merged.v1',
        data: expect.objectContaining({
          tenantId,
          customerId: survivor,
          mergeId: result.mergeId,
          mergedCustomerIds: [m1, m2],
          version: '2',
          mergedBy: admin.userId,
          customer: expect.objectContaining({ name: '王小明', phones: ['+8613800138000', '+8613911112222', '+8613700001111'], hasNationalId: true }),
        }),
      });
      expect((await customers.outboxOf(m1)).map((event) => event.type)).toEqual(['crm.customers.customer.created.v1']);
    });

    it('makes the merged customers disappear: 404, not listed, not searched, and their pairs moved to the survivor', async () => {
      for (const id of [m1, m2]) expect((await customers.as(admin).get(`/customers/${id}`).expect(404)).body.code).toBe('customer_not_found');
      const all = await listed('?limit=200');
      expect(all).toContain(survivor);
      expect(all).not.toContain(m1);
      expect(all).not.toContain(m2);
      expect(await listed('?q=13911112222')).toEqual([survivor]);
      expect(await searchRows([survivor, m1, m2])).toEqual([survivor]);
      const after = await pairs();
      expect(pairOf(after, survivor, other)).toMatchObject({ reasons: ['same_phone:+8613700001111'] });
      expect(after.some((pair) => [m1, m2].includes(pair.customerA.id) || [m1, m2].includes(pair.customerB.id))).toBe(false);
    });

    it('keeps the survivor\'s national ID and bank account encrypted, bound to the survivor, readable with reveal=pii', async () => {
      const revealed = await customers.as(admin).get(`/customers/${survivor}?reveal=pii`).expect(200);
      expect(revealed.body).toMatchObject({ nationalId: NATIONAL_ID, bankAccount: BANK_ACCOUNT, piiRevealed: true });
      const rows: Array<{ id: string; national_id_encrypted: Buffer }> = await customers.queryAsTenant(tenantId, `SELECT id, national_id_encrypted FROM customers WHERE id = ANY($1::uuid[])`, [[survivor, m2]]);
      const blob = (id: string) => rows.find((row) => row.id === id)!.national_id_encrypted;
      expect(blob(survivor).equals(blob(m2))).toBe(false);
      expect(blob(survivor).toString('latin1')).not.toContain(NATIONAL_ID);
    });

    it('records the merge: listed for the survivor and for a merged customer, shown with who, when and each customer before', async () => {
      for (const id of [survivor, m1]) {
        const { body } = await customers.as(admin).get(`/customers/merges?customerId=${id}&total=true`).expect(200);
        expect(body.total).toBe(1);
        expect(body.items).toEqual([expect.objectContaining({ id: result.mergeId, survivorId: survivor, mergedIds: [m1, m2], mergedBy: admin.userId, undoneAt: null })]);
        expect(body.items[0].before).toBeUndefined();
      }
      const { body } = await customers.as(admin).get(`/customers/merges/${result.mergeId}`).expect(200);
      expect(body).toMatchObject({ survivorVersion: 2, fieldChoices: { region: m2, 'customFields.contract_level': m1 }, snapshotsErased: false });
      expect(body.before).toEqual(before);
      // Snapshots hold personal data as the customers table does: numbers stay encrypted.
      const [snapshot] = await customers.queryAsTenant<{ snapshot: string }>(tenantId, `SELECT snapshot::text FROM customer_merge_snapshots WHERE customer_id = $1`, [m2]);
      expect(snapshot.snapshot).not.toContain(NATIONAL_ID);
    });

    it('refuses to merge a customer merged before (409) or to use it as survivor, and an erased one', async () => {
      const again = await merge(admin, { survivorId: other, mergedIds: [m1] }).expect(409);
      expect(again.body).toMatchObject({ code: 'customer_already_merged' });
      expect(again.body.detail).toContain(survivor);
      await merge(admin, { survivorId: m2, mergedIds: [other] }).expect(409);
      const erased = await create(admin, { name: '某人' });
      await customers.queryAsTenant(tenantId, `UPDATE customers SET erased_at = now() WHERE id = $1`, [erased]);
      expect((await merge(admin, { survivorId: other, mergedIds: [erased] }).expect(409)).body.code).toBe('customer_erased');
    });

    it('undoes the merge exactly: every customer as before, with higher versions, searchable again, pairs back, CustomerMergeUndone', async () => {
      const response = await undo(admin, result.mergeId!).expect(200);
      expect(response.body.mergeId).toBe(result.mergeId);
      const restored = [await get(survivor), await get(m1), await get(m2)];
      expect(restored.map(withoutVersion)).toEqual(before.map(withoutVersion));
      expect(response.body.customer).toEqual(restored[0]);
      expect(response.body.restored).toEqual([restored[1], restored[2]]);
      // Above every version seen: the merge took each of them to 2.
      expect(restored.map((customer) => customer.version)).toEqual([3, 3, 3]);

      const revealed = await customers.as(admin).get(`/customers/${m2}?reveal=pii`).expect(200);
      expect(revealed.body).toMatchObject({ nationalId: NATIONAL_ID, bankAccount: BANK_ACCOUNT });
      expect((await customers.as(admin).get(`/customers/${survivor}?reveal=pii`).expect(200)).body).toMatchObject({ nationalId: null, bankAccount: null });

      expect(await searchRows([survivor, m1, m2])).toEqual([survivor, m1, m2].sort());
      expect(await listed('?q=13911112222')).toEqual([m1]);
      const after = await pairs();
      expect(pairOf(after, survivor, m1)).toBeDefined();
      expect(pairOf(after, m2, other)).toBeDefined();
      expect(pairOf(after, survivor, other)).toBeUndefined();

      const events = await customers.outboxOf(survivor);
      expect(events.at(-1)).toEqual({
        type: 'crm.customers.customer.merge_undone.v1',
        data: expect.objectContaining({
          customerId: survivor,
          mergeId: result.mergeId,
          version: '3',
          undoneBy: admin.userId,
          customer: expect.objectContaining({ name: '王小明', phones: ['+8613800138000'] }),
          restored: [
            expect.objectContaining({ customerId: m1, version: '3', customer: expect.objectContaining({ name: '王晓明', externalId: 'ERP-M1' }) }),
            expect.objectContaining({ customerId: m2, version: '3', customer: expect.objectContaining({ hasNationalId: true }) }),
          ],
        }),
      });
      const { body } = await customers.as(admin).get(`/customers/merges/${result.mergeId}`).expect(200);
      expect(body).toMatchObject({ undoneBy: admin.userId, undoneAt: expect.any(String) });
    });

    it('refuses to undo a merge twice', async () => {
      const response = await undo(admin, result.mergeId!).expect(409);
      expect(response.body).toMatchObject({ code: 'merge_not_undoable', errors: [expect.objectContaining({ code: 'already_undone' })] });
    });
  });

  describe('personal data', () => {
    const asHolder = <T>(fn: (holder: MergeRecordsHolder, manager: Parameters<Parameters<TenantTransactions['runForTenant']>[1]>[0]) => Promise<T>): Promise<T> =>
      customers.running.app.get(TenantTransactions).runForTenant(tenantId, (manager) => fn(customers.running.app.get(MergeRecordsHolder), manager));

    it('exports the merges a customer took part in, and erasure drops their snapshots and the rows merged into the customer', async () => {
      const survivor = await create(admin, { name: '郑十一', phones: ['13533330001'] });
      const merged = await create(admin, { name: '郑十一', phones: ['13533330002'], nationalId: NATIONAL_ID });
      const { body } = await merge(admin, { survivorId: survivor, mergedIds: [merged] }).expect(201);

      const [section] = await asHolder((holder, manager) => holder.export(manager, tenantId, survivor));
      expect(section).toEqual({ name: 'merges', data: [expect.objectContaining({ id: body.mergeId, survivorId: survivor, before: [expect.objectContaining({ id: survivor }), expect.objectContaining({ id: merged, nationalId: NATIONAL_ID })] })] });
      const [own] = await asHolder((holder, manager) => holder.export(manager, tenantId, merged));
      expect((own.data as Array<{ before: Customer[] }>)[0].before.map((customer) => customer.id)).toEqual([merged]);

      // One merge's snapshots and the merged row.
      expect(await asHolder((holder, manager) => holder.erase(manager, tenantId, survivor))).toBe(2);
      const [row] = await customers.queryAsTenant<{ name: string; phones: string[]; national_id_encrypted: Buffer | null; erased_at: Date | null }>(
        tenantId,
        `SELECT name, phones, national_id_encrypted, erased_at FROM customers WHERE id = $1`,
        [merged],
      );
      expect(row).toMatchObject({ phones: [], national_id_encrypted: null, erased_at: expect.any(Date) });
      expect(row.name).not.toContain('郑');
      expect(await customers.queryAsTenant(tenantId, `SELECT merge_id FROM customer_merge_snapshots WHERE merge_id = $1 AND snapshot IS NOT NULL`, [body.mergeId])).toEqual([]);
      const shown = await customers.as(admin).get(`/customers/merges/${body.mergeId}`).expect(200);
      expect(shown.body).toMatchObject({ snapshotsErased: true, before: [] });
      expect((await undo(admin, body.mergeId).expect(409)).body.errors).toEqual([expect.objectContaining({ code: 'snapshots_erased' })]);
      expect(await asHolder((holder, manager) => holder.erase(manager, tenantId, survivor))).toBe(0);
    });
  });

  describe('undo conditions', () => {
    it('refuses to undo after the survivor was edited', async () => {
      const survivor = await create(admin, { name: '赵六', phones: ['13511110001'] });
      const merged = await create(admin, { name: '赵六', phones: ['13511110002'] });
      const { body } = await merge(admin, { survivorId: survivor, mergedIds: [merged] }).expect(201);
      await customers.as(admin).patch(`/customers/${survivor}`).send({ region: '西南' }).expect(200);
      const refused = await undo(admin, body.mergeId).expect(409);
      expect(refused.body).toMatchObject({ code: 'merge_not_undoable', errors: [expect.objectContaining({ field: 'survivor', code: 'survivor_changed' })] });
      expect(refused.body.detail).toContain('version 3');
      await customers.as(admin).get(`/customers/${merged}`).expect(404);
    });

    it('refuses to undo when a customer created since took a restored external id', async () => {
      const survivor = await create(admin, { name: '钱七', externalId: 'CRM-S' });
      const merged = await create(admin, { name: '钱七', externalId: 'CRM-M' });
      const { body } = await merge(admin, { survivorId: survivor, mergedIds: [merged] }).expect(201);
      expect(body.customer.externalId).toBe('CRM-S');
      const newcomer = await create(admin, { name: '钱七新', externalId: 'CRM-M' });
      const refused = await undo(admin, body.mergeId).expect(409);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'externalId', code: 'external_id_taken', message: expect.stringContaining(newcomer) })]);
      await customers.as(admin).delete(`/customers/${newcomer}`).expect(204);
      await undo(admin, body.mergeId).expect(200);
      expect((await get(merged)).externalId).toBe('CRM-M');
    });
  });

  describe('requests', () => {
    it('validates ids and fieldChoices', async () => {
      const a = await create(admin, { name: '孙八' });
      const b = await create(admin, { name: '孙八' });
      await merge(admin, { survivorId: a, mergedIds: [] }).expect(400);
      await merge(admin, { survivorId: a, mergedIds: [b, b] }).expect(400);
      await merge(admin, { survivorId: a, mergedIds: Array.from({ length: 11 }, () => randomUUID()) }).expect(400);
      await merge(admin, { survivorId: a, mergedIds: ['nope'] }).expect(400);
      const self = await merge(admin, { survivorId: a, mergedIds: [b, a] }).expect(400);
      expect(self.body.errors).toEqual([expect.objectContaining({ field: 'mergedIds', code: 'contains_survivor' })]);
      const choices = await merge(admin, { survivorId: a, mergedIds: [b], fieldChoices: { shoeSize: a, name: randomUUID(), 'customFields.nothing': b } }).expect(400);
      expect(choices.body.errors).toEqual([
        expect.objectContaining({ field: 'fieldChoices.shoeSize', code: 'unknown_field' }),
        expect.objectContaining({ field: 'fieldChoices.name', code: 'not_in_merge' }),
        expect.objectContaining({ field: 'fieldChoices.customFields.nothing', code: 'unknown_field' }),
      ]);
      expect((await merge(admin, { survivorId: a, mergedIds: [randomUUID()] }).expect(404)).body.code).toBe('customer_not_found');
      await customers.as(admin).get(`/customers/merges/${randomUUID()}`).expect(404);
      await undo(admin, 'not-a-merge').expect(404);
    });

    it('refuses a merge whose lists would be too long, unless one customer\'s list is chosen', async () => {
      const phones = (from: number, count: number) => Array.from({ length: count }, (_, index) => `1380000${String(from + index).padStart(4, '0')}`);
      const a = await create(admin, { name: '周九', phones: phones(0, 15) });
      const b = await create(admin, { name: '周九', phones: phones(100, 10) });
      const refused = await merge(admin, { survivorId: a, mergedIds: [b] }).expect(422);
      expect(refused.body).toMatchObject({ code: 'merge_exceeds_limits', errors: [expect.objectContaining({ field: 'phones', code: 'too_many' })] });
      const chosen = await merge(admin, { survivorId: a, mergedIds: [b], fieldChoices: { phones: b }, dryRun: true }).expect(200);
      expect(chosen.body.customer.phones).toHaveLength(10);
      expect(chosen.body.valuesFrom).toMatchObject({ phones: b });
    });
  });

  describe('scope', () => {
    it('lets a rep merge only customers they can see, and shows and undoes merges only to those who see the survivor', async () => {
      const own1 = await create(rep1, { name: '吴十', phones: ['13622220001'] });
      const own2 = await create(rep1, { name: '吴十', phones: ['13622220002'] });
      const theirs = await create(rep2, { name: '吴十', phones: ['13622220003'] });
      expect((await merge(rep1, { survivorId: own1, mergedIds: [theirs] }).expect(404)).body).toMatchObject({ code: 'customer_not_found', detail: expect.stringContaining(theirs) });
      await merge(rep2, { survivorId: theirs, mergedIds: [own1], dryRun: true }).expect(404);
      await customers.as(rep2).get(`/customers/${theirs}`).expect(200);

      const { body } = await merge(rep1, { survivorId: own1, mergedIds: [own2] }).expect(201);
      expect(body.customer.ownerId).toBe(rep1.userId);
      await customers.as(rep2).get(`/customers/merges/${body.mergeId}`).expect(404);
      expect((await customers.as(rep2).get(`/customers/merges?customerId=${own1}`).expect(200)).body.items).toEqual([]);
      await undo(rep2, body.mergeId).expect(404);
      await customers.as(caller(tenantId, ['analyst'])).post('/customers/merge').send({ survivorId: own1, mergedIds: [theirs] }).expect(403);
      // Another tenant's admin sees nothing of it.
      const stranger = caller(randomUUID(), ['admin']);
      await customers.as(stranger).get(`/customers/merges/${body.mergeId}`).expect(404);
      await customers.as(stranger).post('/customers/merge').send({ survivorId: own1, mergedIds: [own2] }).expect(404);
      expect((await customers.as(rep1).get(`/customers/merges/${body.mergeId}`).expect(200)).body.mergedBy).toBe(rep1.userId);
      await undo(rep1, body.mergeId).expect(200);
      expect((await get(own2, rep1)).phones).toEqual(['+8613622220002']);
    });
  });
});
