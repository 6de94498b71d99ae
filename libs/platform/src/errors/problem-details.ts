import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FieldError } from './domain-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, with the CRM's `code`, `errors` and `requestId` extensions. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  errors?: FieldError[];
  requestId?: string;
}

/** Problem types are identified by their code; the URN does not resolve, the code is what clients use. */
export function problemType(code: string): string {
  return `urn:crm:problem:${code}`;
}

export class FieldErrorDto implements FieldError {
  @ApiPropertyOptional({ example: 'items[0].quantity', description: 'Property path of the invalid value' })
  field?: string;

  @ApiProperty({ example: 'quantity must be a positive number' })
  message!: string;
}

/** For `@ApiResponse({ status: 404, type: ProblemDetailsDto })` on endpoints. */
export class ProblemDetailsDto implements ProblemDetails {
  @ApiProperty({ example: 'urn:crm:problem:validation_failed' })
  type!: string;

  @ApiProperty({ example: 'Validation Failed' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request contains invalid fields' })
  detail!: string;

  @ApiPropertyOptional({ example: '/api/v1/leads' })
  instance?: string;

  @ApiProperty({ example: 'validation_failed', description: 'Stable machine-readable error code' })
  code!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldError[];

  @ApiPropertyOptional({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  requestId?: string;
}
