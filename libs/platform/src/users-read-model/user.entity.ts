import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A service's local copy of an identity user, kept from identity.user.v1 by `applyUserSnapshot`: who may
 * own records, their roles and teams (manager scope, round-robin) and seniority (e.g. high-scoring leads
 * go to senior reps). Never written by requests. Services list it among their entities.
 */
@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column('text')
  name!: string;

  @Column('boolean')
  active!: boolean;

  @Column({ type: 'text', array: true })
  roles!: string[];

  /** junior, intermediate, senior or lead; empty when identity has none. */
  @Column('text')
  seniority!: string;

  @Column({ name: 'team_ids', type: 'uuid', array: true })
  teamIds!: string[];

  @Column({ type: 'bigint', transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
