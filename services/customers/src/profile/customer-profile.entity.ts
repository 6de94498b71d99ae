import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Currency (ISO 4217) → amount in micros, as decimal text (sums may pass 2^53). */
export type AmountsByCurrency = Record<string, string>;

/**
 * The summary of a customer's 360° profile, kept from events (see the migration). Never returned by a
 * route: `toProfileDto` decides what callers see.
 */
@Entity('customer_profiles')
export class CustomerProfileEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** Lifetime revenue of orders not cancelled, per currency: sales converts nothing, so neither do we. */
  @Column('jsonb')
  revenue!: AmountsByCurrency;

  @Column({ name: 'orders_count', type: 'integer' })
  ordersCount!: number;

  @Column({ name: 'last_order_at', type: 'timestamptz', precision: 3, nullable: true })
  lastOrderAt!: Date | null;

  @Column({ name: 'open_opportunities_count', type: 'integer' })
  openOpportunitiesCount!: number;

  @Column({ name: 'open_opportunities_amount', type: 'jsonb' })
  openOpportunitiesAmount!: AmountsByCurrency;

  @Column({ name: 'open_tickets_count', type: 'integer' })
  openTicketsCount!: number;

  @Column({ name: 'last_contact_at', type: 'timestamptz', precision: 3, nullable: true })
  lastContactAt!: Date | null;

  @Column({ name: 'csat_sum', type: 'integer' })
  csatSum!: number;

  @Column({ name: 'csat_count', type: 'integer' })
  csatCount!: number;

  @Column({ name: 'rfm_recency', type: 'smallint', nullable: true })
  rfmRecency!: number | null;

  @Column({ name: 'rfm_frequency', type: 'smallint', nullable: true })
  rfmFrequency!: number | null;

  @Column({ name: 'rfm_monetary', type: 'smallint', nullable: true })
  rfmMonetary!: number | null;

  @Column({ name: 'rfm_segment', type: 'text', nullable: true })
  rfmSegment!: string | null;

  /** bigint: the driver hands it back as text. */
  @Column({ name: 'clv_historic_micros', type: 'bigint', nullable: true })
  clvHistoricMicros!: string | null;

  @Column({ name: 'clv_predicted_micros', type: 'bigint', nullable: true })
  clvPredictedMicros!: string | null;

  @Column({ name: 'clv_currency', type: 'text', nullable: true })
  clvCurrency!: string | null;

  @Column({ name: 'churn_probability', type: 'real', nullable: true })
  churnProbability!: number | null;

  @Column({ name: 'churn_band', type: 'text', nullable: true })
  churnBand!: string | null;

  /** The tier analytics computed (the customer's own `value_tier` may have been changed by hand since). */
  @Column({ name: 'value_tier', type: 'text', nullable: true })
  valueTier!: string | null;

  @Column({ type: 'boolean', nullable: true })
  vip!: boolean | null;

  @Column({ name: 'scores_computed_at', type: 'timestamptz', precision: 3, nullable: true })
  scoresComputedAt!: Date | null;

  /** When a person last set the lifecycle stage by hand: the sweep counts from it (see lifecycle/). */
  @Column({ name: 'stage_pinned_at', type: 'timestamptz', precision: 3, nullable: true })
  stagePinnedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
