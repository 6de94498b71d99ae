import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Stored states; `overdue` is derived on read (privacy-request.mapper). */
export type StoredServiceStatus = 'pending' | 'completed' | 'failed';

/** What one service did for one privacy request. */
@Entity('privacy_request_services')
export class PrivacyRequestServiceEntity {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @PrimaryColumn('text')
  service!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column('text')
  status!: StoredServiceStatus;

  /** Erasure: records the service anonymised or deleted. */
  @Column({ name: 'records_affected', type: 'bigint', nullable: true, transformer: { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) } })
  recordsAffected!: number | null;

  /** Why it failed (export: the service was not reachable). */
  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt!: Date | null;
}
