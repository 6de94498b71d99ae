import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { CustomerMergeDto, CustomerMergePageDto, ListMergesQueryDto, MergeCustomersDto, MergeResultDto, MergeUndoResultDto } from './dto/merge.dto';
import { MergeUndoService } from './merge-undo.service';
import { MergesService } from './merges.service';

/**
 * Merging duplicate customers, the record of merges (the tenant's audit trail of them) and undo. A merge
 * is shown to callers whose scope covers its survivor; others are not found (404).
 */
@ApiTags('customers')
@Controller('customers')
export class MergesController {
  constructor(
    private readonly merges: MergesService,
    private readonly undoing: MergeUndoService,
  ) {}

  @Post('merge')
  @RequirePermissions('customers:write')
  @ApiOperation({ summary: 'Merge up to 10 customers into a survivor (dryRun: only compute the result); emits CustomerMerged' })
  @ApiCreatedResponse({ type: MergeResultDto, description: 'Merged (200 for a dry run)' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid ids or fieldChoices (errors[] per field)' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'A customer does not exist, is deleted or outside your scope' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'customer_already_merged' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'merge_exceeds_limits: a list would get too long; pick one customer\'s with fieldChoices' })
  async merge(@Body() body: MergeCustomersDto, @Res({ passthrough: true }) res: Response): Promise<MergeResultDto> {
    const result = await this.merges.merge(body);
    res.status(result.dryRun ? 200 : 201);
    return result;
  }

  @Get('merges')
  @RequirePermissions('customers:read')
  @ApiOperation({ summary: 'Merges whose survivor is in your scope, newest first; ?customerId= those a customer took part in (also a merged one)' })
  @ApiOkResponse({ type: CustomerMergePageDto })
  list(@Query() query: ListMergesQueryDto): Promise<Page<CustomerMergeDto>> {
    return this.merges.list(query);
  }

  @Get('merges/:id')
  @RequirePermissions('customers:read')
  @ApiOperation({ summary: 'One merge: who merged which customers when, each customer as it was before, and whether it was undone' })
  @ApiOkResponse({ type: CustomerMergeDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  get(@Param('id') id: string): Promise<CustomerMergeDto> {
    return this.merges.get(id);
  }

  @Post('merges/:id/undo')
  @HttpCode(200)
  @RequirePermissions('customers:write')
  @ApiOperation({ summary: 'Restore the customers of a merge as they were before it, while nothing newer depends on it; emits CustomerMergeUndone' })
  @ApiOkResponse({ type: MergeUndoResultDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'merge_not_undoable; errors[] names each reason (already_undone, survivor_changed, merged_customer_changed, external_id_taken, snapshots_erased)' })
  undo(@Param('id') id: string): Promise<MergeUndoResultDto> {
    return this.undoing.undo(id);
  }
}
