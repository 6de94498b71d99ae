import { allocate, computeOrderAmounts, OrderAmountError, quantityToMicros } from './order-math';

describe('order amounts', () => {
  it('computes line totals, the total and costed revenue in micros', () => {
    const amounts = computeOrderAmounts(
      [
        { quantityMicros: quantityToMicros(3), unitPriceMicros: 100_000_000n, discountMicros: 10_000_000n, unitCostMicros: 60_000_000n },
        { quantityMicros: quantityToMicros(1.5), unitPriceMicros: 33_333_333n, discountMicros: 0n, unitCostMicros: null },
      ],
      20_000_000n,
    );
    expect(amounts.lines.map((line) => line.lineTotalMicros)).toEqual([290_000_000n, 50_000_000n]);
    expect(amounts.subtotalMicros).toBe(340_000_000n);
    expect(amounts.totalMicros).toBe(320_000_000n);
    // 20 split 290:50 → 17.058823.. and 2.941176..; the shares add up to the discount exactly.
    expect(amounts.lines[0].netMicros + amounts.lines[1].netMicros).toBe(320_000_000n);
    expect(amounts.lines[0].costMicros).toBe(180_000_000n);
    expect(amounts.lines[1].costMicros).toBeNull();
    expect(amounts.costedRevenueMicros).toBe(amounts.lines[0].netMicros);
    expect(amounts.costMicros).toBe(180_000_000n);
  });

  it('refuses discounts larger than what they discount', () => {
    expect(() => computeOrderAmounts([{ quantityMicros: 1_000_000n, unitPriceMicros: 5n, discountMicros: 6n, unitCostMicros: null }], 0n)).toThrow(OrderAmountError);
    expect(() => computeOrderAmounts([{ quantityMicros: 1_000_000n, unitPriceMicros: 5n, discountMicros: 0n, unitCostMicros: null }], 6n)).toThrow(OrderAmountError);
  });

  it('allocates exactly, remainders to the largest', () => {
    expect(allocate(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(allocate(0n, [5n, 5n])).toEqual([0n, 0n]);
    expect(allocate(7n, [0n, 0n])).toEqual([0n, 0n]);
  });
});
