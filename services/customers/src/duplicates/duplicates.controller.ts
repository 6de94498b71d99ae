import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { DuplicatesService } from './duplicates.service';
import { DuplicatePairDto, DuplicatePairPageDto, DuplicateScanDto, ListDuplicatesQueryDto } from './dto/duplicate.dto';

/**
 * Possible duplicate customers: pairs found on create, batch and full scans. A pair is listed when the
 * caller may see both of its customers; others are not found (404).
 */
@ApiTags('customers')
@Controller('customers/duplicates')
export class DuplicatesController {
  constructor(private readonly duplicates: DuplicatesService) {}

  @Get()
  @RequirePermissions('customers:read')
  @ApiOperation({ summary: 'Possible duplicate pairs in your scope, highest score first; filters minScore and status (default open)' })
  @ApiOkResponse({ type: DuplicatePairPageDto })
  list(@Query() query: ListDuplicatesQueryDto): Promise<Page<DuplicatePairDto>> {
    return this.duplicates.list(query);
  }

  @Post('scan')
  @HttpCode(202)
  @RequirePermissions('customers:delete')
  @ApiOperation({ summary: "Scan all of the tenant's customers for duplicates in the background; progress at /customers/duplicates/scans/{id}" })
  @ApiAcceptedResponse({ type: DuplicateScanDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'A scan is already running' })
  scan(): Promise<DuplicateScanDto> {
    return this.duplicates.startScan();
  }

  @Get('scans/:id')
  @RequirePermissions('customers:delete')
  @ApiOperation({ summary: 'Progress of a duplicate scan (customers scanned, pairs found)' })
  @ApiOkResponse({ type: DuplicateScanDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  getScan(@Param('id') id: string): Promise<DuplicateScanDto> {
    return this.duplicates.getScan(id);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @RequirePermissions('customers:write')
  @ApiOperation({ summary: 'Not a duplicate: the pair is dismissed and not reported again' })
  @ApiOkResponse({ type: DuplicatePairDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  dismiss(@Param('id') id: string): Promise<DuplicatePairDto> {
    return this.duplicates.dismiss(id);
  }
}
