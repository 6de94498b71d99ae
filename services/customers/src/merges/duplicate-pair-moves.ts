/** A row of customer_duplicate_candidates as a merge reads, keeps and restores it. */
export interface DuplicatePairRow {
  id: string;
  customer_a_id: string;
  customer_b_id: string;
  score: number | string;
  reasons: string[];
  status: 'open' | 'dismissed';
  detected_at: string;
  dismissed_by: string | null;
  dismissed_at: string | null;
}

export interface PairMoves {
  /** The pairs of merged customers as they were: what an undo puts back. */
  touched: DuplicatePairRow[];
  /** Pairs re-pointed at the survivor (stored ordered, lower id first). */
  moved: Array<{ id: string; a: string; b: string }>;
  /** Pairs that became one customer, or that the survivor already has with the same other customer. */
  dropped: string[];
}

/**
 * What a merge does to duplicate pairs: a merged customer's pairs become the survivor's; a pair now
 * within one customer goes, and so does one the survivor already has with the same customer (the
 * survivor's own pair stays as it is). Among moved pairs that meet, a dismissed one wins (never
 * reported again), then the higher score.
 */
export function planPairMoves(pairs: readonly DuplicatePairRow[], survivorId: string, mergedIds: readonly string[]): PairMoves {
  const merged = new Set(mergedIds);
  const touches = (pair: DuplicatePairRow) => merged.has(pair.customer_a_id) || merged.has(pair.customer_b_id);
  const taken = new Set(pairs.filter((pair) => !touches(pair)).map((pair) => key(pair.customer_a_id, pair.customer_b_id)));
  const touched = pairs.filter(touches);
  const candidates = [...touched].sort((x, y) => rank(y) - rank(x) || Number(y.score) - Number(x.score) || x.id.localeCompare(y.id));
  const moves: PairMoves = { touched, moved: [], dropped: [] };
  const onSurvivor = (id: string) => (merged.has(id) ? survivorId : id);
  for (const pair of candidates) {
    const [a, b] = [onSurvivor(pair.customer_a_id), onSurvivor(pair.customer_b_id)].sort();
    if (a === b || taken.has(key(a, b))) {
      moves.dropped.push(pair.id);
      continue;
    }
    taken.add(key(a, b));
    moves.moved.push({ id: pair.id, a, b });
  }
  return moves;
}

function rank(pair: DuplicatePairRow): number {
  return pair.status === 'dismissed' ? 1 : 0;
}

function key(a: string, b: string): string {
  return `${a}|${b}`;
}
