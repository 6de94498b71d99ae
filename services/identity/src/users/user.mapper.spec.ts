import { create, toJsonString } from '@bufbuild/protobuf';
import { UserDeactivatedSchema } from '@crm/contracts';
import { toTeamDto, toTeamSnapshot } from '../teams/team.mapper';
import type { TeamEntity } from '../teams/team.entity';
import { toUserDto, toUserSnapshot } from './user.mapper';
import type { UserEntity } from './user.entity';

const user: UserEntity = {
  id: '6c9f1a52-3b8e-4d1f-9a0c-2e7b5d4c3a21',
  tenantId: 'f3b2c1d0-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
  name: '韩梅梅',
  email: 'han.meimei@example.cn',
  phone: '+8613812345678',
  locale: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  seniority: null,
  roles: ['rep'],
  active: false,
  passwordHash: 'scrypt$1024$8$1$salt$hash',
  version: 4,
  createdAt: new Date('2025-01-02T03:04:05.006Z'),
  updatedAt: new Date('2025-02-03T04:05:06.007Z'),
  lastLoginAt: null,
};

describe('user mapping', () => {
  it('exposes the profile and never the password hash or tenant internals', () => {
    const dto = toUserDto(user, ['team-1']);

    expect(dto).toEqual({
      id: user.id,
      name: '韩梅梅',
      email: 'han.meimei@example.cn',
      phone: '+8613812345678',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      seniority: null,
      roles: ['rep'],
      active: false,
      teamIds: ['team-1'],
      version: 4,
      createdAt: '2025-01-02T03:04:05.006Z',
      updatedAt: '2025-02-03T04:05:06.007Z',
      lastLoginAt: null,
    });
    expect(JSON.stringify(dto)).not.toContain('scrypt');
  });

  it('builds the identity.user.v1 payload integrators read as proto3 JSON', () => {
    const json = JSON.parse(toJsonString(UserDeactivatedSchema, create(UserDeactivatedSchema, toUserSnapshot(user, ['team-1']))));

    expect(json).toEqual({
      tenantId: user.tenantId,
      userId: user.id,
      name: '韩梅梅',
      email: 'han.meimei@example.cn',
      roles: ['rep'],
      teamIds: ['team-1'],
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      version: '4',
    });
  });
});

describe('team mapping', () => {
  const team: TeamEntity = {
    id: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
    tenantId: user.tenantId,
    name: '华东一组',
    managerId: user.id,
    version: 2,
    createdAt: new Date('2025-01-01T00:00:00.000Z'),
    updatedAt: new Date('2025-01-02T00:00:00.000Z'),
  };

  it('lists members with the team and in its event', () => {
    expect(toTeamDto(team, [user.id])).toMatchObject({ id: team.id, name: '华东一组', managerId: user.id, memberIds: [user.id], version: 2 });
    expect(toTeamSnapshot(team, [user.id])).toEqual({ tenantId: team.tenantId, teamId: team.id, name: '华东一组', managerId: user.id, memberIds: [user.id], version: 2n });
  });
});
