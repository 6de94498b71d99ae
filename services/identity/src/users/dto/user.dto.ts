import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '@crm/platform/auth';
import { LOCALES, SENIORITY_LEVELS } from '../user-fields';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '李雷' })
  name!: string;

  @ApiProperty({ example: 'li.lei@example.cn' })
  email!: string;

  @ApiProperty({ nullable: true, type: String, example: '+8613812345678', description: 'E.164' })
  phone!: string | null;

  @ApiProperty({ enum: LOCALES })
  locale!: string;

  @ApiProperty({ example: 'Asia/Shanghai', description: 'IANA time zone' })
  timeZone!: string;

  @ApiProperty({ enum: SENIORITY_LEVELS, nullable: true })
  seniority!: string | null;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: string[];

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ type: [String], description: 'Teams the user is a member of' })
  teamIds!: string[];

  @ApiProperty({ description: 'Send as If-Match (or `version`) to update only this version' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastLoginAt!: string | null;
}

export class CreatedUserDto extends UserDto {
  @ApiPropertyOptional({ description: 'Generated when the request gave no password; shown only in this response' })
  initialPassword?: string;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] })
  items!: UserDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}
