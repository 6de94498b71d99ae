import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Local copy of an identity user, kept from identity.user.v1: who may own customers and which teams they
 * are in (a manager sees the customers of their teams' members). Never written by requests.
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

  @Column({ name: 'team_ids', type: 'uuid', array: true })
  teamIds!: string[];

  /** identity's version of the user; an older snapshot than this one is ignored. */
  @Column({ type: 'bigint', transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
