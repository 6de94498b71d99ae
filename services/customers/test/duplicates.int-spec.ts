import { randomUUID } from 'node:crypto';
import { caller, CustomersHarness, type Identity } from './customers-harness';

jest.setTimeout(120_000);

interface PossibleDuplicate {
  id: string;
  score: number;
  reasons: string[];
}

interface Pair {
  id: string;
  score: number;
  reasons: string[];
  status: string;
  customerA: { id: string; name: string; phones: string[] };
  customerB: { id: string; name: string; phones: string[] };
}

/** Duplicate detection on create and batch, the pairs list, dismissal, full scans, tenants and scopes. */
describe('customers: duplicates', () => {
  let customers: CustomersHarness;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let admin: Identity;
  let rep1: Identity;
  let rep2: Identity;
  let adminB: Identity;

  beforeAll(async () => {
    customers = await CustomersHarness.start('customers_duplicates');
    admin = caller(tenantA, ['admin']);
    rep1 = caller(tenantA, ['rep']);
    rep2 = caller(tenantA, ['rep']);
    adminB = caller(tenantB, ['admin']);
    for (const rep of [rep1, rep2]) await customers.publishUser('created', { tenantId: tenantA, userId: rep.userId, roles: ['rep'] });
  });
  afterAll(() => customers?.stop());

  const create = async (as: Identity, body: Record<string, unknown>): Promise<{ id: string; possibleDuplicates: PossibleDuplicate[] }> =>
    (await customers.as(as).post('/customers').send({ type: 'person', ...body }).expect(201)).body;
  const pairs = async (as: Identity, query = ''): Promise<Pair[]> => (await customers.as(as).get(`/customers/duplicates${query}`).expect(200)).body.items;
  const pairOf = (list: Pair[], x: string, y: string): Pair | undefined =>
    list.find((pair) => [pair.customerA.id, pair.customerB.id].sort().join() === [x, y].sort().join());

  describe('on create', () => {
    it('reports 13800138000, +86 138-0013-8000 and 8613800138000 as one sure match', async () => {
      const first = await create(admin, { name: '王小明', phones: ['13800138000'] });
      expect(first.possibleDuplicates).toEqual([]);
      const second = await create(admin, { name: '王晓明公司采购', phones: ['+86 138-0013-8000'] });
      expect(second.possibleDuplicates).toEqual([{ id: first.id, score: 1, reasons: ['same_phone:+8613800138000'] }]);
      const third = await create(admin, { name: '某某', phones: ['8613800138000'] });
      expect(third.possibleDuplicates.map((duplicate) => duplicate.id).sort()).toEqual([first.id, second.id].sort());
      expect(third.possibleDuplicates.every((duplicate) => duplicate.score === 1 && duplicate.reasons.includes('same_phone:+8613800138000'))).toBe(true);
      // Reported, never merged: three customers exist, and the pairs are listed.
      const listed = await pairs(admin);
      expect(pairOf(listed, first.id, second.id)).toMatchObject({ score: 1, status: 'open', reasons: ['same_phone:+8613800138000'] });
    });

    it('reports the same e-mail address, whatever its case or width, as a sure match', async () => {
      const first = await create(admin, { name: '李雷', emails: ['Li.Lei@Example.CN'] });
      const second = await create(admin, { name: 'Lei Li', emails: ['ｌｉ．ｌｅｉ＠ｅｘａｍｐｌｅ．ｃｎ'] });
      expect(second.possibleDuplicates).toEqual([{ id: first.id, score: 1, reasons: ['same_email:li.lei@example.cn'] }]);
    });

    it('reports 张三丰 and 张三峰 of the same region as candidates, but not of different regions', async () => {
      const first = await create(admin, { name: '张三丰', region: '华东' });
      const second = await create(admin, { name: '张三峰', region: '华东' });
      expect(second.possibleDuplicates).toHaveLength(1);
      expect(second.possibleDuplicates[0]).toMatchObject({ id: first.id, reasons: ['similar_name:0.67', 'same_region'] });
      expect(second.possibleDuplicates[0].score).toBeCloseTo(0.667, 3);
      const elsewhere = await create(admin, { name: '张三峰', region: '西南' });
      expect(elsewhere.possibleDuplicates).toEqual([]);
      const unrelated = await create(admin, { name: '李四', region: '华东' });
      expect(unrelated.possibleDuplicates).toEqual([]);
    });

    it('reports duplicates of batch items, also between items of the same batch', async () => {
      const existing = await create(admin, { name: '赵六', phones: ['13911112222'] });
      const { body } = await customers
        .as(admin)
        .post('/customers/batch')
        .send({
          items: [
            { externalId: 'DUP-1', type: 'person', name: '赵六', phones: ['+86 139 1111 2222'] },
            { externalId: 'DUP-2', type: 'person', name: '钱七', emails: ['qian7@example.com'] },
            { externalId: 'DUP-3', type: 'person', name: '钱七七', emails: ['QIAN7@example.com'] },
          ],
        })
        .expect(200);
      const [one, two, three] = body.items as Array<{ id: string; status: string; possibleDuplicates: PossibleDuplicate[] }>;
      expect(one.possibleDuplicates.map((duplicate) => duplicate.id)).toEqual([existing.id]);
      // 钱七 / 钱七七: the names are alike too (characters 2 × 2 / 5), named as a reason of the sure match.
      expect(two.possibleDuplicates).toEqual([{ id: three.id, score: 1, reasons: ['same_email:qian7@example.com', 'similar_name:0.80'] }]);
      expect(three.possibleDuplicates).toEqual([{ id: two.id, score: 1, reasons: ['same_email:qian7@example.com', 'similar_name:0.80'] }]);
    });
  });

  describe('list and dismiss', () => {
    it('lists pairs by score with minScore, pages by cursor, and dismisses a pair so it is not reported again', async () => {
      const first = await create(admin, { name: '欧阳娜娜', region: '华南', industry: '零售' });
      const second = await create(admin, { name: '欧阳娜', region: '华北', industry: '零售' });
      expect(second.possibleDuplicates.map((duplicate) => duplicate.id)).toEqual([first.id]);
      expect(second.possibleDuplicates[0].reasons).toContain('same_industry');

      const all = await pairs(admin, '?limit=200');
      const scores = all.map((pair) => pair.score);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
      expect((await pairs(admin, '?minScore=1')).every((pair) => pair.score === 1)).toBe(true);
      // Paging one by one gives the same pairs in the same order.
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const page: { body: { items: Pair[]; nextCursor: string | null } } = await customers.as(admin).get(`/customers/duplicates${query}`).expect(200);
        paged.push(...page.body.items.map((pair) => pair.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all.map((pair) => pair.id));
      await customers.as(admin).get('/customers/duplicates?cursor=nonsense').expect(400);

      const pair = pairOf(all, first.id, second.id)!;
      const dismissed = await customers.as(admin).post(`/customers/duplicates/${pair.id}/dismiss`).expect(200);
      expect(dismissed.body).toMatchObject({ id: pair.id, status: 'dismissed' });
      expect(pairOf(await pairs(admin), first.id, second.id)).toBeUndefined();
      expect(pairOf(await pairs(admin, '?status=dismissed'), first.id, second.id)).toBeDefined();
      // Another look-alike of the first is reported, the dismissed pair is not.
      await customers.as(admin).post('/customers/batch').send({ items: [{ externalId: 'DUP-OY', type: 'person', name: '欧阳娜', region: '华北', industry: '零售' }] }).expect(200);
      const again = await customers.as(admin).post('/customers/batch').send({ items: [{ externalId: 'DUP-OY', type: 'person', name: '欧阳娜', region: '华北', industry: '零售', tags: ['x'] }] }).expect(200);
      const reported = (again.body.items[0].possibleDuplicates as PossibleDuplicate[]).map((duplicate) => duplicate.id);
      expect(reported).toContain(first.id);
      expect(reported).toContain(second.id);
      expect(pairOf(await pairs(admin), first.id, second.id)).toBeUndefined();
      await customers.as(admin).post(`/customers/duplicates/${randomUUID()}/dismiss`).expect(404);
    });
  });

  describe('full scan', () => {
    it('finds pairs of customers written before detection existed, and reports progress', async () => {
      const { body } = await customers
        .as(admin)
        .post('/customers/batch')
        .send({
          items: [
            { externalId: 'OLD-1', type: 'company', name: '上海老客户贸易有限公司', phones: ['021-55556666'] },
            { externalId: 'OLD-2', type: 'company', name: '上海老客户贸易公司', phones: ['+86 21 5555 6666'] },
            { externalId: 'OLD-3', type: 'person', name: '孙悟空', region: '西北' },
            { externalId: 'OLD-4', type: 'person', name: '孙悟室', region: '西北' },
          ],
        })
        .expect(200);
      const [old1, old2, old3, old4] = (body.items as Array<{ id: string }>).map((item) => item.id);
      // As if they were written before the feature: no pairs stored.
      await customers.queryAsTenant(tenantA, `DELETE FROM customer_duplicate_candidates WHERE customer_a_id = ANY($1) OR customer_b_id = ANY($1)`, [[old1, old2, old3, old4]]);
      expect(pairOf(await pairs(admin, '?limit=200'), old1, old2)).toBeUndefined();

      await customers.as(rep1).post('/customers/duplicates/scan').expect(403);
      const started = await customers.as(admin).post('/customers/duplicates/scan').expect(202);
      expect(started.body).toMatchObject({ status: 'running', customersScanned: 0 });
      const scan = await waitForScan(started.body.id);
      expect(scan).toMatchObject({ status: 'completed', error: null });
      expect(scan.customersScanned).toBe(scan.customersTotal);
      expect(scan.pairsFound).toBeGreaterThanOrEqual(2);
      expect(scan.finishedAt).not.toBeNull();

      const listed = await pairs(admin, '?limit=200');
      expect(pairOf(listed, old1, old2)).toMatchObject({ score: 1, reasons: ['same_phone:+862155556666'] });
      expect(pairOf(listed, old3, old4)?.reasons).toEqual(['similar_name:0.67', 'same_region']);
      // Dismissed pairs stay dismissed after a scan.
      expect((await pairs(admin, '?status=dismissed')).length).toBe(1);
    });

    it('never leaves a scan running when its process died', async () => {
      const dead = randomUUID();
      await customers.queryAsTenant(
        tenantA,
        `INSERT INTO customer_duplicate_scans (id, tenant_id, status, started_at, updated_at) VALUES ($1, $2, 'running', now() - interval '1 hour', now() - interval '1 hour')`,
        [dead, tenantA],
      );
      const { body } = await customers.as(admin).get(`/customers/duplicates/scans/${dead}`).expect(200);
      expect(body).toMatchObject({ status: 'failed' });
      expect(body.error).toMatch(/interrupted/);
    });

    it('runs one scan per tenant at a time', async () => {
      const live = randomUUID();
      await customers.queryAsTenant(tenantA, `INSERT INTO customer_duplicate_scans (id, tenant_id, status) VALUES ($1, $2, 'running')`, [live, tenantA]);
      const refused = await customers.as(admin).post('/customers/duplicates/scan').expect(409);
      expect(refused.body).toMatchObject({ code: 'duplicate_scan_running' });
      await customers.queryAsTenant(tenantA, `UPDATE customer_duplicate_scans SET status = 'failed' WHERE id = $1`, [live]);
    });

    const waitForScan = async (id: string): Promise<Record<string, unknown> & { customersScanned: number; customersTotal: number; pairsFound: number }> => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const { body } = await customers.as(admin).get(`/customers/duplicates/scans/${id}`).expect(200);
        if (body.status !== 'running') return body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`scan ${id} did not finish`);
    };
  });

  describe('tenants and scopes', () => {
    it("never shows another tenant's pairs, scans or customers", async () => {
      const first = await create(adminB, { name: '王小明', phones: ['13800138000'] });
      expect(first.possibleDuplicates).toEqual([]);
      const second = await create(adminB, { name: '王小明', phones: ['13800138000'] });
      expect(second.possibleDuplicates.map((duplicate) => duplicate.id)).toEqual([first.id]);
      const listedB = await pairs(adminB);
      expect(listedB).toHaveLength(1);
      const listedA = await pairs(admin, '?limit=200&status=open');
      const idsOfA = new Set(listedA.flatMap((pair) => [pair.customerA.id, pair.customerB.id]));
      expect(idsOfA.has(first.id) || idsOfA.has(second.id)).toBe(false);
      await customers.as(admin).post(`/customers/duplicates/${listedB[0].id}/dismiss`).expect(404);
      await customers.as(adminB).post(`/customers/duplicates/${listedA[0].id}/dismiss`).expect(404);
      const scans = await customers.queryAsTenant<{ id: string }>(tenantA, `SELECT id FROM customer_duplicate_scans LIMIT 1`);
      await customers.as(adminB).get(`/customers/duplicates/scans/${scans[0].id}`).expect(404);
    });

    it('shows a rep only pairs of which they can see both customers', async () => {
      const own1 = await create(rep1, { name: '周一', phones: ['13722223333'] });
      const own2 = await create(rep1, { name: '周一一', phones: ['13722223333'] });
      expect(own2.possibleDuplicates.map((duplicate) => duplicate.id)).toEqual([own1.id]);
      const others = await create(rep2, { name: '周二', phones: ['13722223333'] });
      // Reported to the writer (the tenant-wide check), but listed only where both sides are visible.
      expect(others.possibleDuplicates.map((duplicate) => duplicate.id).sort()).toEqual([own1.id, own2.id].sort());

      const ofRep1 = await pairs(rep1);
      expect(ofRep1.map((pair) => [pair.customerA.id, pair.customerB.id].sort().join())).toEqual([[own1.id, own2.id].sort().join()]);
      expect(await pairs(rep2)).toEqual([]);
      const all = await pairs(admin, '?limit=200');
      const crossing = pairOf(all, own1.id, others.id)!;
      expect(crossing).toBeDefined();
      await customers.as(rep1).post(`/customers/duplicates/${crossing.id}/dismiss`).expect(404);
      await customers.as(rep1).post(`/customers/duplicates/${ofRep1[0].id}/dismiss`).expect(200);
      await customers.as(caller(tenantA, ['analyst'])).post(`/customers/duplicates/${crossing.id}/dismiss`).expect(403);
    });
  });
});
