import { allocateReceipt } from './receipt-allocation';

const schedule = [
  { id: 'b', dueDate: '2027-06-30', seq: 2, openMicros: 300n },
  { id: 'a', dueDate: '2027-03-31', seq: 1, openMicros: 100n },
  { id: 'c', dueDate: '2027-09-30', seq: 3, openMicros: 0n },
];

describe('receipt allocation', () => {
  it('applies money to the oldest open instalments first', () => {
    expect(allocateReceipt(schedule, 250n)).toEqual({
      ok: true,
      allocations: [
        { instalmentId: 'a', amountMicros: 100n },
        { instalmentId: 'b', amountMicros: 150n },
      ],
    });
  });

  it('applies all of it to a named instalment, within what is open on it', () => {
    expect(allocateReceipt(schedule, 300n, 'b')).toEqual({ ok: true, allocations: [{ instalmentId: 'b', amountMicros: 300n }] });
    expect(allocateReceipt(schedule, 301n, 'b')).toEqual({ ok: false, reason: 'overpayment', openMicros: 300n });
    expect(allocateReceipt(schedule, 1n, 'zz')).toMatchObject({ ok: false, reason: 'unknown_instalment' });
  });

  it('refuses more than the schedule has open', () => {
    expect(allocateReceipt(schedule, 401n)).toEqual({ ok: false, reason: 'overpayment', openMicros: 400n });
  });
});
