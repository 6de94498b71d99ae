import { DEFAULT_SCORING_RULES, scoreLead, type ScoringRules } from './lead-scoring';

const now = new Date('2026-03-01T08:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

describe('scoreLead', () => {
  const rules: ScoringRules = {
    industry: { targets: ['制造业'], points: 20, otherPoints: -5 },
    companySize: [
      { min: 500, max: null, points: 30 },
      { min: 50, max: 499, points: 15 },
    ],
    channel: { partner_referral: 25, web_form: 10 },
    interactions: { pointsEach: 4, maxPoints: 12 },
    recency: [
      { withinDays: 30, points: 3 },
      { withinDays: 7, points: 10 },
    ],
  };

  it('explains every rule and sums the points', () => {
    const result = scoreLead({ channel: 'partner_referral', industry: '制造业', companySize: 800, interactions: 2, lastInteractionAt: daysAgo(1), now }, rules);
    expect(result.reasons).toEqual([
      { rule: 'industry', points: 20, detail: '制造业 is a target industry' },
      { rule: 'companySize', points: 30, detail: '800 employees (band 500+)' },
      { rule: 'channel', points: 25, detail: 'captured via partner_referral' },
      { rule: 'interactions', points: 8, detail: '2 interactions' },
      { rule: 'recency', points: 10, detail: 'last interaction 1 day ago' },
    ]);
    expect(result.score).toBe(93);
  });

  it('clamps to 100 and caps interaction points', () => {
    const generous: ScoringRules = { ...rules, channel: { web_form: 90 } };
    const result = scoreLead({ channel: 'web_form', industry: '制造业', companySize: 600, interactions: 50, lastInteractionAt: now, now }, generous);
    expect(result.reasons.find((reason) => reason.rule === 'interactions')?.points).toBe(12);
    expect(result.score).toBe(100);
  });

  it('clamps to 0 with negative points and scores unknown values 0', () => {
    const result = scoreLead({ channel: 'import', industry: '餐饮', companySize: null, interactions: 0, lastInteractionAt: daysAgo(90), now }, rules);
    expect(result.reasons).toEqual([
      { rule: 'industry', points: -5, detail: '餐饮 is not a target industry' },
      { rule: 'companySize', points: 0, detail: 'company size unknown' },
      { rule: 'channel', points: 0, detail: 'captured via import' },
      { rule: 'interactions', points: 0, detail: '0 interactions' },
      { rule: 'recency', points: 0, detail: 'last interaction 90 days ago' },
    ]);
    expect(result.score).toBe(0);
  });

  it('matches industries case-insensitively and picks the tightest recency band', () => {
    const result = scoreLead(
      { channel: 'web_form', industry: 'Software', companySize: 10, interactions: 1, lastInteractionAt: daysAgo(5), now },
      { ...rules, industry: { targets: ['software'], points: 7, otherPoints: 0 } },
    );
    expect(result.reasons.map((reason) => reason.points)).toEqual([7, 0, 10, 4, 10]);
    expect(result.score).toBe(31);
  });

  it('has defaults that rank a referred large manufacturer above a small imported lead', () => {
    const hot = scoreLead({ channel: 'partner_referral', industry: '制造业', companySize: 2000, interactions: 0, lastInteractionAt: now, now }, DEFAULT_SCORING_RULES);
    const cold = scoreLead({ channel: 'import', industry: null, companySize: 5, interactions: 0, lastInteractionAt: daysAgo(60), now }, DEFAULT_SCORING_RULES);
    expect(hot.score).toBe(80);
    expect(cold.score).toBe(6);
  });
});
