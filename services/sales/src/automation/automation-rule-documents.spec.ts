import { addDays, checkRule, conditionsMatch, termEndDate } from './automation-rule-documents';

describe('automation rule documents', () => {
  it('fills defaults and normalises valid rules', () => {
    expect(checkRule('order_placed', 'draft_contract_with_invoice_request', undefined, undefined)).toEqual({ ok: true, conditions: {}, params: { invoiceDueDays: 30 } });
    const lead = checkRule('lead_unassigned', 'escalate_lead', { hours: 4, channels: ['web_form'] }, { targetUserId: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA' });
    expect(lead).toEqual({ ok: true, conditions: { hours: 4, channels: ['web_form'] }, params: { targetUserId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' } });
  });

  it('refuses a trigger with another trigger’s action as a mismatch', () => {
    expect(checkRule('opportunity_won', 'escalate_lead', {}, {})).toMatchObject({ ok: false, mismatch: true });
  });

  it('lists every unknown or invalid condition and param', () => {
    const result = checkRule('opportunity_won', 'draft_order', { channels: ['web'], minAmount: { amountMicros: '-1', currency: 'cny' }, pipelineId: 'main' }, { termMonths: 12 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.mismatch).toBe(false);
    expect(result.errors.map((error) => error.field)).toEqual(['conditions.channels', 'params.termMonths', 'conditions.minAmount', 'conditions.pipelineId']);
    expect(checkRule('lead_unassigned', 'escalate_lead', { hours: 0.5 }, {})).toMatchObject({ ok: false, errors: [{ field: 'conditions.hours' }] });
  });

  it('matches conditions: amount only in its currency, channels, regions, pipeline', () => {
    const conditions = { minAmount: { amountMicros: '1000', currency: 'CNY' }, channels: ['sales'], regions: ['华东'] };
    expect(conditionsMatch(conditions, { amountMicros: 1000n, currency: 'CNY', channel: 'sales', region: '华东' })).toBe(true);
    expect(conditionsMatch(conditions, { amountMicros: 999n, currency: 'CNY', channel: 'sales', region: '华东' })).toBe(false);
    expect(conditionsMatch(conditions, { amountMicros: 5000n, currency: 'USD', channel: 'sales', region: '华东' })).toBe(false);
    expect(conditionsMatch(conditions, { amountMicros: 5000n, currency: 'CNY', channel: 'web', region: '华东' })).toBe(false);
    expect(conditionsMatch(conditions, { amountMicros: 5000n, currency: 'CNY', channel: 'sales', region: null })).toBe(false);
    expect(conditionsMatch({ pipelineId: 'p' }, { pipelineId: 'P' })).toBe(true);
    expect(conditionsMatch({}, {})).toBe(true);
  });

  it('computes due dates and term ends on the UTC calendar', () => {
    expect(addDays('2026-11-20', 15)).toBe('2026-12-05');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(termEndDate('2026-11-20', 12)).toBe('2027-11-19');
    expect(termEndDate('2026-01-01', 1)).toBe('2026-01-31');
    expect(termEndDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(termEndDate('2024-02-29', 12)).toBe('2025-02-28');
  });
});
