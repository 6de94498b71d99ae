import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who did what to which record, from where. Written in the same transaction as the change it records. */
@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** The signed-in user; null for the system (embedded set-up) and for failed sign-ins of unknown callers. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column('text')
  action!: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column('jsonb')
  /** JSON object; typed loosely because TypeORM's insert types cannot follow a recursive JSON type. */
  details!: object;

  @Column({ type: 'timestamptz', precision: 3 })
  at!: Date;
}
