import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import request from 'supertest';
import { SalesErasureCompletedEvent, SalesErasureCompletedSchema } from '@crm/contracts';
import { internalCredentialHeaders } from '@crm/testing';
import { API, caller, CustomersHarness, type Identity } from './customers-harness';

jest.setTimeout(120_000);

/** One person's data, every piece of it unique to this suite so a scan of the database finds only them. */
const PERSON = {
  name: '欧阳锋测试',
  nameEn: 'Ouyang Feng Test',
  phone: '13912345678',
  phoneE164: '+8613912345678',
  email: 'ouyang.feng.test@example.cn',
  wechatId: 'oyf_test_wx',
  street: '文三路九十九号测试',
  nationalId: '330106198805204817',
  bankAccount: '6217001234567890123',
  externalId: 'ERP-OYF-0001',
  hobby: '收藏紫砂壶测试',
  contact: 'ouyang.contact@example.cn',
};

interface PrivacyRequest {
  id: string;
  type: string;
  customerId: string;
  status: string;
  reason: string;
  requestedBy: string | null;
  createdBy: string;
  archiveUrl: string | null;
  deliveredAt: string | null;
  archiveComplete: boolean | null;
  services: Array<{ service: string; status: string; recordsAffected: number | null; detail: string | null; completedAt: string | null }>;
}

describe('customers: privacy requests and data minimisation', () => {
  let customers: CustomersHarness;
  const tenantId = randomUUID();
  let admin: Identity;
  let rep: Identity;

  beforeAll(async () => {
    customers = await CustomersHarness.start('customers_privacy', { CUSTOMERS_PRIVACY_PARTICIPANTS: 'sales', CUSTOMERS_PRIVACY_OVERDUE_AFTER_HOURS: '1' });
    admin = caller(tenantId, ['admin']);
    rep = caller(tenantId, ['rep']);
    await customers.publishUser('created', { tenantId, userId: rep.userId, roles: ['rep'] });
    await customers.as(admin).post('/custom-fields').send({ key: 'hobby', label: '爱好', type: 'text' }).expect(201);
  });
  afterAll(() => customers?.stop());

  const put = (as: Identity, path: string) => request(customers.running.url).put(`${API}${path}`).set(internalCredentialHeaders(as));
  const createCustomer = async (body: Record<string, unknown>): Promise<{ id: string }> =>
    (await customers.as(admin).post('/customers').send({ type: 'person', ...body }).expect(201)).body;
  const requestPrivacy = async (body: Record<string, unknown>): Promise<PrivacyRequest> => (await customers.as(admin).post('/privacy/requests').send(body).expect(201)).body;
  const getRequest = async (id: string): Promise<PrivacyRequest> => (await customers.as(admin).get(`/privacy/requests/${id}`).expect(200)).body;
  const statusOf = (request: PrivacyRequest, service: string) => request.services.find((entry) => entry.service === service);
  const fullPerson = () => ({
    name: PERSON.name,
    nameEn: PERSON.nameEn,
    phones: [PERSON.phone],
    emails: [PERSON.email],
    wechatIds: [PERSON.wechatId],
    addresses: [{ city: '杭州市', street: PERSON.street }],
    region: '华东',
    industry: '零售',
    nationalId: PERSON.nationalId,
    bankAccount: PERSON.bankAccount,
    customFields: { hobby: PERSON.hobby },
    externalId: PERSON.externalId,
    tags: ['VIP'],
  });

  /**
   * Where any of the texts occurs in the database: every text, varchar, json(b), array and bytea column
   * of every table, found through information_schema, so tables added later are searched too. Rows of
   * other tenants are hidden by row-level security, which is fine: every text here is this suite's own.
   */
  async function occurrences(texts: readonly string[]): Promise<Array<{ table: string; column: string; text: string }>> {
    const columns = await customers.dataSource.query<Array<{ table_name: string; column_name: string; data_type: string }>>(
      `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea')
        ORDER BY c.table_name, c.column_name`,
    );
    expect(columns.map((column) => column.table_name)).toEqual(expect.arrayContaining(['customers', 'customer_search', 'privacy_requests', 'messaging_outbox']));
    const found: Array<{ table: string; column: string; text: string }> = [];
    for (const { table_name: table, column_name: column, data_type: type } of columns) {
      const value = type === 'bytea' ? `encode("${column}", 'hex')` : `"${column}"::text`;
      for (const text of texts) {
        const needle = type === 'bytea' ? Buffer.from(text).toString('hex') : text;
        const [{ count }] = await customers.queryAsTenant<{ count: string }>(tenantId, `SELECT count(*) FROM "${table}" WHERE strpos(${value}, $1) > 0`, [needle]);
        if (Number(count) > 0) found.push({ table, column, text });
      }
    }
    return found;
  }

  describe('permissions', () => {
    it('keeps requests, the internal export and changing settings to privacy managers (admins)', async () => {
      const { id } = await createCustomer({ name: '权限测试' });
      await customers.as(rep).post('/privacy/requests').send({ customerId: id, type: 'export' }).expect(403);
      await customers.as(rep).get('/privacy/requests').expect(403);
      await customers.as(rep).get(`/privacy/requests/${randomUUID()}`).expect(403);
      await customers.as(rep).get(`/internal/privacy/customers/${id}/export`).expect(403);
      await put(rep, '/customers/settings/privacy').send({ collect: { nationalId: false } }).expect(403);
      // Everyone writing customers may read what is collected.
      await customers.as(rep).get('/customers/settings/privacy').expect(200);
      await customers.direct().get(`${API}/privacy/requests`).expect(401);
    });
  });

  describe('erasure', () => {
    let customerId: string;
    let erasure: PrivacyRequest;
    let earlierExport: PrivacyRequest;

    beforeAll(async () => {
      const { nameEn, ...person } = fullPerson();
      customerId = (await createCustomer(person)).id;
      // A near duplicate of the same region (欧阳峰 / 欧阳锋), found before the English name made the names less alike.
      const twin = await customers.as(admin).post('/customers').send({ type: 'person', name: '欧阳峰测试', region: '华东' }).expect(201);
      expect(twin.body.possibleDuplicates.map((duplicate: { id: string }) => duplicate.id)).toEqual([customerId]);
      await customers.as(admin).patch(`/customers/${customerId}`).send({ nameEn }).expect(200);
      // A read of the unmasked numbers, an earlier export request.
      await customers.as(admin).get(`/customers/${customerId}?reveal=pii`).expect(200);
      earlierExport = await requestPrivacy({ customerId, type: 'export', requestedBy: PERSON.contact });
      expect(await occurrences([PERSON.name, PERSON.nationalId, PERSON.contact])).toEqual(
        expect.arrayContaining([expect.objectContaining({ table: 'customers', text: PERSON.name }), expect.objectContaining({ table: 'privacy_requests', text: PERSON.contact })]),
      );

      erasure = await requestPrivacy({ customerId, type: 'erasure', reason: 'consent_withdrawn', requestedBy: PERSON.contact });
    });

    it('erases in this service at once and waits for the other participants', () => {
      expect(erasure).toMatchObject({ type: 'erasure', customerId, status: 'pending', reason: 'consent_withdrawn', requestedBy: null, createdBy: admin.userId, archiveUrl: null });
      expect(statusOf(erasure, 'customers')).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
      expect(statusOf(erasure, 'customers')?.recordsAffected).toBeGreaterThanOrEqual(4);
      expect(statusOf(erasure, 'sales')).toEqual({ service: 'sales', status: 'pending', recordsAffected: null, detail: null, completedAt: null });
    });

    it('leaves no personal data in any table, but the phones and e-mails the ErasureRequested event carries to the other services', async () => {
      const found = await occurrences([PERSON.name, PERSON.nameEn, PERSON.phone, PERSON.email, PERSON.wechatId, PERSON.street, PERSON.nationalId, PERSON.bankAccount, PERSON.externalId, PERSON.hobby, PERSON.contact]);
      expect(found).toEqual([
        { table: 'messaging_outbox', column: 'data', text: PERSON.phone },
        { table: 'messaging_outbox', column: 'data', text: PERSON.email },
      ]);
      const carriers = await customers.dataSource.query(`SELECT type, subject FROM messaging_outbox WHERE strpos(data, $1) > 0`, [PERSON.phone]);
      expect(carriers).toEqual([{ type: 'crm.customers.privacy.erasure_requested.v1', subject: erasure.id }]);
      // The audit trail of unmasked reads stays: who and when, nothing personal.
      const reads = await customers.queryAsTenant(tenantId, `SELECT actor_id FROM pii_access_log WHERE customer_id = $1`, [customerId]);
      expect(reads).toEqual([{ actor_id: admin.userId }]);
      expect((await getRequest(earlierExport.id)).requestedBy).toBeNull();
    });

    it('keeps the record for references, anonymised, marked erased and with a new version', async () => {
      const { body } = await customers.as(admin).get(`/customers/${customerId}`).expect(200);
      expect(body).toMatchObject({
        id: customerId,
        type: 'person',
        name: '已删除',
        nameEn: null,
        phones: [],
        emails: [],
        wechatIds: [],
        addresses: [],
        tags: [],
        customFields: {},
        externalId: null,
        nationalId: null,
        bankAccount: null,
        region: '华东',
        industry: '零售',
        ownerId: admin.userId,
        version: 3,
      });
      const [row] = await customers.queryAsTenant<{ erased_at: Date | null }>(tenantId, `SELECT erased_at FROM customers WHERE id = $1`, [customerId]);
      expect(row.erased_at).toBeInstanceOf(Date);
      expect(body.erasedAt).toBe(row.erased_at!.toISOString());
    });

    it('emits ErasureRequested with the contacts, CustomerErased, and its own ErasureCompleted', async () => {
      expect((await customers.outboxOf(customerId)).map((event) => event.type)).toEqual(['crm.customers.customer.erased.v1']);
      const [erased] = await customers.outboxOf(customerId);
      expect(erased.data).toEqual({ tenantId, customerId, requestId: erasure.id, version: '3' });
      const [requested, completed] = await customers.outboxOf(erasure.id);
      expect(requested).toEqual({
        type: 'crm.customers.privacy.erasure_requested.v1',
        data: { tenantId, requestId: erasure.id, customerId, phones: [PERSON.phoneE164], emails: [PERSON.email], requestedAt: expect.any(String) },
      });
      expect(completed).toEqual({
        type: 'crm.customers.privacy.erasure_completed.v1',
        data: { tenantId, requestId: erasure.id, customerId, service: 'customers', recordsAffected: String(statusOf(erasure, 'customers')?.recordsAffected), completedAt: expect.any(String) },
      });
    });

    it('refuses every later write (409 customer_erased), and a second erasure or an export', async () => {
      const patched = await customers.as(admin).patch(`/customers/${customerId}`).send({ name: PERSON.name }).expect(409);
      expect(patched.body).toMatchObject({ code: 'customer_erased' });
      await customers.as(admin).post(`/customers/${customerId}/tags`).send({ add: ['VIP'] }).expect(409);
      for (const type of ['erasure', 'export']) {
        const again = await customers.as(admin).post('/privacy/requests').send({ customerId, type }).expect(409);
        expect(again.body.code).toBe('customer_erased');
      }
    });

    it('is found by no search and is nobody’s duplicate any more', async () => {
      for (const q of ['欧阳锋', PERSON.phone, PERSON.email, 'Ouyang']) {
        const { body } = await customers.as(admin).get(`/customers?q=${encodeURIComponent(q)}`).expect(200);
        expect(body.items.map((customer: { id: string }) => customer.id)).not.toContain(customerId);
      }
      const tagged = await customers.as(admin).get('/customers?tag=VIP').expect(200);
      expect(tagged.body.items.map((customer: { id: string }) => customer.id)).not.toContain(customerId);
      const pairs = await customers.as(admin).get('/customers/duplicates?status=open&limit=200').expect(200);
      const dismissed = await customers.as(admin).get('/customers/duplicates?status=dismissed&limit=200').expect(200);
      const sides = [...pairs.body.items, ...dismissed.body.items].flatMap((pair: { customerA: { id: string }; customerB: { id: string } }) => [pair.customerA.id, pair.customerB.id]);
      expect(sides).not.toContain(customerId);
      // A new customer with the erased person's phone is not matched against the erased record.
      const again = await createCustomer({ name: '新客户', phones: [PERSON.phone] });
      expect((again as { possibleDuplicates?: unknown[] }).possibleDuplicates).toEqual([]);
    });
  });

  describe('answers of the participants', () => {
    let customerId: string;
    let erasure: PrivacyRequest;
    const answer = (overrides: Partial<{ service: string; recordsAffected: bigint; customerId: string; requestId: string }> = {}) =>
      create(SalesErasureCompletedSchema, {
        tenantId,
        requestId: erasure.id,
        customerId,
        service: 'sales',
        recordsAffected: 3n,
        completedAt: new Date().toISOString(),
        ...overrides,
      });

    beforeAll(async () => {
      customerId = (await createCustomer({ name: '回执测试', phones: ['13700001111'] })).id;
      erasure = await requestPrivacy({ customerId, type: 'erasure' });
    });

    it('shows a participant that has not answered in time as overdue, not completed', async () => {
      expect((await getRequest(erasure.id)).status).toBe('pending');
      const pendingList = await customers.as(admin).get(`/privacy/requests?status=pending&customerId=${customerId}`).expect(200);
      expect(pendingList.body.items.map((item: PrivacyRequest) => item.id)).toEqual([erasure.id]);

      // Two hours ago, with an hour to answer.
      await customers.queryAsTenant(tenantId, `UPDATE privacy_requests SET created_at = created_at - interval '2 hours' WHERE id = $1`, [erasure.id]);
      const late = await getRequest(erasure.id);
      expect(late.status).toBe('overdue');
      expect(statusOf(late, 'sales')?.status).toBe('overdue');
      expect(statusOf(late, 'customers')?.status).toBe('completed');
      const overdueList = await customers.as(admin).get(`/privacy/requests?status=overdue&customerId=${customerId}`).expect(200);
      expect(overdueList.body.items.map((item: PrivacyRequest) => item.id)).toEqual([erasure.id]);
      expect((await customers.as(admin).get(`/privacy/requests?status=pending&customerId=${customerId}`).expect(200)).body.items).toEqual([]);
    });

    it('sends a malformed answer, or one speaking for another service, to the dead letters', async () => {
      await customers.publishEvent(SalesErasureCompletedEvent, answer({ service: 'marketing' }), erasure.id);
      await customers.publishEvent(SalesErasureCompletedEvent, answer({ customerId: randomUUID() }), erasure.id);
      const dead = await customers.dataSource.query(`SELECT error FROM messaging_dead_letter WHERE envelope->>'subject' = $1 ORDER BY id`, [erasure.id]);
      expect(dead).toEqual([{ error: expect.stringContaining('answers for itself') }, { error: expect.stringContaining('but the request is about') }]);
      expect(statusOf(await getRequest(erasure.id), 'sales')?.status).toBe('overdue');
    });

    it('ignores an answer to a request it does not know', async () => {
      await customers.publishEvent(SalesErasureCompletedEvent, answer({ requestId: randomUUID() }), erasure.id);
      expect(statusOf(await getRequest(erasure.id), 'sales')?.status).toBe('overdue');
    });

    it('completes the request when the last participant answers; a repeated answer changes nothing', async () => {
      await customers.publishEvent(SalesErasureCompletedEvent, answer(), erasure.id);
      const done = await getRequest(erasure.id);
      expect(done).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
      expect(statusOf(done, 'sales')).toMatchObject({ status: 'completed', recordsAffected: 3, completedAt: expect.any(String) });

      await customers.publishEvent(SalesErasureCompletedEvent, answer({ recordsAffected: 99n }), erasure.id);
      expect(statusOf(await getRequest(erasure.id), 'sales')?.recordsAffected).toBe(3);
      const completedList = await customers.as(admin).get(`/privacy/requests?status=completed&customerId=${customerId}`).expect(200);
      expect(completedList.body.items.map((item: PrivacyRequest) => item.id)).toEqual([erasure.id]);
    });
  });

  describe('export', () => {
    let customerId: string;
    let exportRequest: PrivacyRequest;

    beforeAll(async () => {
      customerId = (await createCustomer({ ...fullPerson(), name: '导出测试', externalId: 'ERP-EXPORT-1', phones: ['13600002222'], emails: ['export.test@example.cn'] })).id;
      exportRequest = await requestPrivacy({ customerId, type: 'export', requestedBy: 'export.test@example.cn' });
    });

    it('records the request, pending until the gateway delivers the archive', () => {
      expect(exportRequest).toMatchObject({ type: 'export', status: 'pending', reason: 'data_subject_request', requestedBy: 'export.test@example.cn', deliveredAt: null, archiveComplete: null });
      expect(exportRequest.archiveUrl).toBe(`/api/v1/privacy/requests/${exportRequest.id}/archive`);
      expect(exportRequest.services.map((service) => [service.service, service.status])).toEqual([
        ['customers', 'pending'],
        ['sales', 'pending'],
      ]);
    });

    it("answers the internal export with the customer's data in clear, and records the unmasked read", async () => {
      const { body, headers } = await customers.as(admin).get(`/internal/privacy/customers/${customerId}/export`).expect(200);
      expect(headers['cache-control']).toBe('no-store');
      expect(body.service).toBe('customers');
      const sections = Object.fromEntries((body.sections as Array<{ name: string; data: unknown }>).map((section) => [section.name, section.data]));
      expect(sections.customer).toMatchObject({
        id: customerId,
        name: '导出测试',
        phones: ['+8613600002222'],
        nationalId: PERSON.nationalId,
        bankAccount: PERSON.bankAccount,
        customFields: { hobby: PERSON.hobby },
        erasedAt: null,
      });
      expect(sections.privacyRequests).toEqual([expect.objectContaining({ id: exportRequest.id, type: 'export', requestedBy: 'export.test@example.cn' })]);
      expect(sections.piiAccessLog).toEqual([{ actorId: admin.userId, fields: ['nationalId', 'bankAccount'], at: expect.any(String) }]);
      const log = await customers.as(admin).get(`/customers/${customerId}/pii-access-log`).expect(200);
      expect(log.body.items).toEqual([expect.objectContaining({ actorId: admin.userId, fields: ['nationalId', 'bankAccount'] })]);
      await customers.as(admin).get(`/internal/privacy/customers/${randomUUID()}/export`).expect(404);
    });

    it('is completed by the delivery report, with what each service contributed', async () => {
      const { body } = await customers
        .as(admin)
        .post(`/internal/privacy/requests/${exportRequest.id}/delivery`)
        .send({ complete: false, services: [{ service: 'customers', status: 'included' }, { service: 'ticketing', status: 'unavailable', detail: 'not reachable' }] })
        .expect(200);
      expect(body).toMatchObject({ status: 'completed', deliveredAt: expect.any(String), archiveComplete: false, completedAt: expect.any(String) });
      expect(body.services).toEqual([
        expect.objectContaining({ service: 'customers', status: 'completed' }),
        expect.objectContaining({ service: 'sales', status: 'failed', detail: 'not part of the archive' }),
        expect.objectContaining({ service: 'ticketing', status: 'failed', detail: 'not reachable' }),
      ]);
      const erasure = await requestPrivacy({ customerId: (await createCustomer({ name: '另一位' })).id, type: 'erasure' });
      const refused = await customers.as(admin).post(`/internal/privacy/requests/${erasure.id}/delivery`).send({ complete: true, services: [] }).expect(409);
      expect(refused.body.code).toBe('not_an_export_request');
    });

    it('lists requests newest first by cursor, filtered by type and customer', async () => {
      const second = await requestPrivacy({ customerId, type: 'export' });
      const firstPage = await customers.as(admin).get(`/privacy/requests?customerId=${customerId}&limit=1&total=true`).expect(200);
      expect(firstPage.body).toMatchObject({ total: 2, items: [expect.objectContaining({ id: second.id })] });
      const nextPage = await customers.as(admin).get(`/privacy/requests?customerId=${customerId}&limit=1&cursor=${firstPage.body.nextCursor}`).expect(200);
      expect(nextPage.body).toMatchObject({ nextCursor: null, items: [expect.objectContaining({ id: exportRequest.id })] });
      const erasures = await customers.as(admin).get('/privacy/requests?type=erasure&limit=200').expect(200);
      expect(erasures.body.items.every((item: PrivacyRequest) => item.type === 'erasure')).toBe(true);
      await customers.as(admin).get(`/privacy/requests/${randomUUID()}`).expect(404);
      await customers.as(admin).post('/privacy/requests').send({ customerId: randomUUID(), type: 'export' }).expect(404);
      await customers.as(admin).post('/privacy/requests').send({ customerId, type: 'delete', reason: 'because' }).expect(400);
    });
  });

  describe('data minimisation', () => {
    afterAll(async () => {
      await put(admin, '/customers/settings/privacy').send({}).expect(200);
    });

    it('collects everything until the tenant says otherwise', async () => {
      const { body } = await customers.as(admin).get('/customers/settings/privacy').expect(200);
      expect(body).toEqual({ collect: { nationalId: true, bankAccount: true, wechatIds: true, addresses: true }, notCollectedCustomFields: [], version: 0, updatedAt: null, updatedBy: null });
    });

    it('refuses values of fields the tenant does not collect, per field, on every write path', async () => {
      const existing = await createCustomer({ name: '最小化测试', nationalId: PERSON.nationalId, addresses: [{ city: '杭州市' }] });
      const changed = await put(admin, '/customers/settings/privacy')
        .set('if-match', '"0"')
        .send({ collect: { nationalId: false, addresses: false, wechatIds: false }, notCollectedCustomFields: ['hobby'] })
        .expect(200);
      expect(changed.body).toMatchObject({ collect: { nationalId: false, bankAccount: true, wechatIds: false, addresses: false }, notCollectedCustomFields: ['hobby'], version: 1, updatedBy: admin.userId });
      expect(changed.headers.etag).toBe('"1"');

      const refused = await customers
        .as(admin)
        .post('/customers')
        .send({ type: 'person', name: '新客户', nationalId: PERSON.nationalId, addresses: [{ city: '杭州市' }], wechatIds: ['wx1'], bankAccount: PERSON.bankAccount, customFields: { hobby: '茶' } })
        .expect(400);
      expect(refused.body.errors).toEqual(
        expect.arrayContaining(
          ['nationalId', 'addresses', 'wechatIds', 'customFields.hobby'].map((field) => ({ field, code: 'field_collection_disabled', message: expect.stringContaining(field) })),
        ),
      );
      expect(refused.body.errors.map((error: { field: string }) => error.field)).not.toContain('bankAccount');

      const patched = await customers.as(admin).patch(`/customers/${existing.id}`).send({ addresses: [{ city: '上海市' }] }).expect(400);
      expect(patched.body.errors).toEqual([expect.objectContaining({ field: 'addresses', code: 'field_collection_disabled' })]);
      const batch = await customers.as(admin).post('/customers/batch').send({ items: [{ externalId: 'MIN-1', type: 'person', name: '批量', wechatIds: ['wx2'] }] }).expect(200);
      expect(batch.body.items[0]).toMatchObject({ status: 'invalid', problems: [expect.objectContaining({ field: 'wechatIds', code: 'field_collection_disabled' })] });

      // Values collected before stay, and may still be removed.
      const kept = await customers.as(admin).get(`/customers/${existing.id}`).expect(200);
      expect(kept.body).toMatchObject({ nationalId: '3301**********4817', addresses: [{ city: '杭州市' }] });
      const cleared = await customers.as(admin).patch(`/customers/${existing.id}`).send({ nationalId: null, addresses: [], name: '最小化测试二' }).expect(200);
      expect(cleared.body).toMatchObject({ nationalId: null, addresses: [], name: '最小化测试二' });
      // Fields still collected pass.
      await customers.as(admin).post('/customers').send({ type: 'person', name: '银行卡', bankAccount: PERSON.bankAccount }).expect(201);
    });

    it('takes If-Match for concurrent changes and validates custom field keys', async () => {
      const stale = await put(admin, '/customers/settings/privacy').set('if-match', '"0"').send({}).expect(412);
      expect(stale.body.code).toBe('version_mismatch');
      await put(admin, '/customers/settings/privacy').send({ notCollectedCustomFields: ['Not A Key'] }).expect(400);
      await put(admin, '/customers/settings/privacy').send({ collect: { passport: false } }).expect(400);
    });
  });
});
