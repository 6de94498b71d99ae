import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a tenant collects of its customers' optional sensitive data (data minimisation). No row: everything. */
@Entity('customer_privacy_settings')
export class CustomerPrivacySettingsEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'collect_national_id', type: 'boolean' })
  collectNationalId!: boolean;

  @Column({ name: 'collect_bank_account', type: 'boolean' })
  collectBankAccount!: boolean;

  @Column({ name: 'collect_wechat_ids', type: 'boolean' })
  collectWechatIds!: boolean;

  @Column({ name: 'collect_addresses', type: 'boolean' })
  collectAddresses!: boolean;

  /** Keys of custom fields (a birthday, say) the tenant does not collect. */
  @Column({ name: 'not_collected_custom_fields', type: 'text', array: true })
  notCollectedCustomFields!: string[];

  @Column('integer')
  version!: number;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
