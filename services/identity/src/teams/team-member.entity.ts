import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Membership: which users belong to which team. Other services' manager scope is built from it. */
@Entity('team_members')
export class TeamMemberEntity {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;
}
