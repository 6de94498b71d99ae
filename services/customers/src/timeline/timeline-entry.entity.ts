import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One entry of a customer's timeline. Never returned by a route: `toTimelineEntryDto` decides what callers see. */
@Entity('customer_timeline')
export class TimelineEntryEntity {
  /** The id of the event the entry was made from, so a redelivered event cannot add it twice. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** The customer whose timeline shows the entry (a merge's survivor for its merged customers' entries). */
  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  /** The customer the event named. */
  @Column({ name: 'event_customer_id', type: 'uuid' })
  eventCustomerId!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  @Column('text')
  type!: string;

  @Column('text')
  source!: string;

  @Column('text')
  title!: string;

  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Column({ name: 'reference_id', type: 'uuid', nullable: true })
  referenceId!: string | null;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;
}
