import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A long-lived credential for integrations; it acts as its creator with at most the creator's roles. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** The public part of the key (`crm_<keyId>_<secret>`), used to find it. */
  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  /** SHA-256 of the secret part; the secret itself is never stored. */
  @Column({ name: 'secret_hash', type: 'bytea' })
  secretHash!: Buffer;

  @Column('text')
  name!: string;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, nullable: true })
  lastUsedAt!: Date | null;
}
