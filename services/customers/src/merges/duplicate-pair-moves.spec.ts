import { planPairMoves, type DuplicatePairRow } from './duplicate-pair-moves';

const [S, M1, M2, X, Y] = ['10000000-0000-4000-8000-000000000000', '20000000-0000-4000-8000-000000000000', '30000000-0000-4000-8000-000000000000', '05000000-0000-4000-8000-000000000000', '40000000-0000-4000-8000-000000000000'];

function pair(id: string, a: string, b: string, extra: Partial<DuplicatePairRow> = {}): DuplicatePairRow {
  const [lo, hi] = [a, b].sort();
  return { id, customer_a_id: lo, customer_b_id: hi, score: 1, reasons: [], status: 'open', detected_at: '2025-01-01T00:00:00Z', dismissed_by: null, dismissed_at: null, ...extra };
}

describe('planPairMoves', () => {
  it('re-points merged customers\' pairs at the survivor, ordered lower id first', () => {
    const moves = planPairMoves([pair('p1', M1, X), pair('p2', M2, Y)], S, [M1, M2]);
    expect(moves.moved).toEqual([
      { id: 'p1', a: X, b: S },
      { id: 'p2', a: S, b: Y },
    ]);
    expect(moves.dropped).toEqual([]);
    expect(moves.touched.map((row) => row.id)).toEqual(['p1', 'p2']);
  });

  it('drops pairs within the merge and pairs the survivor already has, keeping the survivor\'s untouched', () => {
    const moves = planPairMoves([pair('own', S, X), pair('p1', S, M1), pair('p2', M1, M2), pair('p3', M2, X)], S, [M1, M2]);
    expect(moves.moved).toEqual([]);
    expect(moves.dropped.sort()).toEqual(['p1', 'p2', 'p3']);
    expect(moves.touched.map((row) => row.id)).toEqual(['p1', 'p2', 'p3']);
  });

  it('keeps the dismissed one, then the higher score, when moved pairs meet', () => {
    const moves = planPairMoves([pair('open', M1, X, { score: '0.9' }), pair('dismissed', M2, X, { score: '0.7', status: 'dismissed' })], S, [M1, M2]);
    expect(moves.moved).toEqual([{ id: 'dismissed', a: X, b: S }]);
    expect(moves.dropped).toEqual(['open']);
    const byScore = planPairMoves([pair('low', M1, X, { score: 0.7 }), pair('high', M2, X, { score: 0.9 })], S, [M1, M2]);
    expect(byScore.moved.map((move) => move.id)).toEqual(['high']);
  });
});
