import { assignCustomers } from './handover.service';

describe('handover rules', () => {
  const customers = [
    { id: 'c1', region: '华东', industry: '制造业' },
    { id: 'c2', region: '华东', industry: '零售' },
    { id: 'c3', region: '华北', industry: '制造业' },
    { id: 'c4', region: null, industry: null },
  ];

  it('gives each customer to the first rule all of whose criteria match', () => {
    const assignments = assignCustomers(customers, [
      { match: { region: '华东', industry: '制造业' }, toUserId: 'u1' },
      { match: { region: '华东' }, toUserId: 'u2' },
      { match: { customerIds: ['c3', 'c1'] }, toUserId: 'u3' },
    ]);
    expect([...assignments.entries()]).toEqual([
      ['c1', 'u1'],
      ['c2', 'u2'],
      ['c3', 'u3'],
    ]);
  });

  it('assigns nothing without rules', () => {
    expect(assignCustomers(customers, []).size).toBe(0);
  });
});
