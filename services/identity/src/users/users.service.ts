import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hasPermission, ownershipScope, principal, type Principal, type Role } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { PermissionDeniedError } from '@crm/platform/errors';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { AuditLog } from '../audit/audit-log';
import { PasswordHasher } from '../auth/password-hasher';
import { generatePassword } from '../auth/password-policy';
import { RefreshTokens } from '../auth/refresh-tokens';
import type { ClientInfo } from '../common/client-info';
import { TeamMembersRepository } from '../teams/team-members.repository';
import type { CreatedUserDto, UserDto } from './dto/user.dto';
import type { CreateUserDto, ListUsersQueryDto, UpdateUserDto } from './dto/user-input.dto';
import { DEFAULT_LOCALE, DEFAULT_TIME_ZONE, type Locale, type Seniority } from './user-fields';
import { EmailTakenError, LastAdminError, UserNotFoundError } from './user.errors';
import { UserEvents } from './user-events';
import { toUserDto } from './user.mapper';
import type { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';
import { assertVersion, isUuid, type Page } from '@crm/platform/api';

/** What a new user is made of, whoever creates them (an admin, signup, the embedded set-up). */
export interface NewUser {
  /** Chosen by the caller when it must know the id before the user exists (signup acts as the new user). */
  id?: string;
  name: string;
  email: string;
  passwordHash: string;
  roles: readonly Role[];
  phone?: string | null;
  locale?: Locale;
  timeZone?: string;
  seniority?: Seniority | null;
}

/** Who made a change, for the audit log; `actorId` null is the system. */
export interface Actor {
  actorId: string | null;
  client?: ClientInfo;
}

const DEFAULT_ROLES: readonly Role[] = ['rep'];
/** What every user may change about themselves without users:write. */
const SELF_SERVICE_FIELDS: ReadonlySet<string> = new Set(['name', 'phone', 'locale', 'timeZone', 'version']);

@Injectable()
export class UsersService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly users: UsersRepository,
    private readonly teamMembers: TeamMembersRepository,
    private readonly refreshTokens: RefreshTokens,
    private readonly apiKeys: ApiKeysRepository,
    private readonly passwords: PasswordHasher,
    private readonly events: UserEvents,
    private readonly audit: AuditLog,
  ) {}

  async list(query: ListUsersQueryDto): Promise<Page<UserDto>> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const { q, active, role, teamId, limit, cursor, total } = query;
      const page = await this.users.page(manager, { q, active, role, teamId }, scope, { limit, cursor, total });
      const teams = await this.teamMembers.teamIdsByUser(manager, page.items.map((user) => user.id));
      return { ...page, items: page.items.map((user) => toUserDto(user, teams.get(user.id) ?? [])) };
    });
  }

  async get(id: string): Promise<UserDto> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const user = isUuid(id) ? await this.users.findInScope(manager, id, scope) : null;
      if (!user) throw new UserNotFoundError(id);
      return toUserDto(user, await this.teamMembers.teamIdsOf(manager, user.id));
    });
  }

  async create(input: CreateUserDto, client: ClientInfo): Promise<CreatedUserDto> {
    const caller = principal();
    const roles = input.roles ?? DEFAULT_ROLES;
    if (input.roles && !sameRoles(roles, DEFAULT_ROLES) && !hasPermission(caller.roles, 'roles:assign')) {
      throw new PermissionDeniedError('Creating a user with roles other than rep needs the permission roles:assign');
    }
    const { password: chosen, ...profile } = input;
    const password = chosen ?? generatePassword();
    // Hashing is deliberately slow: do it before the transaction, not while holding a connection.
    const passwordHash = await this.passwords.hash(password);
    const user = await this.transactions.run((manager) =>
      this.createInTransaction(manager, { ...profile, roles, passwordHash }, { actorId: caller.userId, client }),
    );
    const initialPassword = chosen === undefined ? password : undefined;
    return { ...toUserDto(user, []), ...(initialPassword ? { initialPassword } : {}) };
  }

  /** Inserts a user of the transaction's tenant, with its event and audit entry. */
  async createInTransaction(manager: EntityManager, input: NewUser, actor: Actor): Promise<UserEntity> {
    const now = new Date();
    const user = this.users.create(manager, {
      id: input.id ?? randomUUID(),
      name: input.name,
      email: input.email.trim(),
      phone: input.phone ?? null,
      locale: input.locale ?? DEFAULT_LOCALE,
      timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
      seniority: input.seniority ?? null,
      roles: [...input.roles],
      active: true,
      passwordHash: input.passwordHash,
      version: 1,
      createdAt: now,
      updatedAt: now,
      lastLoginAt: null,
    });
    try {
      await this.users.insert(manager, user);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new EmailTakenError();
      throw error;
    }
    await this.events.publish(manager, 'created', user, []);
    await this.audit.record(manager, {
      tenantId: user.tenantId,
      actorId: actor.actorId,
      action: 'user.created',
      target: { type: 'user', id: user.id },
      client: actor.client,
      details: { roles: user.roles },
    });
    return user;
  }

  async update(id: string, changes: UpdateUserDto, expectedVersion: number | undefined, client: ClientInfo): Promise<UserDto> {
    const caller = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const user = isUuid(id) ? await this.users.findInScope(manager, id, scope, { lock: true }) : null;
      if (!user) throw new UserNotFoundError(id);
      assertAllowedChanges(caller, user, changes);
      assertVersion(expectedVersion, user.version);
      const before = { roles: [...user.roles], active: user.active };
      const changed = applyChanges(user, changes);
      const teamIds = await this.teamMembers.teamIdsOf(manager, user.id);
      if (changed.length === 0) return toUserDto(user, teamIds);

      const losesAdmin = before.roles.includes('admin') && before.active && (!user.roles.includes('admin') || !user.active);
      if (losesAdmin && (await this.users.countOtherActiveAdmins(manager, user.id)) === 0) throw new LastAdminError();
      user.version += 1;
      user.updatedAt = new Date();
      await this.saveUnique(manager, user);

      const deactivated = before.active && !user.active;
      if (deactivated) {
        await this.refreshTokens.revokeAllOfUser(manager, user.id);
        await this.apiKeys.revokeAllOfUser(manager, user.id);
      }
      await this.events.publish(manager, deactivated ? 'deactivated' : 'updated', user, teamIds);
      await this.auditChanges(manager, user, before, changed, { actorId: caller.userId, client });
      return toUserDto(user, teamIds);
    });
  }

  private async auditChanges(manager: EntityManager, user: UserEntity, before: { roles: string[]; active: boolean }, changed: string[], actor: Actor): Promise<void> {
    const entry = { tenantId: user.tenantId, actorId: actor.actorId, target: { type: 'user' as const, id: user.id }, client: actor.client };
    if (changed.includes('roles')) await this.audit.record(manager, { ...entry, action: 'user.roles_changed', details: { from: before.roles, to: user.roles } });
    if (changed.includes('active')) await this.audit.record(manager, { ...entry, action: user.active ? 'user.reactivated' : 'user.deactivated' });
    const others = changed.filter((field) => field !== 'roles' && field !== 'active');
    // Field names only: the values may be personal data, and the audit log is kept for long.
    if (others.length > 0) await this.audit.record(manager, { ...entry, action: 'user.updated', details: { fields: others } });
  }

  private async saveUnique(manager: EntityManager, user: UserEntity): Promise<void> {
    try {
      await this.users.save(manager, user);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new EmailTakenError();
      throw error;
    }
  }
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/** 403 for what the caller's permissions do not cover; scope (404) was checked before. */
function assertAllowedChanges(caller: Principal, user: UserEntity, changes: UpdateUserDto): void {
  const fields = Object.keys(changes).filter((field) => changes[field as keyof UpdateUserDto] !== undefined);
  const selfService = user.id === caller.userId && fields.every((field) => SELF_SERVICE_FIELDS.has(field));
  if (!selfService && !hasPermission(caller.roles, 'users:write')) {
    throw new PermissionDeniedError(user.id === caller.userId ? 'Changing this about yourself needs the permission users:write' : 'Changing other users needs the permission users:write');
  }
  if (changes.roles !== undefined && !hasPermission(caller.roles, 'roles:assign')) throw new PermissionDeniedError('Changing roles needs the permission roles:assign');
}

/** Applies the changes that differ from the current values; returns the names of the changed fields. */
function applyChanges(user: UserEntity, changes: UpdateUserDto): string[] {
  const changed: string[] = [];
  const set = <K extends 'name' | 'email' | 'phone' | 'locale' | 'timeZone' | 'seniority' | 'active'>(field: K, value: UserEntity[K] | undefined) => {
    if (value === undefined || value === user[field]) return;
    user[field] = value;
    changed.push(field);
  };
  set('name', changes.name);
  set('email', changes.email);
  set('phone', changes.phone);
  set('locale', changes.locale);
  set('timeZone', changes.timeZone);
  set('seniority', changes.seniority);
  set('active', changes.active);
  if (changes.roles !== undefined && !sameRoles(changes.roles, user.roles)) {
    user.roles = [...changes.roles];
    changed.push('roles');
  }
  return changed;
}
