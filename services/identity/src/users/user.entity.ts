import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Locale, Seniority } from './user-fields';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column('text')
  name!: string;

  /** Stored as entered; unique across tenants ignoring case, because sign-in is by e-mail alone. */
  @Column('text')
  email!: string;

  /** E.164, e.g. +8613812345678. */
  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column('text')
  locale!: Locale;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ type: 'text', nullable: true })
  seniority!: Seniority | null;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column('boolean')
  active!: boolean;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** Optimistic concurrency: incremented by every change, compared with `If-Match`. */
  @Column('integer')
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz', precision: 3, nullable: true })
  lastLoginAt!: Date | null;
}
