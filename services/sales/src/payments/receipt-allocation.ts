/** An instalment as far as applying money to it goes. */
export interface OpenInstalment {
  id: string;
  dueDate: string;
  seq: number;
  openMicros: bigint;
}

export type AllocationResult =
  | { ok: true; allocations: Array<{ instalmentId: string; amountMicros: bigint }> }
  | { ok: false; reason: 'unknown_instalment' | 'overpayment'; openMicros: bigint };

/**
 * Applies `amount` to the schedule: all of it to the named instalment, or else to the oldest open
 * instalments first (due date, then sequence). More than is open (on the instalment, or on the whole
 * schedule) is refused rather than kept as credit, so the schedule always says exactly what is owed.
 */
export function allocateReceipt(instalments: readonly OpenInstalment[], amount: bigint, instalmentId?: string): AllocationResult {
  if (instalmentId !== undefined) {
    const named = instalments.find((instalment) => instalment.id === instalmentId);
    if (!named) return { ok: false, reason: 'unknown_instalment', openMicros: 0n };
    if (amount > named.openMicros) return { ok: false, reason: 'overpayment', openMicros: named.openMicros };
    return { ok: true, allocations: [{ instalmentId: named.id, amountMicros: amount }] };
  }
  const open = instalments.filter((instalment) => instalment.openMicros > 0n).sort((a, b) => (a.dueDate === b.dueDate ? a.seq - b.seq : a.dueDate < b.dueDate ? -1 : 1));
  const total = open.reduce((sum, instalment) => sum + instalment.openMicros, 0n);
  if (amount > total) return { ok: false, reason: 'overpayment', openMicros: total };
  const allocations: Array<{ instalmentId: string; amountMicros: bigint }> = [];
  let left = amount;
  for (const instalment of open) {
    if (left === 0n) break;
    const applied = left < instalment.openMicros ? left : instalment.openMicros;
    allocations.push({ instalmentId: instalment.id, amountMicros: applied });
    left -= applied;
  }
  return { ok: true, allocations };
}
