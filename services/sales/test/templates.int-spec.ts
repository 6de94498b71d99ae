import { randomUUID } from 'node:crypto';
import { caller, SalesHarness } from './sales-harness';

describe('sales: communication templates and call scripts', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const manager = caller(tenantId, ['manager'], [], randomUUID());
  const rep = caller(tenantId, ['rep'], [], randomUUID());

  const followUp = {
    name: '报价跟进邮件',
    kind: 'email',
    variables: ['customer.name', 'owner.name', 'opportunity.amount'],
    variants: [
      { locale: 'zh-CN', subject: '{{customer.name}}，您的报价单', body: '尊敬的{{customer.name}}：我是{{ owner.name }}，本次报价金额为 {{opportunity.amount}} 元。' },
      { locale: 'en', subject: 'Your quote, {{customer.name}}', body: 'Dear {{customer.name}}, this is {{owner.name}}. The quote comes to {{opportunity.amount}}.' },
    ],
  };

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_templates');
  });

  afterAll(async () => {
    await sales?.stop();
  });

  it('creates a template with variants per locale and refuses undeclared variables, listing them', async () => {
    const created = await sales.as(manager).post('/templates').send(followUp);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '报价跟进邮件', kind: 'email', status: 'draft', publishedVersion: null, hasUnpublishedChanges: true, version: 1 });
    expect(created.body.variants).toHaveLength(2);

    const undeclared = await sales
      .as(manager)
      .post('/templates')
      .send({ name: '电话脚本', kind: 'call_script', variables: ['customer.name'], variants: [{ locale: 'zh-CN', body: '您好{{customer.name}}，我是{{owner.name}}，关于{{deal.stage}}…' }] });
    expect(undeclared.status).toBe(422);
    expect(undeclared.body.code).toBe('template_variables_unknown');
    expect(undeclared.body.detail).toContain('owner.name');
    expect(undeclared.body.detail).toContain('deal.stage');
    expect(undeclared.body.errors.map((error: { message: string }) => error.message)).toEqual(['{{owner.name}} is used but not declared', '{{deal.stage}} is used but not declared']);

    const noSubject = await sales.as(manager).post('/templates').send({ ...followUp, name: '无主题', variants: [{ locale: 'en', body: 'Hi' }] });
    expect(noSubject.status).toBe(400);
    const twoZh = await sales.as(manager).post('/templates').send({ ...followUp, name: '重复语言', variants: [followUp.variants[0], followUp.variants[0]] });
    expect(twoZh.status).toBe(400);
    const badLocale = await sales.as(manager).post('/templates').send({ ...followUp, name: '法语', variants: [{ locale: 'fr', subject: 'x', body: 'x' }] });
    expect(badLocale.status).toBe(400);
    const taken = await sales.as(manager).post('/templates').send(followUp);
    expect(taken.status).toBe(409);
    expect((await sales.as(rep).post('/templates').send({ ...followUp, name: 'rep' })).status).toBe(403);
  });

  it('previews in zh-CN and en, with a clear error for missing variables unless allowMissing', async () => {
    const { body: template } = await sales.as(manager).post('/templates').send({ ...followUp, name: '预览模板' });
    const values = { 'customer.name': '云启科技', 'owner.name': '李雷', 'opportunity.amount': '12,500.00' };
    const zh = await sales.as(rep).post(`/templates/${template.id}/preview`).send({ locale: 'zh-CN', variables: values });
    expect(zh.status).toBe(200);
    expect(zh.body).toEqual({ locale: 'zh-CN', subject: '云启科技，您的报价单', body: '尊敬的云启科技：我是李雷，本次报价金额为 12,500.00 元。', missing: [] });
    const en = await sales.as(rep).post(`/templates/${template.id}/preview`).send({ locale: 'en', variables: { ...values, 'customer.name': 'Yunqi Tech', 'opportunity.amount': 12500 } });
    expect(en.body).toEqual({ locale: 'en', subject: 'Your quote, Yunqi Tech', body: 'Dear Yunqi Tech, this is 李雷. The quote comes to 12500.', missing: [] });

    const missing = await sales.as(rep).post(`/templates/${template.id}/preview`).send({ locale: 'en', variables: { 'customer.name': 'Yunqi' } });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('template_variables_missing');
    expect(missing.body.errors.map((error: { field: string }) => error.field)).toEqual(['variables.owner.name', 'variables.opportunity.amount']);
    const lenient = await sales.as(rep).post(`/templates/${template.id}/preview`).send({ locale: 'en', variables: { 'customer.name': 'Yunqi' }, allowMissing: true });
    expect(lenient.status).toBe(200);
    expect(lenient.body.body).toBe('Dear Yunqi, this is . The quote comes to .');
    expect(lenient.body.missing).toEqual(['owner.name', 'opportunity.amount']);

    const unknown = await sales.as(rep).post(`/templates/${template.id}/preview`).send({ locale: 'en', variables: { ...values, 'customer.phone': '1' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('template_variables_unknown');

    const sms = await sales.as(manager).post('/templates').send({ name: '短信', kind: 'sms', variables: ['customer.name'], variants: [{ locale: 'zh-CN', body: '{{customer.name}}您好' }] });
    const noEn = await sales.as(rep).post(`/templates/${sms.body.id}/preview`).send({ locale: 'en', variables: { 'customer.name': 'x' } });
    expect(noEn.status).toBe(422);
    expect(noEn.body.code).toBe('template_locale_missing');
  });

  it('versions: publishing freezes the working copy and emits TemplatePublished; later edits need another publish', async () => {
    const { body: template } = await sales.as(manager).post('/templates').send({ ...followUp, name: '版本模板' });
    const published = await sales.as(manager).post(`/templates/${template.id}/publish`).set('If-Match', '"1"');
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', publishedVersion: 1, hasUnpublishedChanges: false, version: 2 });

    const events = await sales.outboxOf(template.id);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('crm.sales.template.published.v1');
    expect(events[0].data).toMatchObject({ tenantId, templateId: template.id, publishedVersion: 1, name: '版本模板', kind: 'email', variables: followUp.variables, publishedBy: manager.userId });
    expect(events[0].data.variants).toEqual(followUp.variants);

    const stale = await sales.as(manager).patch(`/templates/${template.id}`).set('If-Match', '"1"').send({ description: 'x' });
    expect(stale.status).toBe(412);
    const edited = await sales
      .as(manager)
      .patch(`/templates/${template.id}`)
      .set('If-Match', '"2"')
      .send({ variants: [{ locale: 'zh-CN', subject: '新报价：{{customer.name}}', body: '{{customer.name}}，新报价 {{opportunity.amount}}' }] });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'published', publishedVersion: 1, hasUnpublishedChanges: true, version: 3 });
    const badEdit = await sales.as(manager).patch(`/templates/${template.id}`).send({ variables: ['customer.name'] });
    expect(badEdit.status).toBe(422);

    // The published version still renders the old English text; the working copy has no English variant any more.
    const old = await sales.as(rep).post(`/templates/${template.id}/preview`).send({ locale: 'en', publishedVersion: 1, variables: { 'customer.name': 'A', 'owner.name': 'B', 'opportunity.amount': '1' } });
    expect(old.status).toBe(200);
    expect(old.body.subject).toBe('Your quote, A');

    const second = await sales.as(manager).post(`/templates/${template.id}/publish`);
    expect(second.body.publishedVersion).toBe(2);
    expect(await sales.outboxOf(template.id)).toHaveLength(2);
    const versions = await sales.as(rep).get(`/templates/${template.id}/versions`);
    expect(versions.body.map((version: { publishedVersion: number }) => version.publishedVersion)).toEqual([2, 1]);

    const list = await sales.as(rep).get('/templates?status=published&locale=zh-CN&total=true');
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([template.id]);
    const otherTenant = await sales.as(caller(randomUUID(), ['admin'])).get(`/templates/${template.id}`);
    expect(otherTenant.status).toBe(404);
  });
});
