import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '@crm/platform/auth';
import { IsAcceptablePassword, IsPhone, IsTimeZone, Trim } from '../../common/validators';
import { LOCALES, SENIORITY_LEVELS, type Locale, type Seniority } from '../user-fields';
import { PageQueryDto, toBoolean } from '@crm/platform/api';

export const NAME_MAX_LENGTH = 200;
export const EMAIL_MAX_LENGTH = 254;

export class CreateUserDto {
  @ApiProperty({ example: '韩梅梅', maxLength: NAME_MAX_LENGTH })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name!: string;

  @ApiProperty({ example: 'han.meimei@example.cn', description: 'Sign-in address; unique across all tenants' })
  @Trim()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @ApiPropertyOptional({ description: 'At least 10 characters mixing two kinds; a strong one is generated when absent' })
  @IsOptional()
  @IsAcceptablePassword()
  password?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true, default: ['rep'], description: 'Anything but the default needs roles:assign' })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ example: '+8613812345678' })
  @IsOptional()
  @IsPhone()
  phone?: string;

  @ApiPropertyOptional({ enum: LOCALES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', default: 'Asia/Shanghai' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ enum: SENIORITY_LEVELS })
  @IsOptional()
  @IsIn(SENIORITY_LEVELS)
  seniority?: Seniority;
}

/**
 * Anyone may change their own name, phone, locale and time zone; everything else, and other users,
 * need users:write, and roles need roles:assign.
 */
export class UpdateUserDto {
  @ApiPropertyOptional({ maxLength: NAME_MAX_LENGTH })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'null removes it' })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsPhone()
  phone?: string | null;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ enum: SENIORITY_LEVELS, nullable: true })
  @ValidateIf((_dto, value) => value !== undefined && value !== null)
  @IsIn(SENIORITY_LEVELS)
  seniority?: Seniority | null;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ description: 'false deactivates: signs the user out everywhere and revokes their API keys' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'Alternative to If-Match: update only if the user is still at this version' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name or e-mail address, any case' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME_MAX_LENGTH)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  teamId?: string;
}
