import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { createValidationPipe } from './validation';
import { ValidationFailedError } from './standard-errors';

class LineDto {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class OrderDto {
  @IsString()
  customerId!: string;

  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines!: LineDto[];
}

async function failureOf(value: unknown): Promise<ValidationFailedError> {
  try {
    await createValidationPipe().transform(value, { type: 'body', metatype: OrderDto });
  } catch (error) {
    if (error instanceof ValidationFailedError) return error;
    throw error;
  }
  throw new Error('expected validation to fail');
}

describe('createValidationPipe', () => {
  it('names the full property path of every nested failure', async () => {
    const error = await failureOf({ customerId: 'c1', lines: [{ sku: 'A', quantity: 1 }, { sku: 7, quantity: 0 }] });

    expect(error.errors).toEqual([
      { field: 'lines[1].sku', message: 'sku must be a string' },
      { field: 'lines[1].quantity', message: 'quantity must not be less than 1' },
    ]);
  });

  it('rejects unknown properties by name', async () => {
    const error = await failureOf({ customerId: 'c1', lines: [], discount: 50 });

    expect(error.errors).toEqual([{ field: 'discount', message: 'property discount should not exist' }]);
  });

  it('returns DTO instances for valid payloads', async () => {
    const order = await createValidationPipe().transform({ customerId: 'c1', lines: [{ sku: 'A', quantity: 2 }] }, { type: 'body', metatype: OrderDto });

    expect(order).toBeInstanceOf(OrderDto);
    expect(order.lines[0]).toBeInstanceOf(LineDto);
  });
});
