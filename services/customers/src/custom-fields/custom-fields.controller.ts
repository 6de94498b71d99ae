import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { CustomFieldsService } from './custom-fields.service';
import { CreateCustomFieldDto, CustomFieldDto, CustomFieldListDto } from './dto/custom-field.dto';

/** The tenant's own customer fields; every customer write is checked against them. */
@ApiTags('custom-fields')
@Controller('custom-fields')
export class CustomFieldsController {
  constructor(private readonly customFields: CustomFieldsService) {}

  @Get()
  @RequirePermissions('customers:read')
  @ApiOperation({ summary: "The tenant's custom customer fields, oldest first" })
  @ApiOkResponse({ type: CustomFieldListDto })
  async list(): Promise<CustomFieldListDto> {
    return { items: await this.customFields.list() };
  }

  @Post()
  @RequirePermissions('custom-fields:manage')
  @ApiOperation({ summary: 'Define a custom field (text, number, date or select)' })
  @ApiCreatedResponse({ type: CustomFieldDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'The key is taken' })
  create(@Body() body: CreateCustomFieldDto): Promise<CustomFieldDto> {
    return this.customFields.create(body);
  }
}
