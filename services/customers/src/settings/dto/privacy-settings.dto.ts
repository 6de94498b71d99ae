import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsOptional, Matches, Min, ValidateNested } from 'class-validator';
import { CUSTOM_FIELD_KEY_PATTERN } from '../../custom-fields/custom-field-validation';

/** As many as a tenant can define (MAX_CUSTOM_FIELDS). */
const MAX_NOT_COLLECTED_CUSTOM_FIELDS = 200;

export class CollectedFieldsDto {
  @ApiProperty({ description: 'National ID (resident ID or unified social credit code)' })
  nationalId!: boolean;

  @ApiProperty()
  bankAccount!: boolean;

  @ApiProperty()
  wechatIds!: boolean;

  @ApiProperty()
  addresses!: boolean;
}

export class PrivacySettingsDto {
  @ApiProperty({ type: CollectedFieldsDto, description: 'false: customer writes carrying a value for the field are refused (400 field_collection_disabled)' })
  collect!: CollectedFieldsDto;

  @ApiProperty({ type: [String], example: ['birthday'], description: 'Custom fields the tenant does not collect' })
  notCollectedCustomFields!: string[];

  @ApiProperty({ description: '0 until the settings are first changed; send it as If-Match' })
  version!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  updatedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  updatedBy!: string | null;
}

export class CollectedFieldsInputDto {
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  nationalId?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  bankAccount?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  wechatIds?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  addresses?: boolean;
}

/** PUT replaces the settings: a field left out is collected, a custom field not listed is collected. */
export class UpdatePrivacySettingsDto {
  @ApiPropertyOptional({ type: CollectedFieldsInputDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CollectedFieldsInputDto)
  collect?: CollectedFieldsInputDto;

  @ApiPropertyOptional({ type: [String], example: ['birthday'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_NOT_COLLECTED_CUSTOM_FIELDS)
  @ArrayUnique()
  @Matches(CUSTOM_FIELD_KEY_PATTERN, { each: true, message: 'each of notCollectedCustomFields must be a custom field key (a-z, 0-9 and _, starting with a letter)' })
  notCollectedCustomFields?: string[];

  @ApiPropertyOptional({ description: 'The version you read, instead of If-Match' })
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;
}
