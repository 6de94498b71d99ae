import type { UserCreated } from '@crm/contracts';
import type { UserDto } from './dto/user.dto';
import type { UserEntity } from './user.entity';

export function toUserDto(user: UserEntity, teamIds: readonly string[]): UserDto {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    phone: user.phone,
    locale: user.locale,
    timeZone: user.timeZone,
    seniority: user.seniority,
    roles: [...user.roles],
    active: user.active,
    teamIds: [...teamIds],
    version: user.version,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}

/** The fields every identity.user.v1 event carries: created, updated and deactivated share them. */
export type UserSnapshot = Omit<UserCreated, '$typeName'>;

export function toUserSnapshot(user: UserEntity, teamIds: readonly string[]): UserSnapshot {
  return {
    tenantId: user.tenantId,
    userId: user.id,
    name: user.name,
    email: user.email,
    roles: [...user.roles],
    teamIds: [...teamIds],
    active: user.active,
    locale: user.locale,
    timeZone: user.timeZone,
    seniority: user.seniority ?? '',
    version: BigInt(user.version),
  };
}
