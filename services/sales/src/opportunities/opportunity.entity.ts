import { Column, Entity, PrimaryColumn } from 'typeorm';

export type OpportunityStatus = 'open' | 'won' | 'lost';

/** One product line of an opportunity; money in micros of the opportunity's currency. */
export interface OpportunityLineItem {
  productId: string | null;
  sku: string | null;
  name: string;
  /** Decimal string, up to 3 decimals (e.g. "2" or "1.5"). */
  quantity: string;
  unitPriceMicros: string;
  /** Discount on the whole line, in micros. */
  discountMicros: string;
  /** quantity × unit price − discount, rounded to whole micros. */
  totalMicros: string;
}

/** An opportunity row. Never returned by a route: `toOpportunityDto` decides what callers see. */
@Entity('opportunities')
export class OpportunityEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column('text')
  name!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ name: 'pipeline_id', type: 'uuid' })
  pipelineId!: string;

  @Column('text')
  stage!: string;

  @Column('text')
  status!: OpportunityStatus;

  /** bigint as PostgreSQL returns it: a decimal string. */
  @Column({ name: 'amount_micros', type: 'bigint' })
  amountMicros!: string;

  @Column('text')
  currency!: string;

  /** YYYY-MM-DD. */
  @Column({ name: 'expected_close_date', type: 'date', nullable: true })
  expectedCloseDate!: string | null;

  @Column({ name: 'line_items', type: 'jsonb' })
  lineItems!: OpportunityLineItem[];

  @Column({ name: 'lead_id', type: 'uuid', nullable: true })
  leadId!: string | null;

  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId!: string | null;

  @Column({ name: 'lost_reason', type: 'text', nullable: true })
  lostReason!: string | null;

  @Column({ type: 'text', nullable: true })
  competitor!: string | null;

  @Column({ name: 'stage_entered_at', type: 'timestamptz', precision: 3 })
  stageEnteredAt!: Date;

  /** Last stage change or update (activities are checked separately): what rotting measures idleness from. */
  @Column({ name: 'last_touched_at', type: 'timestamptz', precision: 3 })
  lastTouchedAt!: Date;

  @Column({ name: 'opened_at', type: 'timestamptz', precision: 3 })
  openedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @Column('integer')
  version!: number;
}
