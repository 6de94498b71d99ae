import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, ArrayUnique, IsDate, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, MinDate } from 'class-validator';
import { ROLES, type Role } from '@crm/platform/auth';
import { Trim } from '../../common/validators';

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ERP sync' })
  name!: string;

  @ApiProperty({ example: 'crm_3f9a1c0b7d2e4f68', description: 'The start of the key, to tell keys apart; not usable by itself' })
  prefix!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: string[];

  @ApiProperty({ format: 'uuid', description: 'The user the key acts as' })
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expiresAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Updated at most once a minute' })
  lastUsedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'crm_3f9a1c0b7d2e4f68_Jv0…', description: 'The key; shown only in this response. Send it as X-API-Key.' })
  key!: string;
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto] })
  items!: ApiKeyDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;

  @ApiPropertyOptional()
  total?: number;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ERP sync', maxLength: 100 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true, description: 'Some of your roles (any roles if you hold roles:assign); all of yours when absent' })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ format: 'date-time', description: 'The key stops working at this time; never when absent' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;
}

export class VerifyApiKeyDto {
  @ApiProperty({ description: 'The full key, as the client sent it in X-API-Key' })
  @IsString()
  @MaxLength(200)
  key!: string;
}

/** Who a valid key acts for: the gateway forwards this as the request's identity. */
export class VerifiedApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ format: 'uuid', description: 'The key (its id in /api-keys), for per-key rate limits' })
  keyId!: string;

  @ApiProperty({ enum: ROLES, isArray: true, description: "The key's roles that its user could still grant it" })
  roles!: string[];

  @ApiProperty({ type: [String] })
  teamIds!: string[];
}
