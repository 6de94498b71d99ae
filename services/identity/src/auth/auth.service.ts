import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantTransactions } from '@crm/platform/database';
import { AuditLog } from '../audit/audit-log';
import type { ClientInfo } from '../common/client-info';
import { IdentityEnv } from '../config/identity.env';
import { TeamMembersRepository } from '../teams/team-members.repository';
import { TenantOnboarding } from '../tenants/tenant-onboarding';
import { AccessTokens } from '../tokens/access-tokens';
import { normalizeEmail } from '../users/user-fields';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { AccountInactiveError, InvalidCredentialsError, InvalidRefreshTokenError, LoginLockedError, SignupDisabledError } from './auth.errors';
import type { LoginDto, SignupDto, SignupResultDto, TokenPairDto } from './dto/auth.dto';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { RefreshTokens } from './refresh-tokens';

type Session = { user: UserEntity; teamIds: string[]; refreshToken: string };

/**
 * Sign-up, sign-in, refresh and sign-out. These run before anyone is known, so the few lookups that
 * must search every tenant (by e-mail, by refresh token) use `runAsSystem` and return only the tenant;
 * the work itself then runs in that tenant's transaction.
 *
 * Refusals that must leave a trace (failed sign-in, reused refresh token) commit their transaction
 * and throw afterwards: throwing inside would roll the trace back.
 */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly onboarding: TenantOnboarding,
    private readonly users: UsersRepository,
    private readonly teamMembers: TeamMembersRepository,
    private readonly refreshTokens: RefreshTokens,
    private readonly accessTokens: AccessTokens,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
    private readonly config: IdentityEnv,
  ) {}

  onApplicationBootstrap(): void {
    // Ready before the first unknown address arrives, so that one is not answered faster either.
    void this.dummyPasswordHash();
  }

  /** A new tenant with the caller as its first admin, signed in. */
  async signup(input: SignupDto, client: ClientInfo): Promise<SignupResultDto> {
    if (!this.config.ALLOW_SIGNUP) throw new SignupDisabledError();
    const passwordHash = await this.passwords.hash(input.password);
    const tenantId = randomUUID();
    const userId = randomUUID();
    const session = await this.transactions.runForTenant(tenantId, async (manager) => {
      const actor = { actorId: userId, client };
      const { admin } = await this.onboarding.createTenantWithAdmin(
        manager,
        { tenantId, tenantName: input.tenantName, admin: { id: userId, name: input.name, email: input.email, passwordHash } },
        actor,
      );
      await this.audit.record(manager, { tenantId, ...actor, action: 'auth.signup', target: { type: 'tenant', id: tenantId }, details: { tenantName: input.tenantName } });
      return this.startSession(manager, admin, []);
    });
    return { tenantId, userId, ...(await this.tokenPair(session)) };
  }

  async login(input: LoginDto, client: ClientInfo): Promise<TokenPairDto> {
    const emailKey = normalizeEmail(input.email);
    const { attempt, user } = await this.transactions.runAsSystem(async (manager) => ({
      attempt: await this.throttle.begin(manager, emailKey),
      user: await this.users.findByEmailInAnyTenant(manager, emailKey),
    }));
    if (!attempt.allowed) {
      if (user) await this.recordFailure(user, client, { reason: 'locked' });
      throw new LoginLockedError(attempt.retryAfterS);
    }
    // An unknown address costs a hash too, so response times do not tell which addresses exist.
    const passwordOk = await this.passwords.verify(input.password, user?.passwordHash ?? (await this.dummyPasswordHash()));
    if (!user || !passwordOk) {
      if (user) await this.recordFailure(user, client, { reason: 'wrong_password' }, attempt.locksOnFailure);
      if (attempt.locksOnFailure) throw new LoginLockedError(this.throttle.lockoutS);
      throw new InvalidCredentialsError();
    }
    if (!user.active) {
      await this.recordFailure(user, client, { reason: 'inactive' });
      throw new AccountInactiveError();
    }
    const upgradedHash = this.passwords.needsRehash(user.passwordHash) ? await this.passwords.hash(input.password) : undefined;
    const session = await this.transactions.runForTenant(user.tenantId, async (manager) => {
      await this.throttle.succeeded(manager, emailKey);
      const current = await this.users.findById(manager, user.id);
      if (!current?.active) return undefined;
      current.lastLoginAt = new Date();
      if (upgradedHash) current.passwordHash = upgradedHash;
      await this.users.save(manager, current);
      await this.audit.record(manager, { tenantId: current.tenantId, actorId: current.id, action: 'auth.login_succeeded', target: { type: 'user', id: current.id }, client });
      return this.startSession(manager, current, await this.teamMembers.teamIdsOf(manager, current.id));
    });
    // Deactivated between the password check and now.
    if (!session) throw new AccountInactiveError();
    return this.tokenPair(session);
  }

  /** Rotation: the presented token is spent and a new pair issued; a spent token revokes its family. */
  async refresh(presented: string, client: ClientInfo): Promise<TokenPairDto> {
    const tenantId = await this.transactions.runAsSystem((manager) => this.refreshTokens.findTenantOf(manager, presented));
    if (!tenantId) throw new InvalidRefreshTokenError();
    const session = await this.transactions.runForTenant(tenantId, async (manager): Promise<Session | undefined> => {
      const check = await this.refreshTokens.check(manager, presented);
      if (check.kind === 'invalid') return undefined;
      const { token } = check;
      if (check.kind === 'reused') {
        const revoked = await this.refreshTokens.revokeFamily(manager, token.familyId);
        await this.audit.record(manager, {
          tenantId,
          // Whoever presented it may be a thief: the attempt has no trustworthy actor.
          actorId: null,
          action: 'auth.refresh_token_reused',
          target: { type: 'user', id: token.userId },
          client,
          details: { familyId: token.familyId, revokedTokens: revoked },
        });
        return undefined;
      }
      const user = await this.users.findById(manager, token.userId);
      if (!user?.active) return undefined;
      const teamIds = await this.teamMembers.teamIdsOf(manager, user.id);
      const successor = await this.refreshTokens.issue(manager, user.id, token.familyId);
      await this.refreshTokens.markReplaced(manager, token, successor.entity.id);
      return { user, teamIds, refreshToken: successor.token };
    });
    if (!session) throw new InvalidRefreshTokenError();
    return this.tokenPair(session);
  }

  /** Ends the sign-in the token belongs to (its whole family). Unknown tokens are ignored: nothing to end. */
  async logout(presented: string, client: ClientInfo): Promise<void> {
    const tenantId = await this.transactions.runAsSystem((manager) => this.refreshTokens.findTenantOf(manager, presented));
    if (!tenantId) return;
    await this.transactions.runForTenant(tenantId, async (manager) => {
      const check = await this.refreshTokens.check(manager, presented);
      if (check.kind === 'invalid') return;
      await this.refreshTokens.revokeFamily(manager, check.token.familyId);
      await this.audit.record(manager, { tenantId, actorId: check.token.userId, action: 'auth.logout', target: { type: 'user', id: check.token.userId }, client });
    });
  }

  private async startSession(manager: EntityManager, user: UserEntity, teamIds: string[]): Promise<Session> {
    const { token } = await this.refreshTokens.issue(manager, user.id);
    return { user, teamIds, refreshToken: token };
  }

  private async tokenPair(session: Session): Promise<TokenPairDto> {
    const { user, teamIds, refreshToken } = session;
    const { accessToken, expiresIn } = await this.accessTokens.issue({ tenantId: user.tenantId, userId: user.id, roles: user.roles, teamIds });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
  }

  /** A failed sign-in of a known user goes into their tenant's audit log, with the lock-out it caused. */
  private async recordFailure(user: UserEntity, client: ClientInfo, details: Record<string, unknown>, lockedNow = false): Promise<void> {
    await this.transactions.runForTenant(user.tenantId, async (manager) => {
      // The caller did not prove to be the user: no actor, the user is the target.
      const entry = { tenantId: user.tenantId, actorId: null, target: { type: 'user' as const, id: user.id }, client };
      await this.audit.record(manager, { ...entry, action: 'auth.login_failed', details });
      if (lockedNow) await this.audit.record(manager, { ...entry, action: 'auth.login_locked', details: { lockoutSeconds: this.throttle.lockoutS } });
    });
  }

  private dummyPasswordHash(): Promise<string> {
    this.dummyHash ??= this.passwords.hash(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }
}
