import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto, type Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { CreateLeadFormDto, LeadFormDto, LeadFormPageDto } from './dto/lead-form.dto';
import { LeadFormsService } from './lead-forms.service';

/** The tenant's public web forms (their keys are the public URLs). */
@ApiTags('leads')
@Controller('lead-forms')
export class LeadFormsController {
  constructor(private readonly forms: LeadFormsService) {}

  @Post()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Create a public web form; its random formKey goes into POST /api/v1/public/forms/{formKey}/submissions' })
  @ApiCreatedResponse({ type: LeadFormDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiForbiddenResponse({ type: ProblemDetailsDto, description: 'Needs sales:configure' })
  create(@Body() body: CreateLeadFormDto): Promise<LeadFormDto> {
    return this.forms.create(body);
  }

  @Get()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: "The tenant's web forms, newest first" })
  @ApiOkResponse({ type: LeadFormPageDto })
  list(@Query() query: PageQueryDto): Promise<Page<LeadFormDto>> {
    return this.forms.list(query);
  }
}
