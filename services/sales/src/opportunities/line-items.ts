import type { OpportunityLineItem } from './opportunity.entity';

/** A line as the API gives it. */
export interface LineItemInput {
  productId?: string | null;
  sku?: string | null;
  name: string;
  quantity: number;
  unitPriceMicros: string;
  discountMicros?: string;
}

/** Quantity in thousandths: 1.5 → 1500n (the DTO allows at most 3 decimals). */
function quantityMilli(quantity: number): bigint {
  return BigInt(Math.round(quantity * 1000));
}

/** quantity × unit price − discount, in whole micros (half up); never below 0. */
export function lineTotalMicros(quantity: number, unitPriceMicros: bigint, discountMicros: bigint): bigint {
  const gross = (quantityMilli(quantity) * unitPriceMicros + 500n) / 1000n;
  const total = gross - discountMicros;
  return total < 0n ? 0n : total;
}

export function toLineItems(inputs: readonly LineItemInput[]): OpportunityLineItem[] {
  return inputs.map((input) => {
    const unitPrice = BigInt(input.unitPriceMicros);
    const discount = BigInt(input.discountMicros ?? '0');
    return {
      productId: input.productId ?? null,
      sku: input.sku ?? null,
      name: input.name,
      quantity: (Number(quantityMilli(input.quantity)) / 1000).toString(),
      unitPriceMicros: unitPrice.toString(),
      discountMicros: discount.toString(),
      totalMicros: lineTotalMicros(input.quantity, unitPrice, discount).toString(),
    };
  });
}

export function linesTotalMicros(lines: readonly OpportunityLineItem[]): bigint {
  return lines.reduce((sum, line) => sum + BigInt(line.totalMicros), 0n);
}
