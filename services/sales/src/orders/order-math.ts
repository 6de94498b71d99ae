/** A line as the caller gave it, after defaults from the product catalog. */
export interface LineInput {
  /** Quantity in micro-units (1.5 kg = 1_500_000). */
  quantityMicros: bigint;
  unitPriceMicros: bigint;
  discountMicros: bigint;
  unitCostMicros: bigint | null;
}

export interface LineAmounts {
  /** quantity × unit price − line discount. */
  lineTotalMicros: bigint;
  /** The line total less its share of the order discount: what the line brings in (revenue by product). */
  netMicros: bigint;
  /** quantity × unit cost; null when the cost is unknown. */
  costMicros: bigint | null;
}

export interface OrderAmounts {
  lines: LineAmounts[];
  subtotalMicros: bigint;
  discountMicros: bigint;
  totalMicros: bigint;
  /** Net revenue of the lines whose cost is known, and what they cost: margin = costedRevenue − cost. */
  costedRevenueMicros: bigint;
  costMicros: bigint;
}

export class OrderAmountError extends Error {}

const MICRO = 1_000_000n;

/** a × b / 1e6 rounded half up, for non-negative values. */
function scaled(quantityMicros: bigint, unitMicros: bigint): bigint {
  return (quantityMicros * unitMicros + MICRO / 2n) / MICRO;
}

/** 1.5 → 1_500_000n; at most 6 decimals (the DTO checks), rounded to the micro. */
export function quantityToMicros(quantity: number): bigint {
  return BigInt(Math.round(quantity * 1_000_000));
}

/**
 * The order's amounts in integer micros, never floats: line totals, the order discount spread over the
 * lines in proportion to their totals (largest remainder, so the shares add up exactly), the total and
 * the costed revenue for margins. Throws OrderAmountError when a discount exceeds what it discounts.
 */
export function computeOrderAmounts(lines: readonly LineInput[], orderDiscountMicros: bigint): OrderAmounts {
  const totals = lines.map((line, index) => {
    const gross = scaled(line.quantityMicros, line.unitPriceMicros);
    if (line.discountMicros > gross) throw new OrderAmountError(`lines[${index}]: the discount is larger than quantity × unit price`);
    return gross - line.discountMicros;
  });
  const subtotal = totals.reduce((sum, value) => sum + value, 0n);
  if (orderDiscountMicros > subtotal) throw new OrderAmountError('The order discount is larger than the sum of the lines');
  const shares = allocate(orderDiscountMicros, totals);
  const amounts: LineAmounts[] = lines.map((line, index) => ({
    lineTotalMicros: totals[index],
    netMicros: totals[index] - shares[index],
    costMicros: line.unitCostMicros === null ? null : scaled(line.quantityMicros, line.unitCostMicros),
  }));
  let costedRevenue = 0n;
  let cost = 0n;
  for (const line of amounts) {
    if (line.costMicros === null) continue;
    costedRevenue += line.netMicros;
    cost += line.costMicros;
  }
  return { lines: amounts, subtotalMicros: subtotal, discountMicros: orderDiscountMicros, totalMicros: subtotal - orderDiscountMicros, costedRevenueMicros: costedRevenue, costMicros: cost };
}

/** `amount` split over `weights` in proportion, floors first, then one micro each to the largest remainders (ties: first line). */
export function allocate(amount: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((total, weight) => total + weight, 0n);
  if (amount === 0n || sum === 0n) return weights.map(() => 0n);
  const shares = weights.map((weight) => (amount * weight) / sum);
  let left = amount - shares.reduce((total, share) => total + share, 0n);
  const order = weights
    .map((weight, index) => ({ index, remainder: (amount * weight) % sum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (left === 0n) break;
    shares[index] += 1n;
    left -= 1n;
  }
  return shares;
}
