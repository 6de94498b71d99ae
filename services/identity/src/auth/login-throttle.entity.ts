import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed sign-ins per normalised e-mail address, whether or not an account has it, so being locked
 * out says nothing about which addresses exist. Not tenant-owned: the address is all a login has.
 */
@Entity('login_throttle')
export class LoginThrottleEntity {
  @PrimaryColumn({ name: 'email_key', type: 'text' })
  emailKey!: string;

  @Column('integer')
  failures!: number;

  @Column({ name: 'window_started_at', type: 'timestamptz', precision: 3 })
  windowStartedAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', precision: 3, nullable: true })
  lockedUntil!: Date | null;
}
