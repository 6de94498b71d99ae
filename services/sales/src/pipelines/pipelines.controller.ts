import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion, PageQueryDto, type Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { CreatePipelineDto, PipelineDto, PipelinePageDto, UpdatePipelineDto } from './dto/pipeline.dto';
import { PipelinesService } from './pipelines.service';

/** Pipelines and their stages: everyone selling reads them, sales:configure changes them. */
@ApiTags('pipelines')
@Controller('pipelines')
export class PipelinesController {
  constructor(private readonly pipelines: PipelinesService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: "The tenant's pipelines, oldest first; the default one (初步接触 → 需求确认 → 方案报价 → 合同签订) is created on first use" })
  @ApiOkResponse({ type: PipelinePageDto })
  list(@Query() query: PageQueryDto): Promise<Page<PipelineDto>> {
    return this.pipelines.list(query);
  }

  @Post()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Create a pipeline with its open stages (won and lost are added)' })
  @ApiCreatedResponse({ type: PipelineDto })
  async create(@Body() body: CreatePipelineDto, @Res({ passthrough: true }) res: Response): Promise<PipelineDto> {
    const pipeline = await this.pipelines.create(body);
    res.setHeader('etag', etagOf(pipeline.version));
    return pipeline;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'A pipeline with its stages' })
  @ApiOkResponse({ type: PipelineDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<PipelineDto> {
    const pipeline = await this.pipelines.get(id);
    res.setHeader('etag', etagOf(pipeline.version));
    return pipeline;
  }

  @Patch(':id')
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Rename, re-stage (stages matched by key) or make default; removing a stage opportunities are in is 409' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the pipeline changed since' })
  @ApiOkResponse({ type: PipelineDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'A removed stage still holds opportunities' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(@Param('id') id: string, @Body() body: UpdatePipelineDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<PipelineDto> {
    const pipeline = await this.pipelines.update(id, body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(pipeline.version));
    return pipeline;
  }
}
