import { randomUUID } from 'node:crypto';
import { caller, SalesHarness } from './sales-harness';

describe('sales: public web forms for leads', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const admin = caller(tenantId, ['admin']);
  const campaignId = randomUUID();
  let formKey: string;
  let formId: string;

  let phoneSeq = 20_000_000;
  const nextPhone = () => `137${String(phoneSeq++).padStart(8, '0')}`;
  const startedAt = (msAgo = 10_000) => new Date(Date.now() - msAgo).toISOString();
  // Anonymous, as the gateway forwards /api/v1/public/* (internal credential, no user, no tenant).
  const submit = (key: string, body: Record<string, unknown>) => sales.as({}).post(`/public/forms/${key}/submissions`).send(body);
  const leadsWithPhone = (phone: string) => sales.queryAsTenant<{ id: string; channel: string; form_id: string; campaign_id: string; capture_count: number }>(tenantId, `SELECT id, channel, form_id, campaign_id, capture_count FROM leads WHERE phone = $1`, [`+86${phone}`]);

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_lead_forms');
    const created = await sales.as(admin).post('/lead-forms').send({ name: '官网联系我们', fields: ['contactName', 'phone', 'email', 'companyName', 'notes'], campaignId });
    expect(created.status).toBe(201);
    formKey = created.body.formKey;
    formId = created.body.id;
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('creates forms with an unguessable key (sales:configure) and lists them', async () => {
    expect(formKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const rep = caller(tenantId, ['rep']);
    expect((await sales.as(rep).post('/lead-forms').send({ name: 'x', fields: ['contactName', 'phone'] })).status).toBe(403);
    const noContact = await sales.as(admin).post('/lead-forms').send({ name: 'x', fields: ['contactName', 'companyName'] });
    expect(noContact.status).toBe(400);
    expect(noContact.body.code).toBe('invalid_form_fields');
    const list = await sales.as(admin).get('/lead-forms');
    expect(list.body.items).toEqual([expect.objectContaining({ id: formId, formKey, channel: 'web_form', campaignId, active: true, submissionsPerMinute: 30 })]);
    expect((await sales.as(caller(randomUUID(), ['admin'])).get('/lead-forms')).body.items).toEqual([]);
  });

  it('captures a submission as a web_form lead of the form and campaign, answering 202 without internals', async () => {
    const phone = nextPhone();
    const response = await submit(formKey, { contactName: '访客甲', phone, companyName: '厦门海韵科技有限公司', notes: '想了解报价\n请回电', startedAt: startedAt() });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ status: 'received' });
    const [lead] = await leadsWithPhone(phone);
    expect(lead).toMatchObject({ channel: 'web_form', form_id: formId, campaign_id: campaignId });
    const events = await sales.outboxOf(lead.id);
    expect(events[0]).toMatchObject({ type: 'crm.sales.lead.captured.v1', data: { formId, campaignId, channel: 'web_form' } });
  });

  it('drops bots silently: a filled honeypot or a form sent within 2 seconds', async () => {
    const honeypot = nextPhone();
    const trapped = await submit(formKey, { contactName: 'bot', phone: honeypot, website: 'http://spam.example', startedAt: startedAt() });
    expect(trapped.status).toBe(202);
    expect(trapped.body).toEqual({ status: 'received' });
    expect(await leadsWithPhone(honeypot)).toHaveLength(0);
    const fast = nextPhone();
    const hasty = await submit(formKey, { contactName: 'bot', phone: fast, startedAt: startedAt(500) });
    expect(hasty.status).toBe(202);
    expect(await leadsWithPhone(fast)).toHaveLength(0);
  });

  it('drops the same submission sent again, but counts a new one from the same person on their lead', async () => {
    const phone = nextPhone();
    const body = { contactName: '访客乙', phone, email: 'yi@example.cn', startedAt: startedAt() };
    expect((await submit(formKey, body)).status).toBe(202);
    expect((await submit(formKey, body)).status).toBe(202);
    expect((await submit(formKey, { ...body, phone: `+86 ${phone}` })).status).toBe(202);
    const [lead] = await leadsWithPhone(phone);
    expect(lead.capture_count).toBe(1);
    expect((await submit(formKey, { ...body, notes: '再次咨询' })).status).toBe(202);
    const leads = await leadsWithPhone(phone);
    expect(leads).toHaveLength(1);
    expect(leads[0].capture_count).toBe(2);
  });

  it('tells people about fields the form lacks and invalid values, and 404s unknown keys', async () => {
    const extra = await submit(formKey, { contactName: '访客丙', phone: nextPhone(), industry: '制造业', startedAt: startedAt() });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toEqual([expect.objectContaining({ field: 'industry' })]);
    const invalid = await submit(formKey, { contactName: '访客丙', phone: '123', startedAt: startedAt() });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0]).toMatchObject({ field: 'phone', code: 'invalid_phone' });
    const unknownField = await submit(formKey, { contactName: '访客丙', phone: nextPhone(), startedAt: startedAt(), ownerId: randomUUID() });
    expect(unknownField.status).toBe(400);
    const unknown = await submit('A'.repeat(32), { contactName: '访客丙', phone: nextPhone(), startedAt: startedAt() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('form_not_found');
    expect((await submit('x', { contactName: '访客丙', phone: nextPhone(), startedAt: startedAt() })).status).toBe(404);
  });

  it("limits each form's submissions per minute, across all visitors", async () => {
    const created = await sales.as(admin).post('/lead-forms').send({ name: '展会登记', channel: 'event', fields: ['contactName', 'phone'], submissionsPerMinute: 3 });
    const key = created.body.formKey;
    // Just after a minute starts, so all four land in one window.
    const msIntoMinute = Date.now() % 60_000;
    if (msIntoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - msIntoMinute));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await submit(key, { contactName: `展会${i}`, phone: nextPhone(), startedAt: startedAt() })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await submit(key, { contactName: '展会x', phone: nextPhone(), startedAt: startedAt() });
    expect(limited.body.code).toBe('form_rate_limited');
    const [{ count }] = await sales.queryAsTenant<{ count: string }>(tenantId, `SELECT count(*) FROM leads WHERE form_id = $1 AND channel = 'event'`, [created.body.id]);
    expect(Number(count)).toBe(3);
  });
});
