import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One read of a customer's unmasked national ID or bank account: who, which fields, when. */
@Entity('pii_access_log')
export class PiiAccessEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  /** `nationalId`, `bankAccount`. */
  @Column({ type: 'text', array: true })
  fields!: string[];

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  at!: Date;
}
