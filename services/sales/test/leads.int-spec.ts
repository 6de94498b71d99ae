import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { ErasureRequestedEvent, ErasureRequestedSchema } from '@crm/contracts';
import { TenantTransactions } from '@crm/platform/database';
import { LeadRescoringJob } from '../src/lead-scoring/lead-rescoring.job';
import { LeadsHandoverParticipant } from '../src/leads/leads-handover.participant';
import { caller, SalesHarness, type Identity } from './sales-harness';

interface CaptureBody {
  channel: string;
  contactName: string;
  companyName?: string;
  phone?: string;
  email?: string;
  industry?: string;
  companySize?: number;
  region?: string;
}

describe('sales: leads', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const otherTenantId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const manager = caller(tenantId, ['manager']);

  // Team east: two junior reps and one senior; team south: three reps; team tight: two reps, capacity 2.
  const east = randomUUID();
  const south = randomUUID();
  const tight = randomUUID();
  const eastJuniors = [randomUUID(), randomUUID()];
  const eastSenior = randomUUID();
  const southReps = [randomUUID(), randomUUID(), randomUUID()];
  const tightReps = [randomUUID(), randomUUID()];
  const customerOwner = randomUUID();

  let phoneSeq = 10_000_000;
  const nextPhone = () => `139${String(phoneSeq++).padStart(8, '0')}`;
  const capture = (who: Identity, body: CaptureBody) => sales.as(who).post('/leads').send(body);

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_leads');
    for (const userId of eastJuniors) await sales.publishUser('created', { tenantId, userId, roles: ['rep'], teamIds: [east], seniority: 'junior' });
    await sales.publishUser('created', { tenantId, userId: eastSenior, roles: ['rep'], teamIds: [east], seniority: 'senior' });
    for (const userId of southReps) await sales.publishUser('created', { tenantId, userId, roles: ['rep'], teamIds: [south], seniority: 'intermediate' });
    for (const userId of tightReps) await sales.publishUser('created', { tenantId, userId, roles: ['rep'], teamIds: [tight] });
    await sales.publishUser('created', { tenantId, userId: customerOwner, roles: ['rep'], teamIds: [] });
    await sales.publishUser('created', { tenantId, userId: admin.userId, roles: ['admin'] });

    const scoring = await sales
      .as(admin)
      .put('/leads/scoring-rules')
      .send({
        industry: { targets: ['制造业'], points: 30, otherPoints: 0 },
        companySize: [
          { min: 1000, points: 30 },
          { min: 100, max: 999, points: 15 },
        ],
        channel: { partner_referral: 25, event: 10, web_form: 5, api: 5, manual: 5, import: 0 },
        interactions: { pointsEach: 5, maxPoints: 10 },
        recency: [{ withinDays: 7, points: 10 }],
      });
    expect(scoring.status).toBe(200);
    const assignment = await sales
      .as(admin)
      .put('/leads/assignment-rules')
      .set('If-Match', '"0"')
      .send({
        highScoreThreshold: 80,
        defaultCapacity: 50,
        rules: [
          { name: '华东', regions: ['华东'], teamId: east },
          { name: '华南', regions: ['华南'], teamId: south },
          { name: '紧张', regions: ['西北'], teamId: tight, capacity: 2 },
          { name: '指定', regions: ['东北'], userId: customerOwner },
        ],
      });
    expect(assignment.status).toBe(200);
    expect(assignment.body.version).toBe(1);
  });

  afterAll(async () => {
    await sales?.stop();
  });

  describe('rules', () => {
    it('serves defaults until a tenant sets its own, and needs sales:configure', async () => {
      const fresh = caller(randomUUID(), ['admin']);
      const defaults = await sales.as(fresh).get('/leads/scoring-rules');
      expect(defaults.status).toBe(200);
      expect(defaults.body).toMatchObject({ version: 0, isDefault: true });
      expect(defaults.body.industry.targets.length).toBeGreaterThan(0);
      const assignment = await sales.as(fresh).get('/leads/assignment-rules');
      expect(assignment.body).toMatchObject({ version: 0, isDefault: true, highScoreThreshold: 80, rules: [] });

      const rep = caller(tenantId, ['rep']);
      expect((await sales.as(rep).get('/leads/scoring-rules')).status).toBe(403);
      expect((await sales.as(manager).get('/leads/assignment-rules')).status).toBe(200);
    });

    it('refuses stale versions and rules naming both a team and a user', async () => {
      const stale = await sales.as(admin).put('/leads/assignment-rules').set('If-Match', '"0"').send({ highScoreThreshold: 80, defaultCapacity: 5, rules: [] });
      expect(stale.status).toBe(412);
      const both = await sales
        .as(admin)
        .put('/leads/assignment-rules')
        .send({ highScoreThreshold: 80, defaultCapacity: 5, rules: [{ name: 'x', teamId: east, userId: customerOwner }] });
      expect(both.status).toBe(400);
      expect(both.body.errors[0].field).toBe('rules[0]');
    });
  });

  describe('capture', () => {
    it('refuses invalid phones and e-mails with 422 and errors[]', async () => {
      const invalid = await capture(admin, { channel: 'api', contactName: '张三', phone: '12345', email: 'not-an-email' });
      expect(invalid.status).toBe(422);
      expect(invalid.headers['content-type']).toContain('application/problem+json');
      expect(invalid.body.code).toBe('invalid_lead');
      expect(invalid.body.errors.map((error: { field: string; code: string }) => [error.field, error.code])).toEqual([
        ['phone', 'invalid_phone'],
        ['email', 'invalid_email'],
      ]);
      const noContact = await capture(admin, { channel: 'api', contactName: '张三' });
      expect(noContact.status).toBe(422);
      expect(noContact.body.errors[0].code).toBe('contact_required');
      const badChannel = await capture(admin, { channel: 'fax', contactName: '张三', phone: nextPhone() });
      expect(badChannel.status).toBe(400);
    });

    it('scores with explained reasons and stores them on the lead', async () => {
      const created = await capture(admin, { channel: 'event', contactName: '王芳', companyName: '苏州精工机械有限公司', phone: nextPhone(), industry: '制造业', companySize: 300, region: '华中' });
      expect(created.status).toBe(201);
      expect(created.body.outcome).toBe('created');
      expect(created.body.scoreReasons).toEqual([
        { rule: 'industry', points: 30, detail: '制造业 is a target industry' },
        { rule: 'companySize', points: 15, detail: '300 employees (band 100–999)' },
        { rule: 'channel', points: 10, detail: 'captured via event' },
        { rule: 'interactions', points: 0, detail: '0 interactions' },
        { rule: 'recency', points: 10, detail: 'last interaction today' },
      ]);
      expect(created.body.score).toBe(65);
      const read = await sales.as(admin).get(`/leads/${created.body.id}`);
      expect(read.body.scoreReasons).toEqual(created.body.scoreReasons);
      expect(read.body.score).toBe(65);
      // No rule for 华中: the person who entered it keeps it.
      expect(read.body).toMatchObject({ ownerId: admin.userId, assignmentReason: 'creator', status: 'new' });
      const events = await sales.outboxOf(created.body.id);
      expect(events.map((event) => event.type)).toEqual(['crm.sales.lead.captured.v1', 'crm.sales.lead.assigned.v1']);
      expect(events[0].data).toMatchObject({ leadId: created.body.id, channel: 'event', score: 65 });
    });

    it('counts a capture with the phone of an open lead on that lead, across channels, instead of a second lead', async () => {
      const phone = nextPhone();
      const first = await capture(admin, { channel: 'web_form', contactName: '李雷', phone, region: '华中' });
      expect(first.status).toBe(201);
      const again = await capture(admin, { channel: 'api', contactName: '李雷', phone: `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`, email: 'lilei@example.cn', industry: '制造业' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ outcome: 'merged', id: first.body.id, duplicateOf: first.body.id, captureCount: 2, email: 'lilei@example.cn', industry: '制造业' });
      expect(again.body.duplicate).toEqual({ leadId: first.body.id, matchedOn: 'phone', similarity: 1 });
      // The second capture counts as an interaction, and the filled-in industry scores.
      expect(again.body.scoreReasons.find((reason: { rule: string }) => reason.rule === 'interactions')).toEqual({ rule: 'interactions', points: 5, detail: '1 interaction' });
      expect(again.body.score).toBeGreaterThan(first.body.score);
      // The e-mail now finds it too.
      const byEmail = await capture(admin, { channel: 'import', contactName: 'Li Lei', email: 'LiLei@Example.cn' });
      expect(byEmail.status).toBe(200);
      expect(byEmail.body).toMatchObject({ id: first.body.id, captureCount: 3 });
      expect(byEmail.body.duplicate.matchedOn).toBe('email');
      const open = await sales.queryAsTenant(tenantId, `SELECT id FROM leads WHERE phone = $1`, [`+86${phone}`]);
      expect(open).toHaveLength(1);
    });

    it("tells a rep whose capture lands on someone else's lead that it exists, not what it holds", async () => {
      const phone = nextPhone();
      const first = await capture(admin, { channel: 'web_form', contactName: '韩梅梅', companyName: '长沙明辉教育咨询有限公司', phone, region: '华中', notes: '预算 50 万' });
      expect(first.status).toBe(201);
      const outsider = caller(tenantId, ['rep'], [randomUUID()]);
      const again = await capture(outsider, { channel: 'manual', contactName: '韩梅梅', phone });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ outcome: 'merged', id: first.body.id, duplicateOf: first.body.id, ownerId: first.body.ownerId, contactName: '', phone: null, notes: null, companyName: null, scoreReasons: [] });
      expect(JSON.stringify(again.body)).not.toMatch(/韩梅梅|明辉|预算/);
      expect((await sales.as(admin).get(`/leads/${first.body.id}`)).body.captureCount).toBe(2);
    });

    it('makes one lead of two simultaneous captures with the same phone', async () => {
      const phone = nextPhone();
      const [a, b] = await Promise.all([
        capture(admin, { channel: 'web_form', contactName: '同时甲', phone, region: '华中' }),
        capture(admin, { channel: 'api', contactName: '同时甲', phone, region: '华中' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(a.body.id).toBe(b.body.id);
      expect(await sales.queryAsTenant(tenantId, `SELECT id FROM leads WHERE phone = $1`, [`+86${phone}`])).toHaveLength(1);
    });

    it('marks a similar company name among open leads as a possible duplicate but still creates the lead', async () => {
      const first = await capture(admin, { channel: 'api', contactName: '赵六', companyName: '杭州远帆网络科技有限公司', phone: nextPhone(), region: '华中' });
      const similar = await capture(admin, { channel: 'manual', contactName: '钱七', companyName: '杭州远帆网络科技公司', phone: nextPhone(), region: '华中' });
      expect(similar.status).toBe(201);
      expect(similar.body.outcome).toBe('created');
      expect(similar.body.id).not.toBe(first.body.id);
      expect(similar.body.duplicateOf).toBe(first.body.id);
      expect(similar.body.duplicate).toMatchObject({ leadId: first.body.id, matchedOn: 'name' });
      expect(similar.body.duplicate.similarity).toBeGreaterThanOrEqual(0.6);
      const unrelated = await capture(admin, { channel: 'manual', contactName: '孙八', companyName: '成都蓝海餐饮管理有限公司', phone: nextPhone(), region: '华中' });
      expect(unrelated.body.duplicateOf).toBeNull();
    });

    it('links a lead matching a customer and gives it to the customer owner', async () => {
      const phone = nextPhone();
      const customerId = await sales.publishCustomer({ tenantId, name: '深圳华星电子有限公司', phones: [`+86${phone}`], emails: ['buy@huaxing.cn'], ownerId: customerOwner });
      const byPhone = await capture(admin, { channel: 'partner_referral', contactName: '周九', phone, region: '华南' });
      expect(byPhone.status).toBe(201);
      expect(byPhone.body).toMatchObject({ customerId, customerMatch: 'phone', ownerId: customerOwner, assignmentReason: 'customer_owner' });
      expect(byPhone.body.customer).toMatchObject({ customerId, matchedOn: 'phone', name: '深圳华星电子有限公司' });
      const byName = await capture(admin, { channel: 'web_form', contactName: '吴十', companyName: '深圳华星电子有限公司', email: 'other@huaxing.cn', region: '华南' });
      expect(byName.body).toMatchObject({ customerId, customerMatch: 'name', ownerId: customerOwner });
    });

    it('keeps tenants apart: leads, dedup and reads', async () => {
      const phone = nextPhone();
      const mine = await capture(admin, { channel: 'api', contactName: '郑一', phone, region: '华中' });
      const otherAdmin = caller(otherTenantId, ['admin']);
      const theirs = await capture(otherAdmin, { channel: 'api', contactName: '郑一', phone });
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(theirs.body.duplicateOf).toBeNull();
      expect((await sales.as(otherAdmin).get(`/leads/${mine.body.id}`)).status).toBe(404);
      const list = await sales.as(otherAdmin).get('/leads?limit=200');
      expect(list.body.items.map((lead: { id: string }) => lead.id)).toEqual([theirs.body.id]);
    });
  });

  describe('assignment', () => {
    it('gives high-scoring leads to the senior reps of the team and others round-robin', async () => {
      const hot = await capture(admin, { channel: 'partner_referral', contactName: '冯二', companyName: '宁波重工集团', phone: nextPhone(), industry: '制造业', companySize: 5000, region: '华东' });
      expect(hot.body.score).toBeGreaterThanOrEqual(80);
      expect(hot.body).toMatchObject({ ownerId: eastSenior, teamId: east, assignmentReason: 'senior_round_robin' });
      expect(hot.body.assignment.reason).toBe('senior_round_robin');

      const owners: string[] = [];
      for (let i = 0; i < 6; i++) {
        const cold = await capture(admin, { channel: 'import', contactName: `陈${i}`, phone: nextPhone(), region: '华东' });
        expect(cold.body.score).toBeLessThan(80);
        expect(cold.body.assignmentReason).toBe('round_robin');
        owners.push(cold.body.ownerId);
      }
      const all = [...eastJuniors, eastSenior].sort();
      expect(owners.slice(0, 3).sort()).toEqual(all);
      expect(owners.slice(3).sort()).toEqual(all);
      const assigned = await sales.outboxOf(hot.body.id);
      expect(assigned[1]).toMatchObject({ type: 'crm.sales.lead.assigned.v1', data: { ownerId: eastSenior, teamId: east, reason: 'senior_round_robin' } });
    });

    it('is exactly fair under concurrent captures: 9 leads over 3 reps give 3 each', async () => {
      const results = await Promise.all(Array.from({ length: 9 }, (_, i) => capture(admin, { channel: 'api', contactName: `褚${i}`, phone: nextPhone(), region: '华南' })));
      expect(results.every((result) => result.status === 201)).toBe(true);
      const counts = new Map<string, number>();
      for (const result of results) counts.set(result.body.ownerId, (counts.get(result.body.ownerId) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual([...southReps].sort());
      expect([...counts.values()]).toEqual([3, 3, 3]);
    });

    it('skips reps at capacity and leaves the lead unassigned when all are full', async () => {
      const owners: Array<string | null> = [];
      const reasons: string[] = [];
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const result = await capture(admin, { channel: 'api', contactName: `卫${i}`, phone: nextPhone(), region: '西北' });
        owners.push(result.body.ownerId);
        reasons.push(result.body.assignment.reason);
        ids.push(result.body.id);
      }
      expect(owners.slice(0, 4).filter((owner) => owner === tightReps[0])).toHaveLength(2);
      expect(owners.slice(0, 4).filter((owner) => owner === tightReps[1])).toHaveLength(2);
      expect(owners[4]).toBeNull();
      expect(reasons[4]).toBe('unassigned_capacity');
      // The team's manager sees the unassigned lead (to give it to someone); another team's manager does not.
      expect((await sales.as(caller(tenantId, ['manager'], [tight])).get(`/leads/${ids[4]}`)).body.teamId).toBe(tight);
      expect((await sales.as(caller(tenantId, ['manager'], [south])).get(`/leads/${ids[4]}`)).status).toBe(404);
      // A disqualified lead frees a slot.
      const [freed] = await sales.queryAsTenant<{ id: string }>(tenantId, `SELECT id FROM leads WHERE owner_id = $1 LIMIT 1`, [tightReps[0]]);
      expect((await sales.as(admin).post(`/leads/${freed.id}/disqualify`).send({ reason: 'no_budget' })).status).toBe(200);
      const next = await capture(admin, { channel: 'api', contactName: '卫9', phone: nextPhone(), region: '西北' });
      expect(next.body.ownerId).toBe(tightReps[0]);
    });

    it('gives leads to the user a rule names', async () => {
      const named = await capture(admin, { channel: 'api', contactName: '蒋三', phone: nextPhone(), region: '东北' });
      expect(named.body).toMatchObject({ ownerId: customerOwner, assignmentReason: 'rule_user' });
    });
  });

  describe('reads and changes', () => {
    it('scopes reads to the owner, pages with a cursor and filters', async () => {
      const rep = caller(tenantId, ['rep'], [south], southReps[0]);
      const list = await sales.as(rep).get('/leads?limit=2&total=true');
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(3);
      expect(list.body.items).toHaveLength(2);
      expect(list.body.items.every((lead: { ownerId: string }) => lead.ownerId === southReps[0])).toBe(true);
      const rest = await sales.as(rep).get(`/leads?limit=2&cursor=${list.body.nextCursor}`);
      expect(rest.body.items).toHaveLength(1);
      expect(rest.body.nextCursor).toBeNull();
      const [notMine] = await sales.queryAsTenant<{ id: string }>(tenantId, `SELECT id FROM leads WHERE owner_id = $1 LIMIT 1`, [southReps[1]]);
      expect((await sales.as(rep).get(`/leads/${notMine.id}`)).status).toBe(404);
      const hot = await sales.as(admin).get('/leads?minScore=80&status=new');
      expect(hot.body.items.length).toBeGreaterThan(0);
      expect(hot.body.items.every((lead: { score: number; status: string }) => lead.score >= 80 && lead.status === 'new')).toBe(true);
      const byChannel = await sales.as(admin).get(`/leads?channel=partner_referral&ownerId=${eastSenior}`);
      expect(byChannel.body.items.every((lead: { channel: string; ownerId: string }) => lead.channel === 'partner_referral' && lead.ownerId === eastSenior)).toBe(true);
    });

    it('updates with If-Match, rescoring, and reassigns with LeadAssigned', async () => {
      const created = await capture(admin, { channel: 'api', contactName: '沈四', phone: nextPhone(), region: '华中' });
      const stale = await sales.as(admin).patch(`/leads/${created.body.id}`).set('If-Match', '"9"').send({ industry: '制造业' });
      expect(stale.status).toBe(412);
      const changed = await sales.as(admin).patch(`/leads/${created.body.id}`).set('If-Match', `"${created.body.version}"`).send({ industry: '制造业', status: 'working', ownerId: southReps[2] });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ industry: '制造业', status: 'working', ownerId: southReps[2], assignmentReason: 'manual', version: created.body.version + 1 });
      expect(changed.body.score).toBe(created.body.score + 30);
      expect(changed.headers.etag).toBe(`"${created.body.version + 1}"`);
      const events = await sales.outboxOf(created.body.id);
      expect(events[events.length - 1]).toMatchObject({ type: 'crm.sales.lead.assigned.v1', data: { ownerId: southReps[2], previousOwnerId: admin.userId, reason: 'manual' } });
      const invalid = await sales.as(admin).patch(`/leads/${created.body.id}`).send({ phone: 'abc' });
      expect(invalid.status).toBe(422);
    });
  });

  describe('rescoring', () => {
    it('rescores open leads daily: activities add interactions, recency decays; the version stays', async () => {
      const active = await capture(admin, { channel: 'api', contactName: '复评甲', phone: nextPhone(), region: '华中' });
      const idle = await capture(admin, { channel: 'api', contactName: '复评乙', phone: nextPhone(), region: '华中' });
      const now = new Date(Date.now() + 2 * 86_400_000);
      for (let i = 0; i < 2; i++) {
        await sales.queryAsTenant(tenantId, `INSERT INTO activities (id, tenant_id, kind, subject, status, owner_id, lead_id, occurred_at) VALUES ($1, $2, 'call', '电话', 'done', $3, $4, $5)`, [
          randomUUID(),
          tenantId,
          admin.userId,
          active.body.id,
          now,
        ]);
      }
      const result = await sales.running.app.get(LeadRescoringJob).trigger(now);
      expect(result.rescored).toBeGreaterThanOrEqual(2);
      const after = async (id: string) => (await sales.as(admin).get(`/leads/${id}`)).body;
      const activeNow = await after(active.body.id);
      expect(activeNow.scoreReasons.find((reason: { rule: string }) => reason.rule === 'interactions')).toEqual({ rule: 'interactions', points: 10, detail: '2 interactions' });
      expect(activeNow.score).toBe(active.body.score + 10);
      expect(activeNow.version).toBe(active.body.version);
      const idleNow = await after(idle.body.id);
      expect(idleNow.scoreReasons.find((reason: { rule: string }) => reason.rule === 'recency')).toEqual({ rule: 'recency', points: 10, detail: 'last interaction 2 days ago' });
      // Nothing is due again the same day.
      expect((await sales.running.app.get(LeadRescoringJob).trigger(now)).rescored).toBe(0);
    });
  });

  describe('handover and privacy', () => {
    it("moves a leaving rep's open leads to the successor (or a customer's new owner) with LeadAssigned", async () => {
      const leaver = randomUUID();
      const successor = randomUUID();
      const customerId = await sales.publishCustomer({ tenantId, name: '无锡长风物流有限公司' });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const lead = await capture(admin, { channel: 'api', contactName: `交接${i}`, phone: nextPhone(), region: '华中' });
        ids.push(lead.body.id);
      }
      await sales.queryAsTenant(tenantId, `UPDATE leads SET owner_id = $1 WHERE id = ANY($2::uuid[])`, [leaver, ids]);
      await sales.queryAsTenant(tenantId, `UPDATE leads SET customer_id = $1 WHERE id = $2`, [customerId, ids[2]]);
      await sales.queryAsTenant(tenantId, `UPDATE leads SET status = 'disqualified' WHERE id = $1`, [ids[1]]);
      const participant = sales.running.app.get(LeadsHandoverParticipant);
      const customerOwners = new Map([[customerId, customerOwner]]);
      const moved = await sales.running.app.get(TenantTransactions).runForTenant(tenantId, async (manager) => {
        expect(await participant.countOpenWork(manager, { tenantId, fromUserId: leaver, toUserId: successor, customerOwners })).toBe(2);
        return participant.moveOpenWork(manager, { tenantId, fromUserId: leaver, toUserId: successor, customerOwners });
      });
      expect(moved).toBe(2);
      const owners = await sales.queryAsTenant<{ id: string; owner_id: string }>(tenantId, `SELECT id, owner_id FROM leads WHERE id = ANY($1::uuid[])`, [ids]);
      const ownerOf = new Map(owners.map((row) => [row.id, row.owner_id]));
      expect([ownerOf.get(ids[0]), ownerOf.get(ids[1]), ownerOf.get(ids[2])]).toEqual([successor, leaver, customerOwner]);
      const events = await sales.outboxOf(ids[0]);
      expect(events[events.length - 1]).toMatchObject({ type: 'crm.sales.lead.assigned.v1', data: { ownerId: successor, previousOwnerId: leaver, reason: 'handover' } });
    });

    it('erases the contact person of leads linked to the customer or carrying its phone on ErasureRequested', async () => {
      const phone = nextPhone();
      const lead = await capture(admin, { channel: 'web_form', contactName: '隐私张', phone, email: 'zhang@private.cn', region: '华中' });
      const customerId = randomUUID();
      const requestId = randomUUID();
      await sales.publishEvent(
        ErasureRequestedEvent,
        create(ErasureRequestedSchema, { tenantId, requestId, customerId, phones: [`+86${phone}`], emails: [], requestedAt: new Date().toISOString() }),
        requestId,
      );
      const [row] = await sales.queryAsTenant(tenantId, `SELECT contact_name, phone, email, notes FROM leads WHERE id = $1`, [lead.body.id]);
      expect(row).toEqual({ contact_name: '[erased]', phone: null, email: null, notes: null });
    });
  });

  describe('conversion and disqualification', () => {
    it('converts into a new customer (LeadConverted with its data) and an opportunity', async () => {
      const created = await capture(admin, { channel: 'web_form', contactName: '韩梅', companyName: '南京启明软件有限公司', phone: nextPhone(), email: 'han@qiming.cn', industry: '软件', region: '华中' });
      const converted = await sales
        .as(admin)
        .post(`/leads/${created.body.id}/convert`)
        .send({ opportunityName: '启明 CRM 项目', amount: { amountMicros: '250000000000', currency: 'CNY' }, expectedCloseDate: '2026-12-31' });
      expect(converted.status).toBe(200);
      expect(converted.body.customerCreated).toBe(true);
      expect(converted.body.lead).toMatchObject({ status: 'converted', customerId: converted.body.customerId, opportunityId: converted.body.opportunityId });
      expect(converted.body.opportunityId).toEqual(expect.any(String));
      const events = await sales.outboxOf(created.body.id);
      const event = events.find((candidate) => candidate.type === 'crm.sales.lead.converted.v1');
      expect(event?.data).toMatchObject({
        leadId: created.body.id,
        customerId: converted.body.customerId,
        customerCreated: true,
        opportunityId: converted.body.opportunityId,
        customer: { type: 'company', name: '南京启明软件有限公司', phones: [created.body.phone], emails: ['han@qiming.cn'], industry: '软件', ownerId: admin.userId, source: 'lead:web_form', contactName: '韩梅' },
      });
      const [opportunity] = await sales.queryAsTenant<{ lead_id: string; customer_id: string; name: string; amount_micros: string }>(
        tenantId,
        `SELECT lead_id, customer_id, name, amount_micros FROM opportunities WHERE id = $1`,
        [converted.body.opportunityId],
      );
      expect(opportunity).toMatchObject({ lead_id: created.body.id, customer_id: converted.body.customerId, name: '启明 CRM 项目', amount_micros: '250000000000' });
      expect((await sales.outboxOf(converted.body.opportunityId)).map((candidate) => candidate.type)).toContain('crm.sales.opportunity.opened.v1');
      // The lead left the open leads: a new capture with its phone links to the (new) customer instead.
      const after = await capture(admin, { channel: 'api', contactName: '韩梅', phone: created.body.phone });
      expect(after.status).toBe(201);
      expect(after.body).toMatchObject({ customerId: converted.body.customerId, customerMatch: 'phone' });

      const again = await sales.as(admin).post(`/leads/${created.body.id}/convert`).send({});
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('lead_already_converted');
    });

    it('converts a lead linked to a customer into that customer without asking for a new one', async () => {
      const customerId = await sales.publishCustomer({ tenantId, name: '广州明珠贸易有限公司', emails: ['mz@mingzhu.cn'], ownerId: customerOwner });
      const created = await capture(admin, { channel: 'api', contactName: '杨五', email: 'mz@mingzhu.cn' });
      expect(created.body.customerId).toBe(customerId);
      const converted = await sales.as(admin).post(`/leads/${created.body.id}/convert`).send({});
      expect(converted.status).toBe(200);
      expect(converted.body).toMatchObject({ customerId, customerCreated: false });
      const event = (await sales.outboxOf(created.body.id)).find((candidate) => candidate.type === 'crm.sales.lead.converted.v1');
      expect(event?.data).toMatchObject({ customerId });
      expect(event?.data.customerCreated ?? false).toBe(false);
      const unknown = await capture(admin, { channel: 'api', contactName: '杨六', phone: nextPhone(), region: '华中' });
      const missing = await sales.as(admin).post(`/leads/${unknown.body.id}/convert`).send({ customerId: randomUUID() });
      expect(missing.status).toBe(422);
      expect(missing.body.code).toBe('customer_not_found');
    });

    it('disqualifies with a reason; a disqualified lead cannot be converted', async () => {
      const created = await capture(admin, { channel: 'api', contactName: '朱七', phone: nextPhone(), region: '华中' });
      const noReason = await sales.as(admin).post(`/leads/${created.body.id}/disqualify`).send({});
      expect(noReason.status).toBe(400);
      const done = await sales.as(admin).post(`/leads/${created.body.id}/disqualify`).send({ reason: '预算不足' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'disqualified', disqualifiedReason: '预算不足' });
      const events = await sales.outboxOf(created.body.id);
      expect(events[events.length - 1]).toMatchObject({ type: 'crm.sales.lead.disqualified.v1', data: { reason: '预算不足', disqualifiedBy: admin.userId } });
      const convert = await sales.as(admin).post(`/leads/${created.body.id}/convert`).send({});
      expect(convert.status).toBe(409);
      expect(convert.body.code).toBe('lead_disqualified');
      // Its phone is free again: a new capture makes a new lead.
      const fresh = await capture(admin, { channel: 'api', contactName: '朱七', phone: created.body.phone });
      expect(fresh.status).toBe(201);
      expect(fresh.body.id).not.toBe(created.body.id);
    });
  });

  it('keeps the per-owner open-lead counters (capacity) equal to the open leads, whatever changed them', async () => {
    const drift = await sales.queryAsTenant(
      tenantId,
      `SELECT COALESCE(l.user_id, c.owner_id) AS user_id, l.open_leads, c.count
         FROM lead_owner_loads l
         FULL JOIN (SELECT owner_id, count(*)::int AS count FROM leads WHERE status IN ('new', 'working', 'qualified') AND owner_id IS NOT NULL GROUP BY owner_id) c ON c.owner_id = l.user_id
        WHERE COALESCE(l.open_leads, 0) <> COALESCE(c.count, 0)`,
    );
    expect(drift).toEqual([]);
    const [{ total }] = await sales.queryAsTenant<{ total: number }>(tenantId, `SELECT sum(open_leads)::int AS total FROM lead_owner_loads`);
    expect(total).toBeGreaterThan(20);
  });
});
