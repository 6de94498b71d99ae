import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { etagOf, expectedVersion, type Page } from '@crm/platform/api';
import {
  CreateTemplateDto,
  ListTemplatesQueryDto,
  PreviewTemplateDto,
  PublishedTemplateVersionDto,
  TemplateDto,
  TemplatePageDto,
  TemplatePreviewDto,
  UpdateTemplateDto,
} from './dto/template.dto';
import { TemplatesService } from './templates.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the template changed since' };

/** Communication templates and call scripts of the tenant, in zh-CN and en. */
@ApiTags('templates')
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Templates, newest first' })
  @ApiOkResponse({ type: TemplatePageDto })
  list(@Query() query: ListTemplatesQueryDto): Promise<Page<TemplateDto>> {
    return this.templates.list(query);
  }

  @Post()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Create a template (draft); every {{placeholder}} must be a declared variable' })
  @ApiCreatedResponse({ type: TemplateDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'the name is taken' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'undeclared variables in the text (listed)' })
  async create(@Body() body: CreateTemplateDto, @Res({ passthrough: true }) res: Response): Promise<TemplateDto> {
    const template = await this.templates.create(body);
    res.setHeader('etag', etagOf(template.version));
    return template;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'A template (working copy)' })
  @ApiOkResponse({ type: TemplateDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<TemplateDto> {
    const template = await this.templates.get(id);
    res.setHeader('etag', etagOf(template.version));
    return template;
  }

  @Patch(':id')
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Change the working copy; publish to make it the version reps and marketing use' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: TemplateDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateTemplateDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TemplateDto> {
    const { version, ...changes } = body;
    const template = await this.templates.update(id, changes, expectedVersion(ifMatch, version));
    res.setHeader('etag', etagOf(template.version));
    return template;
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Publish the working copy as the next version; emits TemplatePublished (sales.template.v1)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: TemplateDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async publish(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<TemplateDto> {
    const template = await this.templates.publish(id, expectedVersion(ifMatch, undefined));
    res.setHeader('etag', etagOf(template.version));
    return template;
  }

  @Get(':id/versions')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Published versions, newest first' })
  @ApiOkResponse({ type: [PublishedTemplateVersionDto] })
  versions(@Param('id') id: string): Promise<PublishedTemplateVersionDto[]> {
    return this.templates.versions(id);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Render a locale with variable values; a placeholder without a value is 422 unless allowMissing renders it empty' })
  @ApiOkResponse({ type: TemplatePreviewDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'missing or undeclared variables, or no variant in that locale' })
  preview(@Param('id') id: string, @Body() body: PreviewTemplateDto): Promise<TemplatePreviewDto> {
    return this.templates.preview(id, body);
  }
}
