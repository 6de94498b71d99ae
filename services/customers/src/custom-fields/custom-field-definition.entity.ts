import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CustomFieldType } from './custom-field-validation';

/** One field a tenant added to its customers, with the rule every value of it must follow. */
@Entity('custom_field_definitions')
export class CustomFieldDefinitionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** The property name in a customer's `customFields`; unique per tenant, never changes. */
  @Column('text')
  key!: string;

  @Column('text')
  label!: string;

  @Column('text')
  type!: CustomFieldType;

  /** The allowed values of a select field; empty for other types. */
  @Column({ type: 'text', array: true })
  options!: string[];

  @Column('boolean')
  required!: boolean;

  @Column('integer')
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
