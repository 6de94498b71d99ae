import { ApiProperty } from '@nestjs/swagger';
import { CustomerDto } from '../../customers/dto/customer.dto';

/** An amount of money: integer micros as text (they may pass 2^53) and its ISO 4217 currency. */
export class MoneyDto {
  @ApiProperty({ example: '1280000000', description: 'Integer micros (1 CNY = 1,000,000)' })
  amountMicros!: string;

  @ApiProperty({ example: 'CNY' })
  currency!: string;
}

export class OpenOpportunitiesDto {
  @ApiProperty()
  count!: number;

  @ApiProperty({ type: [MoneyDto], description: 'Expected amount of the open opportunities, per currency' })
  amount!: MoneyDto[];
}

export class CsatDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Average of the answers (1–5), two decimals; null without answers' })
  average!: number | null;

  @ApiProperty()
  count!: number;
}

export class RfmDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  recency!: number;

  @ApiProperty({ minimum: 1, maximum: 5 })
  frequency!: number;

  @ApiProperty({ minimum: 1, maximum: 5 })
  monetary!: number;

  @ApiProperty({ type: String, nullable: true, example: 'champions' })
  segment!: string | null;
}

export class ScoresDto {
  @ApiProperty({ type: RfmDto, nullable: true })
  rfm!: RfmDto | null;

  @ApiProperty({ type: MoneyDto, description: 'Lifetime value so far, in the reporting currency of analytics' })
  clvHistoric!: MoneyDto;

  @ApiProperty({ type: MoneyDto, description: 'Predicted value over the next 12 months' })
  clvPredicted!: MoneyDto;

  @ApiProperty({ description: 'Churn probability, 0–1' })
  churnRisk!: number;

  @ApiProperty({ enum: ['low', 'medium', 'high'] })
  churnBand!: string;

  @ApiProperty({ type: String, nullable: true, enum: ['A', 'B', 'C'], description: "Analytics' tier (the record's valueTier may have been set by hand since)" })
  valueTier!: string | null;

  @ApiProperty()
  vip!: boolean;

  @ApiProperty({ format: 'date-time' })
  computedAt!: string;
}

/** What other services' events say about the customer; zeros and nulls until they say something. */
export class ProfileSummaryDto {
  @ApiProperty({ type: [MoneyDto], description: 'Lifetime revenue of the orders not cancelled, per currency (not converted)' })
  lifetimeRevenue!: MoneyDto[];

  @ApiProperty({ description: 'Orders not cancelled' })
  ordersCount!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastOrderAt!: string | null;

  @ApiProperty({ type: OpenOpportunitiesDto })
  openOpportunities!: OpenOpportunitiesDto;

  @ApiProperty({ description: 'Tickets new, open or pending the customer' })
  openTickets!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Latest call, meeting, visit, e-mail, WeChat message or SMS a rep logged' })
  lastContactAt!: string | null;

  @ApiProperty({ type: CsatDto })
  csat!: CsatDto;

  @ApiProperty({ type: ScoresDto, nullable: true, description: 'null until analytics scored the customer' })
  scores!: ScoresDto | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When the summary last changed; null before any event about the customer' })
  updatedAt!: string | null;
}

/** GET /customers/{id}/profile: the record (PII masked, tags included) and the summary. */
export class CustomerProfileDto {
  @ApiProperty({ type: CustomerDto })
  customer!: CustomerDto;

  @ApiProperty({ type: ProfileSummaryDto })
  summary!: ProfileSummaryDto;
}
