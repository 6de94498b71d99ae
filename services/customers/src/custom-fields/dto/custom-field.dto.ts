import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { CUSTOM_FIELD_KEY_PATTERN, CUSTOM_FIELD_TYPES, type CustomFieldType } from '../custom-field-validation';

export const LABEL_MAX_LENGTH = 100;
export const MAX_OPTIONS = 200;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const trimEach = ({ value }: { value: unknown }): unknown => (Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.trim() : item)) : value);

export class CreateCustomFieldDto {
  @ApiProperty({ example: 'contract_level', description: 'Property name in `customFields`: lower-case letters, digits and _, starting with a letter' })
  @IsString()
  @Matches(CUSTOM_FIELD_KEY_PATTERN, { message: 'key must start with a lower-case letter and contain only a-z, 0-9 and _ (at most 63 characters)' })
  key!: string;

  @ApiProperty({ example: '合同等级', maxLength: LABEL_MAX_LENGTH })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(LABEL_MAX_LENGTH)
  label!: string;

  @ApiProperty({ enum: CUSTOM_FIELD_TYPES })
  @IsIn(CUSTOM_FIELD_TYPES)
  type!: CustomFieldType;

  @ApiPropertyOptional({ type: [String], example: ['金牌', '银牌', '铜牌'], description: 'The allowed values; required for select, not allowed otherwise' })
  @ValidateIf((dto: CreateCustomFieldDto) => dto.type === 'select' || dto.options !== undefined)
  @Transform(trimEach)
  @IsArray()
  @ArrayNotEmpty({ message: 'options must list the allowed values of a select field' })
  @ArrayMaxSize(MAX_OPTIONS)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(LABEL_MAX_LENGTH, { each: true })
  options?: string[];

  @ApiPropertyOptional({ default: false, description: 'Every customer created or edited afterwards must have a value' })
  @IsOptional()
  @IsBoolean()
  required?: boolean;
}

export class CustomFieldDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'contract_level' })
  key!: string;

  @ApiProperty({ example: '合同等级' })
  label!: string;

  @ApiProperty({ enum: CUSTOM_FIELD_TYPES })
  type!: string;

  @ApiProperty({ type: [String] })
  options!: string[];

  @ApiProperty()
  required!: boolean;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class CustomFieldListDto {
  @ApiProperty({ type: [CustomFieldDto] })
  items!: CustomFieldDto[];
}
