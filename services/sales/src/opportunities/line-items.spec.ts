import { lineTotalMicros, linesTotalMicros, toLineItems } from './line-items';

describe('opportunity line items', () => {
  it('total quantity × unit price − discount in whole micros', () => {
    expect(lineTotalMicros(10, 12_000_000_000n, 5_000_000_000n)).toBe(115_000_000_000n);
    expect(lineTotalMicros(1.5, 3n, 0n)).toBe(5n); // 4.5 micros rounds half up
    expect(lineTotalMicros(1, 100n, 500n)).toBe(0n);
  });

  it('sum the lines into the amount', () => {
    const lines = toLineItems([
      { name: '专业版', quantity: 2, unitPriceMicros: '1000000000' },
      { name: '实施服务', quantity: 0.5, unitPriceMicros: '3000000000', discountMicros: '100000000' },
    ]);
    expect(lines.map((line) => line.totalMicros)).toEqual(['2000000000', '1400000000']);
    expect(lines[1].quantity).toBe('0.5');
    expect(linesTotalMicros(lines)).toBe(3_400_000_000n);
  });
});
