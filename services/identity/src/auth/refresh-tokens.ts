import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { TenantScopedRepository } from '@crm/platform/database';
import { IdentityEnv } from '../config/identity.env';
import { RefreshTokenEntity } from './refresh-token.entity';

const TOKEN_BYTES = 32;
const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

/** Tokens are 256 random bits: SHA-256 is enough to store them, nothing to brute-force. */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** What presenting a refresh token found. */
export type RefreshTokenCheck =
  | { kind: 'valid'; token: RefreshTokenEntity }
  | { kind: 'reused'; token: RefreshTokenEntity }
  | { kind: 'invalid' };

/**
 * Opaque, rotating refresh tokens (32 random bytes, base64url), stored hashed. A token works once: the
 * refresh that uses it gets a successor in the same family. A token presented after it was used has
 * leaked (or the client raced itself), so its whole family is revoked and the user signs in again.
 */
@Injectable()
export class RefreshTokens extends TenantScopedRepository<RefreshTokenEntity> {
  constructor(private readonly config: IdentityEnv) {
    super(RefreshTokenEntity);
  }

  /**
   * The tenant a presented token belongs to. Cross-tenant by nature (the token is all the caller
   * has): only inside `TenantTransactions.runAsSystem`.
   */
  async findTenantOf(manager: EntityManager, token: string): Promise<string | undefined> {
    if (!WELL_FORMED.test(token)) return undefined;
    const found = await this.repository(manager).findOne({ where: { tokenHash: hashRefreshToken(token) }, select: { id: true, tenantId: true } });
    return found?.tenantId;
  }

  /** Issues a token for a new sign-in (new family) or as the successor in `familyId`. */
  async issue(manager: EntityManager, userId: string, familyId: string = randomUUID()): Promise<{ token: string; entity: RefreshTokenEntity }> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = new Date();
    const entity = this.createScoped(manager, {
      id: randomUUID(),
      userId,
      familyId,
      tokenHash: hashRefreshToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.REFRESH_TOKEN_TTL_S * 1_000),
      usedAt: null,
      replacedBy: null,
      revokedAt: null,
    });
    await this.repository(manager).insert(entity);
    return { token, entity };
  }

  /** Locks the token's row, so two refreshes with one token cannot both succeed. */
  async check(manager: EntityManager, token: string): Promise<RefreshTokenCheck> {
    if (!WELL_FORMED.test(token)) return { kind: 'invalid' };
    const found = await this.query(manager, 't')
      .andWhere('t.tokenHash = :hash', { hash: hashRefreshToken(token) })
      .setLock('pessimistic_write')
      .getOne();
    if (!found || found.revokedAt) return { kind: 'invalid' };
    if (found.usedAt) return { kind: 'reused', token: found };
    if (found.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' };
    return { kind: 'valid', token: found };
  }

  async markReplaced(manager: EntityManager, used: RefreshTokenEntity, successorId: string): Promise<void> {
    await this.repository(manager).update({ id: used.id, tenantId: used.tenantId }, { usedAt: new Date(), replacedBy: successorId });
  }

  /** Revokes every live token of the family; returns how many. */
  async revokeFamily(manager: EntityManager, familyId: string): Promise<number> {
    const result = await this.repository(manager).update(this.scoped({ familyId, revokedAt: IsNull() }), { revokedAt: new Date() });
    return result.affected ?? 0;
  }

  /** Signs the user out everywhere (deactivation). */
  async revokeAllOfUser(manager: EntityManager, userId: string): Promise<number> {
    const result = await this.repository(manager).update(this.scoped({ userId, revokedAt: IsNull() }), { revokedAt: new Date() });
    return result.affected ?? 0;
  }
}
