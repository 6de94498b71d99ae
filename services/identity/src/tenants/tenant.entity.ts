import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A company using the CRM. Every other identity row belongs to one. */
@Entity('tenants')
export class TenantEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
