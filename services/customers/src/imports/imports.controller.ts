import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { IMPORT_UPLOAD_SCHEMA, ImportJobDto, ImportJobPageDto, ListImportsQueryDto } from './dto/import.dto';
import { ImportsService } from './imports.service';

/**
 * Imports of customers from CSV files, run in the background. A job is seen by the user who started it
 * and by admins; for anyone else it does not exist (404).
 */
@ApiTags('customers')
@Controller('customers/imports')
@RequirePermissions('customers:write', 'customers:import')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Import customers from a CSV file (UTF-8 or GBK) in the background; poll the job it returns' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: IMPORT_UPLOAD_SCHEMA })
  @ApiAcceptedResponse({ type: ImportJobDto, description: 'The job; its progress at links.self' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'errors[] lists every problem of the mapping and options at once' })
  @ApiPayloadTooLargeResponse({ type: ProblemDetailsDto, description: 'The file is over CUSTOMERS_IMPORT_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ type: ProblemDetailsDto, description: 'Not multipart/form-data' })
  async start(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ImportJobDto> {
    const job = await this.imports.start(req, res);
    res.setHeader('location', job.links.self);
    return job;
  }

  @Get()
  @ApiOperation({ summary: 'Import jobs, newest first: yours, or the tenant’s for an admin' })
  @ApiOkResponse({ type: ImportJobPageDto })
  list(@Query() query: ListImportsQueryDto): Promise<Page<ImportJobDto>> {
    return this.imports.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status, progress (rows read, rows/s, percent read and applied) and counts of an import' })
  @ApiOkResponse({ type: ImportJobDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  get(@Param('id') id: string): Promise<ImportJobDto> {
    return this.imports.get(id);
  }

  @Get(':id/errors.csv')
  @ApiOperation({ summary: 'The rejected rows with their reasons, as CSV (UTF-8 with BOM, opens in Excel)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'row, reasons, then the row’s cells under the file’s header', schema: { type: 'string' } })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async errors(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.imports.writeErrors(id, res);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Stop an import between two of its steps; what it applied stays applied' })
  @ApiAcceptedResponse({ type: ImportJobDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'The import has finished' })
  cancel(@Param('id') id: string): Promise<ImportJobDto> {
    return this.imports.cancel(id);
  }
}
