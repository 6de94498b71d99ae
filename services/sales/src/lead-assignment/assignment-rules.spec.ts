import { matchRule, nextInRotation, type AssignmentRule } from './assignment-rules';

describe('matchRule', () => {
  const rules: AssignmentRule[] = [
    { name: 'east manufacturing', regions: ['华东'], industries: ['制造业'], teamId: 'a' },
    { name: 'hot anywhere', minScore: 90, teamId: 'b' },
    { name: 'north', regions: ['华北'], maxScore: 50, userId: 'u' },
    { name: 'rest', teamId: 'c' },
  ];

  it('takes the first rule whose every condition holds', () => {
    expect(matchRule(rules, { region: '华东', industry: '制造业', score: 95 })?.rule.name).toBe('east manufacturing');
    expect(matchRule(rules, { region: '华东', industry: '金融', score: 95 })?.rule.name).toBe('hot anywhere');
    expect(matchRule(rules, { region: '华北', industry: null, score: 50 })?.index).toBe(2);
    expect(matchRule(rules, { region: '华北', industry: null, score: 51 })?.rule.name).toBe('rest');
    expect(matchRule(rules, { region: null, industry: null, score: 0 })?.rule.name).toBe('rest');
  });

  it('compares regions and industries case-insensitively and needs a value when a list is given', () => {
    const only: AssignmentRule[] = [{ name: 'software', industries: ['Software'], teamId: 'a' }];
    expect(matchRule(only, { region: null, industry: ' software ', score: 1 })).toBeDefined();
    expect(matchRule(only, { region: null, industry: null, score: 1 })).toBeUndefined();
  });
});

describe('nextInRotation', () => {
  const reps = ['c', 'a', 'b'];
  const everyone = () => true;

  it('goes round in id order after the last one', () => {
    expect(nextInRotation(reps, null, everyone)).toBe('a');
    expect(nextInRotation(reps, 'a', everyone)).toBe('b');
    expect(nextInRotation(reps, 'c', everyone)).toBe('a');
  });

  it('continues from a last user who left the rotation', () => {
    expect(nextInRotation(reps, 'bb', everyone)).toBe('c');
    expect(nextInRotation(reps, 'z', everyone)).toBe('a');
  });

  it('skips users without room and gives null when nobody has room', () => {
    expect(nextInRotation(reps, 'a', (id) => id !== 'b')).toBe('c');
    expect(nextInRotation(reps, 'a', () => false)).toBeNull();
    expect(nextInRotation([], null, everyone)).toBeNull();
  });

  it('is fair: nine picks over three reps give three each', () => {
    const counts = new Map<string, number>();
    let last: string | null = null;
    for (let i = 0; i < 9; i++) {
      last = nextInRotation(reps, last, everyone);
      counts.set(last!, (counts.get(last!) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([3, 3, 3]);
  });
});
