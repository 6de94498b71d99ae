import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { equals, fromJsonString } from '@bufbuild/protobuf';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import request from 'supertest';
import { CustomerCreatedSchema, CustomersImportedSchema } from '@crm/contracts';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { TenantTransactions } from '@crm/platform/database';
import { API, internalCredentialHeaders } from '@crm/testing';
import { service } from '../src';
import { CustomerEvents } from '../src/customers/customer-events';
import { CustomerEntity } from '../src/customers/customer.entity';
import { caller, CustomersHarness, type Identity } from './customers-harness';

jest.setTimeout(240_000);

interface Job {
  id: string;
  status: string;
  dryRun: boolean;
  encoding: string;
  columns: string[];
  progress: { bytesRead: number; fileBytes: number; percentRead: number; rowsRead: number; rowsPerSecond: number; rowsApplied: number; percentApplied: number };
  counts: { read: number; inserted: number; updated: number; merged: number; duplicates: number; rejected: number; markedInvalid: number };
  duplicateCheck: { status: string; customersChecked: number; pairsFound: number };
  startedBy: string;
  error: string | null;
  finishedAt: string | null;
  links: { self: string; errors: string };
}

interface CustomerRow {
  id: string;
  name: string;
  type: string;
  phones: string[];
  emails: string[];
  tags: string[];
  external_id: string | null;
  region: string | null;
  industry: string | null;
  owner_id: string | null;
  custom_fields: Record<string, unknown>;
  version: number;
}

const HEADER = ['客户编号', '客户名称', '联系人', '手机', '电话', '邮箱', '省份', '行业', '标签', '最后联系', '预算'];

/** A CSV file (RFC 4180) of these rows under HEADER. */
function csv(rows: string[][], header = HEADER): string {
  return [header, ...rows].map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\r\n') + '\r\n';
}

/** A row: only the cells given, in HEADER's order. */
function row(cells: Partial<Record<(typeof HEADER)[number], string>>): string[] {
  return HEADER.map((column) => cells[column as keyof typeof cells] ?? '');
}

const MAPPING = {
  fields: { name: ['客户名称', '联系人'], phones: ['手机', '电话'], emails: '邮箱', region: '省份', industry: '行业', externalId: '客户编号' },
  tags: '标签',
  tagSeparator: '|',
  lastContactColumn: '最后联系',
};

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** Upload, CSV files, staging, deduplication, apply, events, restarts: the whole import on real Postgres. */
describe('customers: imports', () => {
  let customers: CustomersHarness;
  let importDir: string;
  const env = (dir: string): Record<string, string> => ({ CUSTOMERS_IMPORT_DIR: dir, CUSTOMERS_IMPORT_CHUNK_ROWS: '20', CUSTOMERS_IMPORT_MAX_BYTES: '200000' });

  beforeAll(async () => {
    importDir = mkdtempSync(path.join(tmpdir(), 'crm-imports-test-'));
    customers = await CustomersHarness.start('customers_imports', env(importDir));
  });
  afterAll(async () => {
    await customers?.stop();
    rmSync(importDir, { recursive: true, force: true });
  });

  /** A tenant of its own for each test, with an admin. */
  const tenant = (): Identity => caller(randomUUID(), ['admin']);

  const upload = (as: Identity, file: Buffer | string, fields: Record<string, unknown> = {}, url = customers.running.url) => {
    let call = request(url)
      .post(`${API}/customers/imports`)
      .set(internalCredentialHeaders(as))
      .attach('file', Buffer.isBuffer(file) ? file : Buffer.from(file, 'utf8'), 'customers.csv');
    for (const [name, value] of Object.entries({ mapping: MAPPING, ...fields })) call = call.field(name, typeof value === 'string' ? value : JSON.stringify(value));
    return call;
  };

  const getJob = async (as: Identity, id: string, url = customers.running.url): Promise<Job> =>
    (await request(url).get(`${API}/customers/imports/${id}`).set(internalCredentialHeaders(as)).expect(200)).body;

  const waitFor = async (as: Identity, id: string, done: (job: Job) => boolean, url = customers.running.url): Promise<Job> => {
    for (let attempt = 0; attempt < 1_200; attempt++) {
      const job = await getJob(as, id, url);
      if (done(job)) return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`import ${id} did not get there: ${JSON.stringify(await getJob(as, id, url))}`);
  };

  const finished = (as: Identity, id: string, url = customers.running.url): Promise<Job> =>
    waitFor(as, id, (job) => TERMINAL.includes(job.status) && !['pending', 'running'].includes(job.duplicateCheck.status), url);

  const importFile = async (as: Identity, file: Buffer | string, fields: Record<string, unknown> = {}): Promise<Job> => {
    const response = await upload(as, file, fields).expect(202);
    expect(response.headers.location).toBe(`/api/v1/customers/imports/${response.body.id}`);
    return finished(as, response.body.id);
  };

  const customersOf = (as: Identity) =>
    customers.queryAsTenant<CustomerRow>(
      as.tenantId,
      `SELECT id, name, type, phones, emails, tags, external_id, region, industry, owner_id, custom_fields, version FROM customers WHERE deleted_at IS NULL ORDER BY external_id, name`,
    );

  const outboxTypes = async (as: Identity): Promise<string[]> =>
    (await customers.dataSource.query(`SELECT type FROM messaging_outbox WHERE tenant_id = $1 ORDER BY id`, [as.tenantId])).map((event: { type: string }) => event.type);

  describe('files', () => {
    it('reads UTF-8 with Chinese names, makes 13800138000, +86 138-0013-8000 and 8613800138000 one customer, and reports progress', async () => {
      const as = tenant();
      const job = await importFile(
        as,
        `\ufeff${csv([
          row({ 客户编号: 'A-1', 客户名称: '张三', 手机: '13800138000', 邮箱: 'zhang@example.cn', 省份: '上海', 标签: 'VIP|老客户' }),
          row({ 客户编号: 'A-2', 联系人: '李四', 电话: '+86 139-0013-9000', 省份: '北京' }),
          row({ 客户编号: 'A-3', 客户名称: '张三（重复）', 手机: '+86 138-0013-8000', 省份: '上海' }),
          row({ 客户编号: 'A-4', 客户名称: '张三 again', 电话: '8613800138000' }),
          // Shares row 1's e-mail, whatever its case: the same customer too.
          row({ 客户编号: 'A-5', 客户名称: '王五', 手机: '13700137000', 邮箱: 'ZHANG@example.cn' }),
        ])}`,
      );

      expect(job).toMatchObject({ status: 'succeeded', encoding: 'utf-8', error: null, columns: HEADER });
      expect(job.counts).toEqual({ read: 5, inserted: 2, updated: 0, merged: 0, duplicates: 3, rejected: 0, markedInvalid: 0 });
      expect(job.progress).toMatchObject({ rowsRead: 5, percentRead: 100, rowsApplied: 5, percentApplied: 100 });
      expect(job.progress.fileBytes).toBeGreaterThan(0);
      expect(job.progress.rowsPerSecond).toBeGreaterThan(0);
      expect(job.duplicateCheck.status).toBe('completed');
      expect((await customersOf(as)).map((customer) => [customer.external_id, customer.name, customer.phones, customer.tags, customer.owner_id])).toEqual([
        ['A-1', '张三', ['+8613800138000'], ['VIP', '老客户'], as.userId],
        ['A-2', '李四', ['+8613900139000'], [], as.userId],
      ]);
    });

    it('reads GBK files, detected or named', async () => {
      const as = tenant();
      const file = iconv.encode(
        csv([row({ 客户编号: 'G-1', 客户名称: '欧阳娜娜', 手机: '13600136000', 省份: '广东', 标签: '重点客户' }), row({ 客户编号: 'G-2', 客户名称: '深圳华信科技有限公司', 电话: '0755-88886666' })]),
        'gbk',
      );
      const detected = await importFile(as, file);
      expect(detected).toMatchObject({ status: 'succeeded', encoding: 'gb18030' });
      expect(detected.counts).toMatchObject({ read: 2, inserted: 2, rejected: 0 });
      expect((await customersOf(as)).map((customer) => [customer.name, customer.region, customer.phones, customer.tags])).toEqual([
        ['欧阳娜娜', '广东', ['+8613600136000'], ['重点客户']],
        ['深圳华信科技有限公司', null, ['+8675588886666'], []],
      ]);

      const other = tenant();
      const named = await importFile(other, iconv.encode(csv([row({ 客户编号: 'G-3', 客户名称: '诸葛亮' })]), 'gb18030'), { encoding: 'GBK' });
      expect(named).toMatchObject({ status: 'succeeded', encoding: 'gb18030' });
      expect((await customersOf(other)).map((customer) => customer.name)).toEqual(['诸葛亮']);
    });
  });

  describe('existing customers', () => {
    const setUp = async () => {
      const as = tenant();
      const existing = await customers
        .as(as)
        .post('/customers')
        .send({ type: 'company', name: '上海示例贸易有限公司', phones: ['13800138000'], emails: ['old@example.cn'], region: '华东', tags: ['老客户'], externalId: 'E-1' })
        .expect(201);
      const file = csv([
        // Matches by phone, written another way.
        row({ 客户编号: 'E-1', 客户名称: '上海示例贸易', 手机: '+86 138-0013-8000', 电话: '021-61234567', 行业: '贸易', 省份: '华南', 标签: 'VIP' }),
        // Matches by externalId only.
        row({ 客户编号: 'E-1', 邮箱: 'new@example.cn' }),
        row({ 客户编号: 'N-1', 客户名称: '新客户', 手机: '13900139000' }),
      ]);
      return { as, id: existing.body.id as string, file };
    };

    it('skip: rows matching a customer are duplicates and change nothing', async () => {
      const { as, id, file } = await setUp();
      const job = await importFile(as, file);
      expect(job.counts).toEqual({ read: 3, inserted: 1, updated: 0, merged: 0, duplicates: 2, rejected: 0, markedInvalid: 0 });
      const [kept] = (await customersOf(as)).filter((customer) => customer.id === id);
      expect(kept).toMatchObject({ name: '上海示例贸易有限公司', phones: ['+8613800138000'], region: '华东', industry: null, version: 1 });
    });

    it('update: the file wins; its contacts come first and the customer keeps its others', async () => {
      const { as, id, file } = await setUp();
      const job = await importFile(as, file, { dedupMode: 'update' });
      expect(job.counts).toEqual({ read: 3, inserted: 1, updated: 2, merged: 0, duplicates: 0, rejected: 0, markedInvalid: 0 });
      const [updated] = (await customersOf(as)).filter((customer) => customer.id === id);
      expect(updated).toMatchObject({
        name: '上海示例贸易',
        phones: ['+8613800138000', '+862161234567'],
        emails: ['new@example.cn', 'old@example.cn'],
        region: '华南',
        industry: '贸易',
        tags: ['老客户', 'VIP'],
        version: 2,
      });
      const events = (await customers.outboxOf(id)).map((event) => event.type);
      expect(events).toEqual(['crm.customers.customer.created.v1', 'crm.customers.customer.updated.v1', 'crm.customers.customer.tagged.v1']);
    });

    it('merge: the customer wins; the file fills gaps and adds contacts', async () => {
      const { as, id, file } = await setUp();
      const job = await importFile(as, file, { dedupMode: 'merge' });
      expect(job.counts).toEqual({ read: 3, inserted: 1, updated: 0, merged: 2, duplicates: 0, rejected: 0, markedInvalid: 0 });
      const [merged] = (await customersOf(as)).filter((customer) => customer.id === id);
      expect(merged).toMatchObject({
        name: '上海示例贸易有限公司',
        phones: ['+8613800138000', '+862161234567'],
        emails: ['old@example.cn', 'new@example.cn'],
        region: '华东',
        industry: '贸易',
        tags: ['老客户', 'VIP'],
        version: 2,
      });
      expect((await customers.outboxOf(id)).map((event) => event.type)).toEqual([
        'crm.customers.customer.created.v1',
        'crm.customers.customer.updated.v1',
        'crm.customers.customer.tagged.v1',
      ]);
    });

    it('merge: rows of the file that are one new customer become one, with every row’s contacts', async () => {
      const as = tenant();
      const job = await importFile(
        as,
        csv([
          row({ 客户编号: 'M-1', 客户名称: '赵六', 手机: '13500135000' }),
          row({ 客户名称: '赵六（分公司）', 手机: '8613500135000', 邮箱: 'zhao@example.cn', 行业: '制造业' }),
        ]),
        { dedupMode: 'merge' },
      );
      expect(job.counts).toEqual({ read: 2, inserted: 1, updated: 0, merged: 1, duplicates: 0, rejected: 0, markedInvalid: 0 });
      expect(await customersOf(as)).toMatchObject([{ external_id: 'M-1', name: '赵六', phones: ['+8613500135000'], emails: ['zhao@example.cn'], industry: '制造业', version: 1 }]);
    });

    it('update and merge change only customers in the starter’s scope', async () => {
      const as = tenant();
      const manager = caller(as.tenantId, ['manager'], [randomUUID()]);
      const other = caller(as.tenantId, ['rep']);
      await customers.publishUser('created', { tenantId: as.tenantId, userId: other.userId, roles: ['rep'] });
      await customers.as(other).post('/customers').send({ type: 'person', name: '别人的客户', phones: ['13300133000'] }).expect(201);
      const job = await importFile(manager, csv([row({ 客户名称: '别人的客户', 手机: '13300133000', 行业: '教育' })]), { dedupMode: 'update' });
      expect(job.counts).toMatchObject({ read: 1, rejected: 1, updated: 0, inserted: 0 });
      const errors = await customers.as(manager).get(`/customers/imports/${job.id}/errors.csv`).expect(200);
      expect(errors.text).toContain('outside your scope');
    });
  });

  describe('cleansing', () => {
    it('rejects invalid rows with every reason in errors.csv (UTF-8 with BOM) and imports the rest', async () => {
      const as = tenant();
      const job = await importFile(
        as,
        csv([
          row({ 客户编号: 'V-1', 客户名称: '正常客户', 手机: '13800138000' }),
          row({ 客户编号: 'V-2', 客户名称: '坏电话', 手机: '1380013', 邮箱: 'li@qq' }),
          row({ 客户编号: 'V-3', 手机: '13900139000' }),
          row({ 客户编号: 'V-4', 客户名称: '日期', 手机: '13700137000', 最后联系: '去年' }),
        ]),
      );
      expect(job.counts).toEqual({ read: 4, inserted: 1, updated: 0, merged: 0, duplicates: 0, rejected: 3, markedInvalid: 0 });

      const response = await customers.as(as).get(`/customers/imports/${job.id}/errors.csv`).expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(`attachment; filename="import-${job.id}-errors.csv"`);
      expect(response.text.startsWith('\ufeff')).toBe(true);
      const [header, ...rejected] = parse(response.text.slice(1)) as string[][];
      expect(header).toEqual(['row', 'reasons', ...HEADER]);
      expect(rejected.map((cells) => [cells[0], ...cells.slice(2)])).toEqual([
        ['2', ...row({ 客户编号: 'V-2', 客户名称: '坏电话', 手机: '1380013', 邮箱: 'li@qq' })],
        ['3', ...row({ 客户编号: 'V-3', 手机: '13900139000' })],
        ['4', ...row({ 客户编号: 'V-4', 客户名称: '日期', 手机: '13700137000', 最后联系: '去年' })],
      ]);
      expect(rejected[0][1]).toMatch(/^phones\[0\]: "1380013" is not a valid phone number.*; emails\[0\]: "li@qq" is not a valid email address/);
      expect(rejected[1][1]).toBe('name: name is required to create a customer');
      expect(rejected[2][1]).toMatch(/^lastContact: "去年" is not a date/);
      expect((await customersOf(as)).map((customer) => customer.external_id)).toEqual(['V-1']);
    });

    it('fills fields from other columns, drops cells that mean nothing, and marks unreachable and long-unresponsive leads', async () => {
      const as = tenant();
      const longAgo = new Date(Date.now() - 2 * 365 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
      const recently = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
      const job = await importFile(
        as,
        csv([
          row({ 客户编号: 'I-1', 联系人: '有效线索', 手机: '无', 电话: '13800138000', 最后联系: recently }),
          row({ 客户编号: 'I-2', 客户名称: '联系不上', 手机: '无', 邮箱: '-', 最后联系: recently }),
          row({ 客户编号: 'I-3', 客户名称: '很久没联系', 手机: '13900139000', 最后联系: longAgo }),
        ]),
        { markInvalid: 'true', unresponsiveDays: '365' },
      );
      expect(job.counts).toEqual({ read: 3, inserted: 3, updated: 0, merged: 0, duplicates: 0, rejected: 0, markedInvalid: 2 });
      expect((await customersOf(as)).map((customer) => [customer.external_id, customer.name, customer.phones, customer.tags])).toEqual([
        ['I-1', '有效线索', ['+8613800138000'], []],
        ['I-2', '联系不上', [], ['无效线索', '无效线索:无法联系']],
        ['I-3', '很久没联系', ['+8613900139000'], ['无效线索', '无效线索:长期未响应']],
      ]);
      // The tag filter finds them, as any tag.
      const listed = await customers.as(as).get(`/customers?tag=${encodeURIComponent('无效线索')}`).expect(200);
      expect(listed.body.items).toHaveLength(2);
    });

    it('checks custom fields against the tenant’s definitions', async () => {
      const as = tenant();
      await customers.as(as).post('/custom-fields').send({ key: 'budget', label: '预算', type: 'number' }).expect(201);
      const job = await importFile(
        as,
        csv([row({ 客户编号: 'B-1', 客户名称: '有预算', 预算: '12000.5' }), row({ 客户编号: 'B-2', 客户名称: '预算不对', 预算: '很多' })]),
        { mapping: { ...MAPPING, customFields: { budget: '预算' } } },
      );
      expect(job.counts).toMatchObject({ inserted: 1, rejected: 1 });
      expect(await customersOf(as)).toMatchObject([{ external_id: 'B-1', custom_fields: { budget: 12000.5 } }]);
    });
  });

  it('forgets a customer’s rejected rows when the customer is erased', async () => {
    const as = tenant();
    const job = await importFile(
      as,
      csv([row({ 客户编号: 'S-1', 客户名称: '要删除的人', 手机: '13800138000' }), row({ 客户编号: 'S-2', 客户名称: '要删除的人', 电话: '+86 138 0013 8000', 邮箱: 'not an email' })]),
    );
    expect(job.counts).toMatchObject({ inserted: 1, rejected: 1 });
    const [customer] = await customersOf(as);
    await customers.as(as).post('/privacy/requests').send({ customerId: customer.id, type: 'erasure' }).expect(201);
    const errors = await customers.as(as).get(`/customers/imports/${job.id}/errors.csv`).expect(200);
    expect(parse(errors.text.slice(1))).toEqual([['row', 'reasons', ...HEADER]]);
  });

  it('dry run: counts everything, writes no customer', async () => {
    const as = tenant();
    const job = await importFile(
      as,
      csv([row({ 客户编号: 'D-1', 客户名称: '试一试', 手机: '13800138000' }), row({ 客户编号: 'D-2', 客户名称: '重复', 手机: '8613800138000' }), row({ 客户编号: 'D-3' })]),
      { dryRun: 'true' },
    );
    expect(job).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(job.counts).toEqual({ read: 3, inserted: 1, updated: 0, merged: 0, duplicates: 1, rejected: 1, markedInvalid: 0 });
    expect(job.duplicateCheck.status).toBe('skipped');
    expect(await customersOf(as)).toEqual([]);
    expect(await outboxTypes(as)).toEqual(['crm.customers.import.finished.v1']);
  });

  describe('events', () => {
    it('publishes each customer’s CustomerCreated, as CustomerEvents would, and one CustomersImported', async () => {
      const as = tenant();
      const job = await importFile(
        as,
        csv([
          row({ 客户编号: 'P-1', 客户名称: 'ＡＢＣ 科技有限公司', 手机: '13800138000', 电话: '010-12345678', 邮箱: 'Sales@ABC.com', 省份: '华北', 行业: '互联网', 标签: 'VIP|vip|重点' }),
          row({ 客户编号: 'P-2', 联系人: '李雷' }),
        ]),
      );
      expect(job.counts.inserted).toBe(2);
      const transactions = customers.running.app.get(TenantTransactions);
      for (const customer of await customersOf(as)) {
        const [created] = await customers.outboxOf(customer.id);
        // The same change through CustomerEvents, rolled back: its event and timeline entry are the reference.
        const reference = await transactions
          .runForTenant(as.tenantId, async (manager) => {
            const entity = await manager.getRepository(CustomerEntity).findOneByOrFail({ id: customer.id });
            const since = (await manager.query(`SELECT COALESCE(max(id), 0) AS id FROM messaging_outbox`))[0].id;
            await customers.running.app.get(CustomerEvents).publish(manager, [{ kind: 'created', customer: entity }]);
            const [event] = await manager.query(`SELECT data FROM messaging_outbox WHERE id > $1`, [since]);
            const timeline = await manager.query(`SELECT type, source, title, actor_id, payload, occurred_at FROM customer_timeline WHERE customer_id = $1 ORDER BY recorded_at`, [customer.id]);
            throw new Reference(event.data as string, timeline);
          })
          .catch((thrown: unknown) => {
            if (thrown instanceof Reference) return thrown;
            throw thrown;
          });
        const imported = fromJsonString(CustomerCreatedSchema, JSON.stringify(created.data));
        expect(equals(CustomerCreatedSchema, imported, fromJsonString(CustomerCreatedSchema, reference.event))).toBe(true);
        expect(imported.customer?.name).toBe(customer.name);
        const [importedEntry, referenceEntry] = reference.timeline;
        expect(importedEntry).toEqual(referenceEntry);
      }
      const summaries = await customers.dataSource.query(`SELECT subject, data FROM messaging_outbox WHERE tenant_id = $1 AND type = 'crm.customers.import.finished.v1'`, [as.tenantId]);
      expect(summaries).toHaveLength(1);
      expect(summaries[0].subject).toBe(job.id);
      const summary = fromJsonString(CustomersImportedSchema, summaries[0].data);
      expect(summary).toMatchObject({ tenantId: as.tenantId, importId: job.id, status: 'succeeded', dryRun: false, rowsRead: 2n, inserted: 2n, invalid: 0n, startedBy: as.userId });
    });
  });

  describe('requests', () => {
    it('refuses a mapping that does not fit, listing every problem', async () => {
      const as = tenant();
      const response = await upload(as, csv([row({ 客户名称: 'x' })]), {
        mapping: { fields: { name: ['公司名'], phones: ['手机', '传真'], nickname: '联系人' }, customFields: { budget: '预算' }, colour: 'red' },
      }).expect(400);
      expect(response.body.code).toBe('invalid_import');
      expect(response.body.errors.map((error: { field: string; code: string }) => [error.field, error.code])).toEqual([
        ['mapping.colour', 'invalid_mapping'],
        ['mapping.fields.name[0]', 'unknown_column'],
        ['mapping.fields.phones[1]', 'unknown_column'],
        ['mapping.fields.nickname', 'invalid_mapping'],
        ['mapping.customFields.budget', 'unknown_custom_field'],
        ['mapping.fields.name', 'required_mapping'],
      ]);
      const bad = await upload(as, csv([row({ 客户名称: 'x' })]), { mapping: '{not json', dedupMode: 'sometimes' }).expect(400);
      expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(['dedupMode']);
      expect((await upload(as, csv([row({ 客户名称: 'x' })]), { mapping: '{not json' }).expect(400)).body.errors[0]).toMatchObject({ field: 'mapping', code: 'invalid_mapping' });
    });

    it('refuses what is not multipart (415), a file over the limit (413) and an owner the caller may not choose', async () => {
      const as = tenant();
      await customers.as(as).post('/customers/imports').send({ mapping: MAPPING }).expect(415);
      const big = csv(Array.from({ length: 5_000 }, (_, index) => row({ 客户编号: `X-${index}`, 客户名称: '很长的客户名称'.repeat(3), 手机: '13800138000' })));
      const tooLarge = await upload(as, big).expect(413);
      expect(tooLarge.body.code).toBe('import_file_too_large');

      const manager = caller(as.tenantId, ['manager'], [randomUUID()]);
      const stranger = randomUUID();
      await customers.publishUser('created', { tenantId: as.tenantId, userId: stranger, roles: ['rep'] });
      const refused = await upload(manager, csv([row({ 客户名称: 'x' })]), { ownerId: stranger }).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'ownerId', code: 'owner_not_assignable' })]);
    });

    it('shows a job to whoever started it and to admins; reps may not import', async () => {
      const as = tenant();
      const manager = caller(as.tenantId, ['manager']);
      const otherManager = caller(as.tenantId, ['manager']);
      const job = await importFile(manager, csv([row({ 客户名称: '经理导入' })]));
      expect(job.startedBy).toBe(manager.userId);
      await customers.as(otherManager).get(`/customers/imports/${job.id}`).expect(404);
      await customers.as(otherManager).get(`/customers/imports/${job.id}/errors.csv`).expect(404);
      await customers.as(caller(randomUUID(), ['admin'])).get(`/customers/imports/${job.id}`).expect(404);
      await customers.as(as).get(`/customers/imports/${job.id}`).expect(200);
      await customers.as(caller(as.tenantId, ['rep'])).get(`/customers/imports/${job.id}`).expect(403);
      await upload(caller(as.tenantId, ['rep']), csv([row({ 客户名称: 'x' })])).expect(403);

      const second = await importFile(manager, csv([row({ 客户名称: '第二次' })]));
      const mine = await customers.as(manager).get('/customers/imports?limit=1&total=true').expect(200);
      expect(mine.body).toMatchObject({ total: 2, items: [{ id: second.id }] });
      const next = await customers.as(manager).get(`/customers/imports?limit=1&cursor=${mine.body.nextCursor}`).expect(200);
      expect(next.body.items.map((item: Job) => item.id)).toEqual([job.id]);
      expect((await customers.as(otherManager).get('/customers/imports').expect(200)).body.items).toEqual([]);
      expect((await customers.as(as).get('/customers/imports?total=true').expect(200)).body.total).toBe(2);
    });
  });

  describe('restarts', () => {
    /** A file of `count` customers, 20 rows a chunk: long enough to be stopped half way. */
    const manyRows = (count: number) => csv(Array.from({ length: count }, (_, index) => row({ 客户编号: `R-${index}`, 客户名称: `客户${index}`, 手机: `138${String(index).padStart(8, '0')}` })));

    /** Rows of the first instance's database, read past row-level security (the instance itself may be stopped). */
    const adminQuery = async <T>(first: CustomersHarness, sql: string, params: unknown[] = []): Promise<T[]> => {
      const client = new Client({ connectionString: first.database.adminUrl });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    };

    /** A second instance of the service on the first one's database, as after a restart. */
    const restart = (first: CustomersHarness, dir: string): Promise<RunningService> =>
      createService(service, {
        host: '127.0.0.1',
        port: 0,
        databaseUrl: first.database.url,
        runMigrations: true,
        env: { LOG_LEVEL: 'silent', EVENT_TRANSPORT: 'in-process', SHUTDOWN_TIMEOUT_MS: '1000', CUSTOMERS_PII_KEY: first.piiKey, ...env(dir) },
      });

    it('a job stopped between chunks is resumed by the next instance, also when its worker died, and finishes once', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'crm-imports-restart-'));
      const first = await CustomersHarness.start('customers_imports_restart', env(dir));
      let second: RunningService | undefined;
      try {
        const as = tenant();
        const accepted = await upload(as, manyRows(1_500), {}, first.running.url).expect(202);
        await waitFor(as, accepted.body.id, (job) => job.status === 'applying' && job.progress.rowsApplied >= 100, first.running.url);
        await first.running.close();
        const [stopped] = await adminQuery<{ status: string; worker: string | null }>(first, `SELECT status, worker FROM customer_imports WHERE id = $1`, [accepted.body.id]);
        // A clean shutdown hands the job back between two chunks; a crash would leave it with a silent worker.
        expect(stopped).toEqual({ status: 'applying', worker: null });
        await adminQuery(first, `UPDATE customer_imports SET worker = 'crashed:1:x', heartbeat_at = now() - interval '10 minutes' WHERE id = $1`, [accepted.body.id]);

        second = await restart(first, dir);
        const job = await finished(as, accepted.body.id, second.url);
        expect(job.status).toBe('succeeded');
        expect(job.counts).toEqual({ read: 1_500, inserted: 1_500, updated: 0, merged: 0, duplicates: 0, rejected: 0, markedInvalid: 0 });
        const [counted] = await adminQuery<{ customers: number; distinct: number; events: number }>(
          first,
          `SELECT count(*)::int AS customers, count(DISTINCT external_id)::int AS distinct,
                  (SELECT count(*)::int FROM messaging_outbox WHERE tenant_id = $2 AND type = 'crm.customers.customer.created.v1') AS events
             FROM customers WHERE tenant_id = $1`,
          [as.tenantId, as.tenantId],
        );
        expect(counted).toEqual({ customers: 1_500, distinct: 1_500, events: 1_500 });
      } finally {
        await second?.close();
        await first.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fails with a report of what it applied when its staged rows are gone', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'crm-imports-lost-'));
      const first = await CustomersHarness.start('customers_imports_lost', env(dir));
      let second: RunningService | undefined;
      try {
        const as = tenant();
        const accepted = await upload(as, manyRows(1_500), {}, first.running.url).expect(202);
        const running = await waitFor(as, accepted.body.id, (job) => job.status === 'applying' && job.progress.rowsApplied >= 100, first.running.url);
        expect(running.status).toBe('applying');
        await first.running.close();
        // What a restart of the database server does to an unlogged table.
        await adminQuery(first, `TRUNCATE customer_import_rows`);

        second = await restart(first, dir);
        const job = await finished(as, accepted.body.id, second.url);
        const [applied] = await adminQuery<{ count: number }>(first, `SELECT count(*)::int AS count FROM customers WHERE tenant_id = $1`, [as.tenantId]);
        expect(job.status).toBe('failed');
        expect(job.error).toContain('staged rows of this import were lost');
        expect(job.error).toContain(`inserted ${applied.count}`);
        expect(job.counts.inserted).toBe(applied.count);
        expect(applied.count).toBeGreaterThan(0);
        expect(applied.count).toBeLessThan(1_500);
      } finally {
        await second?.close();
        await first.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('cancels a job between two of its steps', async () => {
      const as = tenant();
      const accepted = await upload(as, manyRows(1_500)).expect(202);
      await customers.as(as).post(`/customers/imports/${accepted.body.id}/cancel`).expect(202);
      const job = await finished(as, accepted.body.id);
      expect(job.status).toBe('cancelled');
      expect(job.counts.inserted).toBeLessThan(1_500);
      await customers.as(as).post(`/customers/imports/${accepted.body.id}/cancel`).expect(409);
    });
  });
});

/** Carries the reference event out of the transaction that is rolled back. */
class Reference extends Error {
  constructor(
    readonly event: string,
    readonly timeline: unknown[],
  ) {
    super('reference');
  }
}
