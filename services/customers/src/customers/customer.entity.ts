import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Address, Consent, CustomerType, CustomFieldValues, LifecycleStage, ValueTier } from './customer-fields';

/** A customer row. Never returned by a route: `toCustomerDto` decides what callers see. */
@Entity('customers')
export class CustomerEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column('text')
  type!: CustomerType;

  @Column('text')
  name!: string;

  @Column({ name: 'name_en', type: 'text', nullable: true })
  nameEn!: string | null;

  /** E.164. */
  @Column({ type: 'text', array: true })
  phones!: string[];

  /** Lower-cased. */
  @Column({ type: 'text', array: true })
  emails!: string[];

  @Column({ name: 'wechat_ids', type: 'text', array: true })
  wechatIds!: string[];

  @Column('jsonb')
  addresses!: Address[];

  @Column({ type: 'text', nullable: true })
  industry!: string | null;

  @Column({ type: 'text', nullable: true })
  region!: string | null;

  @Column({ type: 'text', nullable: true })
  source!: string | null;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  @Column({ name: 'lifecycle_stage', type: 'text' })
  lifecycleStage!: LifecycleStage;

  @Column({ name: 'value_tier', type: 'text', nullable: true })
  valueTier!: ValueTier | null;

  @Column({ name: 'key_account', type: 'boolean' })
  keyAccount!: boolean;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column('jsonb')
  consent!: Consent;

  @Column({ name: 'custom_fields', type: 'jsonb' })
  customFields!: CustomFieldValues;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  /** AES-256-GCM (PiiCipher), bound to tenant, customer and field. */
  @Column({ name: 'national_id_encrypted', type: 'bytea', nullable: true })
  nationalIdEncrypted!: Buffer | null;

  /** What callers without pii:read see, e.g. `1101**********1234`. */
  @Column({ name: 'national_id_masked', type: 'text', nullable: true })
  nationalIdMasked!: string | null;

  @Column({ name: 'bank_account_encrypted', type: 'bytea', nullable: true })
  bankAccountEncrypted!: Buffer | null;

  @Column({ name: 'bank_account_masked', type: 'text', nullable: true })
  bankAccountMasked!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  /** Optimistic concurrency: incremented by every change, compared with `If-Match`. */
  @Column('integer')
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt!: Date | null;

  /** When a privacy request erased the customer's personal data; the row stays for references and is never written again. */
  @Column({ name: 'erased_at', type: 'timestamptz', precision: 3, nullable: true })
  erasedAt?: Date | null;

  /** The survivor this customer was merged into (then also deleted); cleared by undoing the merge. */
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId?: string | null;

  @Column({ name: 'merged_at', type: 'timestamptz', precision: 3, nullable: true })
  mergedAt?: Date | null;

  /** Whose customer this was before their deactivation put it in the shared pool (owner null). */
  @Column({ name: 'pooled_from_user_id', type: 'uuid', nullable: true })
  pooledFromUserId?: string | null;
}
