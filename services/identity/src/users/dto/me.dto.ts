import { ApiProperty } from '@nestjs/swagger';
import { PERMISSIONS, ROLES } from '@crm/platform/auth';
import { UserDto } from './user.dto';

export class MeTenantDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '上海示例贸易有限公司' })
  name!: string;
}

export class MeTeamDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'uuid' })
  managerId!: string;

  @ApiProperty({ description: 'Whether you manage this team' })
  manages!: boolean;
}

export class MeDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ type: MeTenantDto })
  tenant!: MeTenantDto;

  @ApiProperty({ enum: ROLES, isArray: true, description: 'The roles this request acts with (an API key may have fewer than the user)' })
  roles!: string[];

  @ApiProperty({ enum: PERMISSIONS, isArray: true, description: 'What those roles allow' })
  permissions!: string[];

  @ApiProperty({ type: [MeTeamDto] })
  teams!: MeTeamDto[];
}
