import { randomUUID } from 'node:crypto';
import { caller, CustomersHarness, type Identity } from './customers-harness';

jest.setTimeout(120_000);

const NATIONAL_ID = '110101199003071233';
const BANK_ACCOUNT = '6222020200112233445';

/** Records, search, standardisation, concurrency, tags, batch upserts, custom fields, PII and events, in one tenant. */
describe('customers: records', () => {
  let customers: CustomersHarness;
  const tenantId = randomUUID();
  let admin: Identity;
  let rep: Identity;

  beforeAll(async () => {
    customers = await CustomersHarness.start('customers_records');
    admin = caller(tenantId, ['admin']);
    rep = caller(tenantId, ['rep']);
    await customers.publishUser('created', { tenantId, userId: admin.userId, roles: ['admin'] });
    await customers.publishUser('created', { tenantId, userId: rep.userId, roles: ['rep'] });
  });
  afterAll(() => customers?.stop());

  const ids = (body: { items: Array<{ id: string }> }): string[] => body.items.map((item) => item.id);
  /** Ids found by `q`, checking the total (counted with the same search) agrees. */
  const search = async (q: string, as: Identity = admin): Promise<string[]> => {
    const { body } = await customers.as(as).get(`/customers?q=${encodeURIComponent(q)}&total=true`).expect(200);
    expect(body.total).toBe(body.items.length);
    return ids(body);
  };

  describe('create and search', () => {
    let id: string;

    beforeAll(async () => {
      const created = await customers
        .as(rep)
        .post('/customers')
        .send({ type: 'company', name: '　上海示例贸易有限公司 ', nameEn: 'Shanghai Example Trading', phones: ['13800138000'], emails: [' Li.Lei@Example.CN'], region: '华东' })
        .expect(201);
      id = created.body.id;
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({
        type: 'company',
        name: '上海示例贸易有限公司',
        phones: ['+8613800138000'],
        emails: ['li.lei@example.cn'],
        ownerId: rep.userId,
        lifecycleStage: 'prospect',
        valueTier: null,
        keyAccount: false,
        nationalId: null,
        piiRevealed: false,
        consent: { email: { status: 'unknown', at: null } },
        version: 1,
      });
      // Noise, so the searches below have something to miss.
      await customers.as(rep).post('/customers').send({ type: 'person', name: '北京某某科技', phones: ['13911112222'] }).expect(201);
    });

    it.each([['+86 138-0013-8000'], ['13800138000'], ['0013'], ['示例贸易'], ['示例'], ['上'], ['example trad'], ['li.lei@'], ['EXAMPLE.cn']])('finds it by %j', async (q) => {
      expect(await search(q)).toEqual([id]);
    });

    it('finds nothing for what it does not contain', async () => {
      expect(await search('0014')).toEqual([]);
      expect(await search('示例科技')).toEqual([]);
      expect(await search('zhang@')).toEqual([]);
    });

    it('reads it back by id, with its ETag', async () => {
      const response = await customers.as(rep).get(`/customers/${id}`).expect(200);
      expect(response.body).toMatchObject({ id, name: '上海示例贸易有限公司' });
      expect(response.headers.etag).toBe('"1"');
      await customers.as(rep).get('/customers/not-a-uuid').expect(404);
    });

    it('filters by region, stage, owner and creation time, and pages with a total', async () => {
      expect(ids((await customers.as(admin).get(`/customers?region=${encodeURIComponent('华东')}`).expect(200)).body)).toEqual([id]);
      expect(ids((await customers.as(admin).get('/customers?stage=active').expect(200)).body)).toEqual([]);
      const owned = (await customers.as(admin).get(`/customers?ownerId=${rep.userId}&total=true&limit=1`).expect(200)).body;
      expect(owned).toMatchObject({ total: 2, nextCursor: expect.any(String) });
      const next = (await customers.as(admin).get(`/customers?ownerId=${rep.userId}&limit=1&cursor=${owned.nextCursor}`).expect(200)).body;
      expect(next.items).toHaveLength(1);
      expect(next.nextCursor).toBeNull();
      expect([...ids(owned), ...ids(next)]).toContain(id);
      const future = new Date(Date.now() + 60_000).toISOString();
      expect(ids((await customers.as(admin).get(`/customers?createdFrom=${future}`).expect(200)).body)).toEqual([]);
      await customers.as(admin).get(`/customers?createdFrom=${future}&createdTo=2020-01-01T00:00:00Z`).expect(400);
    });
  });

  describe('standardisation', () => {
    it('answers invalid values with 400 naming each field', async () => {
      const response = await customers
        .as(rep)
        .post('/customers')
        .send({ type: 'person', name: '李雷', phones: ['13800138000', '12345'], emails: ['not-an-address'] })
        .expect(400);
      expect(response.body).toMatchObject({ code: 'validation_failed' });
      expect(response.body.errors).toEqual([
        expect.objectContaining({ field: 'phones[1]', code: 'invalid_phone' }),
        expect.objectContaining({ field: 'emails[0]', code: 'invalid_email' }),
      ]);
    });

    it('refuses an empty name, unknown fields and wrong types before anything is written', async () => {
      const blank = await customers.as(rep).post('/customers').send({ type: 'person', name: '　 ' }).expect(400);
      expect(blank.body.errors).toEqual([expect.objectContaining({ field: 'name', code: 'required' })]);
      const unknown = await customers.as(rep).post('/customers').send({ type: 'person', name: 'x', nickname: 'y' }).expect(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'nickname' })]);
      await customers.as(rep).post('/customers').send({ type: 'robot', name: 'x' }).expect(400);
      await customers.as(rep).post('/customers').send({ type: 'person', name: 'x', phones: '13800138000' }).expect(400);
    });

    it('folds full-width input, drops duplicate contacts and keeps one spelling of a tag', async () => {
      const response = await customers
        .as(rep)
        .post('/customers')
        .send({ type: 'person', name: 'ＡＢＣ　公司', phones: ['１３８ ０００１ ０００２', '+8613800010002'], tags: ['VIP', 'vip', ' 展会 '] })
        .expect(201);
      expect(response.body).toMatchObject({ name: 'ABC 公司', phones: ['+8613800010002'], tags: ['VIP', '展会'] });
    });
  });

  describe('changes', () => {
    let id: string;

    beforeAll(async () => {
      id = (await customers.as(rep).post('/customers').send({ type: 'person', name: '韩梅梅', phones: ['13700000001'] }).expect(201)).body.id;
    });

    it('updates with If-Match and refuses a stale version with 412', async () => {
      const updated = await customers.as(rep).patch(`/customers/${id}`).set('if-match', '"1"').send({ lifecycleStage: 'active', valueTier: 'A', industry: '零售' }).expect(200);
      expect(updated.body).toMatchObject({ lifecycleStage: 'active', valueTier: 'A', industry: '零售', version: 2 });
      expect(updated.headers.etag).toBe('"2"');
      const stale = await customers.as(rep).patch(`/customers/${id}`).set('if-match', '"1"').send({ industry: '批发' }).expect(412);
      expect(stale.body).toMatchObject({ code: 'version_mismatch' });
      await customers.as(rep).patch(`/customers/${id}`).send({ industry: '批发', version: 1 }).expect(412);
      // A change to nothing is no change: no new version.
      const same = await customers.as(rep).patch(`/customers/${id}`).send({ industry: '零售' }).expect(200);
      expect(same.body.version).toBe(2);
    });

    it('clears optional fields with null but refuses to clear required ones', async () => {
      const cleared = await customers.as(rep).patch(`/customers/${id}`).send({ industry: null, valueTier: null }).expect(200);
      expect(cleared.body).toMatchObject({ industry: null, valueTier: null, version: 3 });
      await customers.as(rep).patch(`/customers/${id}`).send({ name: null }).expect(400);
      await customers.as(rep).patch(`/customers/${id}`).send({ phones: null }).expect(400);
    });

    it('records consent per channel with the time it was given', async () => {
      const response = await customers.as(rep).patch(`/customers/${id}`).send({ consent: { sms: { status: 'granted', at: '2025-01-02T03:04:05.000Z' }, email: { status: 'denied' } } }).expect(200);
      expect(response.body.consent).toEqual({
        email: { status: 'denied', at: expect.any(String) },
        sms: { status: 'granted', at: '2025-01-02T03:04:05.000Z' },
        wechat: { status: 'unknown', at: null },
        phone: { status: 'unknown', at: null },
      });
    });

    it('adds and removes tags case-insensitively and filters by tag', async () => {
      const tagged = await customers.as(rep).post(`/customers/${id}/tags`).send({ add: ['重点', 'VIP'] }).expect(200);
      expect(tagged.body.tags).toEqual(['重点', 'VIP']);
      const untagged = await customers.as(rep).post(`/customers/${id}/tags`).send({ add: ['vip'], remove: ['重点'] }).expect(200);
      expect(untagged.body.tags).toEqual(['VIP']);
      const unchanged = await customers.as(rep).post(`/customers/${id}/tags`).send({ add: ['VIP'] }).expect(200);
      expect(unchanged.body.version).toBe(untagged.body.version);
      expect(ids((await customers.as(rep).get('/customers?tag=VIP').expect(200)).body)).toContain(id);
    });

    it('gives the customer to another owner and says so with CustomerOwnerChanged; a rep may not', async () => {
      const other = randomUUID();
      await customers.publishUser('created', { tenantId, userId: other, roles: ['rep'] });
      const refused = await customers.as(rep).patch(`/customers/${id}`).send({ ownerId: other }).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'ownerId', code: 'owner_not_assignable' })]);

      const leaver = randomUUID();
      await customers.publishUser('deactivated', { tenantId, userId: leaver, version: 2 });
      const inactive = await customers.as(admin).patch(`/customers/${id}`).send({ ownerId: leaver }).expect(400);
      expect(inactive.body.errors).toEqual([expect.objectContaining({ field: 'ownerId', code: 'owner_inactive' })]);

      const moved = await customers.as(admin).patch(`/customers/${id}`).send({ ownerId: other, region: '华南' }).expect(200);
      expect(moved.body).toMatchObject({ ownerId: other, region: '华南' });
      // The rep no longer sees it.
      await customers.as(rep).get(`/customers/${id}`).expect(404);

      const events = await customers.outboxOf(id);
      expect(events.map((event) => event.type)).toEqual([
        'crm.customers.customer.created.v1',
        'crm.customers.customer.updated.v1', // stage, tier, industry
        'crm.customers.customer.updated.v1', // cleared
        'crm.customers.customer.updated.v1', // consent
        'crm.customers.customer.tagged.v1',
        'crm.customers.customer.tagged.v1',
        'crm.customers.customer.updated.v1', // region
        'crm.customers.customer.owner_changed.v1',
      ]);
      expect(events[1].data).toMatchObject({ tenantId, customerId: id, version: '2', changedFields: ['industry', 'lifecycleStage', 'valueTier'] });
      expect(events[1].data.customer).toMatchObject({ name: '韩梅梅', phones: ['+8613700000001'], lifecycleStage: 'active', valueTier: 'A' });
      expect(events[4].data).toMatchObject({ added: ['重点', 'VIP'], tags: ['重点', 'VIP'] });
      expect(events[5].data).toMatchObject({ removed: ['重点'], tags: ['VIP'] });
      expect(events[7].data).toMatchObject({ previousOwnerId: rep.userId, ownerId: other, changedBy: admin.userId, version: events[6].data.version });
    });

    it('deletes softly: gone from reads, lists and searches, with CustomerDeleted', async () => {
      const doomed = (await customers.as(admin).post('/customers').send({ type: 'person', name: '将被删除', externalId: 'DEL-1' }).expect(201)).body;
      await customers.as(rep).delete(`/customers/${doomed.id}`).expect(403);
      await customers.as(admin).delete(`/customers/${doomed.id}`).set('if-match', '"7"').expect(412);
      await customers.as(admin).delete(`/customers/${doomed.id}`).expect(204);
      await customers.as(admin).get(`/customers/${doomed.id}`).expect(404);
      await customers.as(admin).delete(`/customers/${doomed.id}`).expect(404);
      expect(await search('将被删除')).toEqual([]);
      const events = await customers.outboxOf(doomed.id);
      expect(events.at(-1)).toMatchObject({ type: 'crm.customers.customer.deleted.v1', data: { customerId: doomed.id, externalId: 'DEL-1', version: '1' } });
      // Its externalId is free again.
      await customers.as(admin).post('/customers').send({ type: 'person', name: '新的', externalId: 'DEL-1' }).expect(201);
      const taken = await customers.as(admin).post('/customers').send({ type: 'person', name: '重复', externalId: 'DEL-1' }).expect(409);
      expect(taken.body).toMatchObject({ code: 'external_id_taken' });
    });
  });

  describe('messaging', () => {
    const outboxCount = async (): Promise<number> => (await customers.dataSource.query(`SELECT count(*)::int AS n FROM messaging_outbox`))[0].n;

    it('writes no event for a change that rolls back', async () => {
      await customers.as(admin).post('/customers').send({ type: 'person', name: '原客户', externalId: 'ATOMIC-1' }).expect(201);
      const before = await outboxCount();
      await customers.as(admin).post('/customers').send({ type: 'person', name: '冲突客户', externalId: 'ATOMIC-1' }).expect(409);
      const batch = await customers.as(admin).post('/customers/batch').send({ items: [{ externalId: 'ATOMIC-2', type: 'person', name: '批量', phones: ['123'] }] }).expect(200);
      expect(batch.body.summary.invalid).toBe(1);
      expect(await outboxCount()).toBe(before);
    });

    it('lets the relay publish every event (the in-process transport marks them sent)', async () => {
      const deadline = Date.now() + 10_000;
      let unsent = -1;
      while (Date.now() < deadline) {
        unsent = (await customers.dataSource.query(`SELECT count(*)::int AS n FROM messaging_outbox WHERE sent_at IS NULL`))[0].n;
        if (unsent === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(unsent).toBe(0);
      expect(await outboxCount()).toBeGreaterThan(0);
    });
  });

  describe('batch upsert', () => {
    it('creates, then updates by externalId, reporting each item', async () => {
      const first = await customers
        .as(admin)
        .post('/customers/batch')
        .send({
          items: [
            { externalId: 'ERP-1', type: 'company', name: '杭州甲公司', phones: ['0571-88886666'] },
            { externalId: 'ERP-2', type: 'person', name: '王五', phones: ['12345'] },
            { externalId: 'ERP-3', name: '缺少类型' },
            { type: 'person', name: '没有外部编号' },
            { externalId: 'ERP-1', type: 'company', name: '重复' },
            { externalId: 'ERP-4', type: 'person', name: '赵六', nickname: 'x' },
            'not an object',
          ],
        });
      expect(first.status).toBe(400); // the body shape itself is checked first
      const response = await customers
        .as(admin)
        .post('/customers/batch')
        .send({
          items: [
            { externalId: 'ERP-1', type: 'company', name: '杭州甲公司', phones: ['0571-88886666'] },
            { externalId: 'ERP-2', type: 'person', name: '王五', phones: ['12345'] },
            { externalId: 'ERP-3', name: '缺少类型' },
            { type: 'person', name: '没有外部编号' },
            { externalId: 'ERP-1', type: 'company', name: '重复' },
            { externalId: 'ERP-4', type: 'person', name: '赵六', nickname: 'x' },
          ],
        })
        .expect(200);
      expect(response.body.summary).toEqual({ created: 2, updated: 0, unchanged: 0, invalid: 4, failed: 0 });
      const [one, two, three, four, five, six] = response.body.items;
      expect(one).toMatchObject({ index: 0, status: 'created', externalId: 'ERP-1', version: 1, id: expect.any(String) });
      expect(two).toMatchObject({ index: 1, status: 'invalid', externalId: 'ERP-2', problems: [expect.objectContaining({ field: 'phones[0]', code: 'invalid_phone' })] });
      expect(three).toMatchObject({ status: 'invalid', problems: [expect.objectContaining({ field: 'type', code: 'required' })] });
      expect(four).toMatchObject({ index: 3, status: 'created' });
      expect(five).toMatchObject({ status: 'invalid', problems: [expect.objectContaining({ field: 'externalId', code: 'duplicate_external_id' })] });
      expect(six).toMatchObject({ status: 'invalid', problems: [expect.objectContaining({ field: 'nickname', code: 'unknown_field' })] });

      const again = await customers
        .as(admin)
        .post('/customers/batch')
        .send({
          items: [
            { externalId: 'ERP-1', region: '华东', tags: ['经销商'] },
            { externalId: 'ERP-2', type: 'person', name: '王五', phones: ['13600000000'] },
            { externalId: 'ERP-1-unchanged-check', type: 'person', name: '甲' },
          ],
        })
        .expect(200);
      expect(again.body.items).toEqual([
        expect.objectContaining({ status: 'updated', id: one.id, version: 2 }),
        expect.objectContaining({ status: 'created', externalId: 'ERP-2' }),
        expect.objectContaining({ status: 'created' }),
      ]);
      const unchanged = await customers.as(admin).post('/customers/batch').send({ items: [{ externalId: 'ERP-1', region: '华东' }] }).expect(200);
      expect(unchanged.body.items).toEqual([expect.objectContaining({ status: 'unchanged', version: 2 })]);

      const stored = (await customers.as(admin).get(`/customers/${one.id}`).expect(200)).body;
      expect(stored).toMatchObject({ name: '杭州甲公司', phones: ['+8657188886666'], region: '华东', tags: ['经销商'], externalId: 'ERP-1', version: 2 });
      expect((await customers.outboxOf(one.id)).map((event) => event.type)).toEqual([
        'crm.customers.customer.created.v1',
        'crm.customers.customer.updated.v1',
        'crm.customers.customer.tagged.v1',
      ]);
    });

    it('refuses more than 1,000 items', async () => {
      const items = Array.from({ length: 1_001 }, (_, i) => ({ externalId: `X-${i}`, type: 'person', name: `n${i}` }));
      await customers.as(admin).post('/customers/batch').send({ items }).expect(400);
    });

    it('writes 1,000 items in chunks', async () => {
      const items = Array.from({ length: 1_000 }, (_, i) => ({ externalId: `BULK-${i}`, type: 'person', name: `批量客户${i}`, phones: [`139${String(i).padStart(8, '0')}`] }));
      const response = await customers.as(admin).post('/customers/batch').send({ items }).expect(200);
      expect(response.body.summary).toMatchObject({ created: 1_000, invalid: 0, failed: 0 });
      const [{ count }] = await customers.queryAsTenant<{ count: string }>(tenantId, `SELECT count(*) FROM customers WHERE external_id LIKE 'BULK-%'`);
      expect(Number(count)).toBe(1_000);
    });
  });

  describe('custom fields', () => {
    it('are defined by admins and checked on every write', async () => {
      await customers.as(rep).post('/custom-fields').send({ key: 'level', label: '等级', type: 'text' }).expect(403);
      await customers.as(admin).post('/custom-fields').send({ key: 'contract_level', label: '合同等级', type: 'select', options: ['金牌', '银牌'], required: true }).expect(201);
      await customers.as(admin).post('/custom-fields').send({ key: 'employees', label: '员工人数', type: 'number' }).expect(201);
      await customers.as(admin).post('/custom-fields').send({ key: 'signed_on', label: '签约日期', type: 'date' }).expect(201);
      const taken = await customers.as(admin).post('/custom-fields').send({ key: 'employees', label: 'again', type: 'number' }).expect(409);
      expect(taken.body).toMatchObject({ code: 'custom_field_key_taken' });
      await customers.as(admin).post('/custom-fields').send({ key: 'colour', label: '颜色', type: 'select' }).expect(400);
      await customers.as(admin).post('/custom-fields').send({ key: 'Bad-Key', label: 'x', type: 'text' }).expect(400);
      const list = await customers.as(rep).get('/custom-fields').expect(200);
      expect(list.body.items.map((field: { key: string }) => field.key)).toEqual(['contract_level', 'employees', 'signed_on']);

      const missing = await customers.as(rep).post('/customers').send({ type: 'company', name: '丙公司' }).expect(400);
      expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'customFields.contract_level', code: 'required' })]);
      const wrong = await customers
        .as(rep)
        .post('/customers')
        .send({ type: 'company', name: '丙公司', customFields: { contract_level: '铁牌', employees: 'many', signed_on: '2025-02-30', colour: 'red' } })
        .expect(400);
      expect(wrong.body.errors.map((error: { field: string; code: string }) => `${error.field}:${error.code}`).sort()).toEqual([
        'customFields.colour:unknown_custom_field',
        'customFields.contract_level:invalid_option',
        'customFields.employees:invalid_number',
        'customFields.signed_on:invalid_date',
      ]);
      const ok = await customers
        .as(rep)
        .post('/customers')
        .send({ type: 'company', name: '丙公司', customFields: { contract_level: '金牌', employees: '120', signed_on: '2025-02-28' } })
        .expect(201);
      expect(ok.body.customFields).toEqual({ contract_level: '金牌', employees: 120, signed_on: '2025-02-28' });

      const cleared = await customers.as(rep).patch(`/customers/${ok.body.id}`).send({ customFields: { employees: null } }).expect(200);
      expect(cleared.body.customFields).toEqual({ contract_level: '金牌', signed_on: '2025-02-28' });
      await customers.as(rep).patch(`/customers/${ok.body.id}`).send({ customFields: { contract_level: null } }).expect(400);
      const batch = await customers.as(admin).post('/customers/batch').send({ items: [{ externalId: 'CF-1', type: 'person', name: '丁' }] }).expect(200);
      expect(batch.body.items[0]).toMatchObject({ status: 'invalid', problems: [expect.objectContaining({ field: 'customFields.contract_level', code: 'required' })] });
    });
  });

  describe('personal data', () => {
    let id: string;

    beforeAll(async () => {
      const created = await customers
        .as(admin)
        .post('/customers')
        .send({ type: 'person', name: '身份证客户', nationalId: NATIONAL_ID, bankAccount: '6222 0202 0011 2233 445', customFields: { contract_level: '银牌' } })
        .expect(201);
      id = created.body.id;
      expect(created.body).toMatchObject({ nationalId: '1101**********1233', bankAccount: '6222***********3445', piiRevealed: false });
    });

    it('stores the numbers encrypted', async () => {
      const [row] = await customers.queryAsTenant<Record<string, Buffer | string>>(tenantId, `SELECT * FROM customers WHERE id = $1`, [id]);
      const everything = JSON.stringify(Object.values(row).map((value) => (Buffer.isBuffer(value) ? value.toString('latin1') : value)));
      expect(everything).not.toContain(NATIONAL_ID);
      expect(everything).not.toContain(BANK_ACCOUNT);
      expect(row.national_id_masked).toBe('1101**********1233');
    });

    it('shows them masked without pii:read, and refuses to reveal them', async () => {
      await customers.as(admin).patch(`/customers/${id}`).send({ ownerId: rep.userId }).expect(200);
      const masked = await customers.as(rep).get(`/customers/${id}`).expect(200);
      expect(masked.body).toMatchObject({ nationalId: '1101**********1233', bankAccount: '6222***********3445', piiRevealed: false });
      const refused = await customers.as(rep).get(`/customers/${id}?reveal=pii`).expect(403);
      expect(refused.body).toMatchObject({ code: 'forbidden' });
      const listed = (await customers.as(rep).get(`/customers?q=${encodeURIComponent('身份证')}`).expect(200)).body.items;
      expect(listed).toEqual([expect.objectContaining({ id, nationalId: '1101**********1233' })]);
    });

    it('reveals them to pii:read on request, and records who saw them', async () => {
      const plain = await customers.as(admin).get(`/customers/${id}`).expect(200);
      expect(plain.body.piiRevealed).toBe(false);
      const revealed = await customers.as(admin).get(`/customers/${id}?reveal=pii`).expect(200);
      expect(revealed.body).toMatchObject({ nationalId: NATIONAL_ID, bankAccount: BANK_ACCOUNT, piiRevealed: true });
      expect(revealed.headers['cache-control']).toBe('no-store');

      const log = await customers.as(admin).get(`/customers/${id}/pii-access-log`).expect(200);
      expect(log.body.items).toEqual([expect.objectContaining({ customerId: id, actorId: admin.userId, fields: ['nationalId', 'bankAccount'] })]);
      await customers.as(rep).get(`/customers/${id}/pii-access-log`).expect(403);
    });

    it('never puts them in events', async () => {
      const events = await customers.outboxOf(id);
      expect(events[0].data.customer).toMatchObject({ hasNationalId: true, hasBankAccount: true });
      const payloads = JSON.stringify(events);
      expect(payloads).not.toContain(NATIONAL_ID);
      expect(payloads).not.toContain(BANK_ACCOUNT);
      expect(payloads).not.toContain('1101**');
    });

    it('checks the numbers, and clears them with null', async () => {
      const invalid = await customers.as(admin).patch(`/customers/${id}`).send({ nationalId: '110101199003071234', bankAccount: '12ab' }).expect(400);
      expect(invalid.body.errors.map((error: { code: string }) => error.code).sort()).toEqual(['invalid_bank_account', 'invalid_national_id']);
      const same = await customers.as(admin).patch(`/customers/${id}`).send({ nationalId: NATIONAL_ID.replace(/3$/, '3') }).expect(200);
      const version = same.body.version;
      const cleared = await customers.as(admin).patch(`/customers/${id}`).send({ bankAccount: null }).expect(200);
      expect(cleared.body).toMatchObject({ bankAccount: null, nationalId: '1101**********1233', version: version + 1 });
      const events = await customers.outboxOf(id);
      expect(events.at(-1)?.data).toMatchObject({ changedFields: ['bankAccount'], customer: { hasNationalId: true } });
      // proto3 JSON leaves false out.
      expect((events.at(-1)?.data.customer as Record<string, unknown>).hasBankAccount).toBeUndefined();
    });
  });
});
