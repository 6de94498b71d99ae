import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PRIVACY_REQUEST_TYPES = ['export', 'erasure'] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];

/**
 * Why a request was made, from a closed list (PIPL art. 44–47, GDPR art. 15–17, 20), so the audit
 * record keeps its "why" without ever holding free text about a person.
 */
export const PRIVACY_REQUEST_REASONS = ['data_subject_request', 'consent_withdrawn', 'purpose_fulfilled', 'retention_expired', 'unlawful_processing', 'other'] as const;
export type PrivacyRequestReason = (typeof PRIVACY_REQUEST_REASONS)[number];

/** Stored states; `overdue` is derived on read (privacy-request.mapper). */
export type StoredRequestStatus = 'pending' | 'completed';

/** One privacy request: an audit record of who asked for what about which customer, and when it was done. */
@Entity('privacy_requests')
export class PrivacyRequestEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column('text')
  type!: PrivacyRequestType;

  @Column('text')
  status!: StoredRequestStatus;

  @Column('text')
  reason!: PrivacyRequestReason;

  /** How the data subject asked (e-mail, phone): personal data, cleared by an erasure. */
  @Column({ name: 'requested_by', type: 'text', nullable: true })
  requestedBy!: string | null;

  /** The user who recorded the request. */
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt!: Date | null;

  /** Export: when the gateway last delivered the archive. */
  @Column({ name: 'delivered_at', type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt!: Date | null;

  /** Export: whether the last archive had every service's data. */
  @Column({ name: 'archive_complete', type: 'boolean', nullable: true })
  archiveComplete!: boolean | null;
}
