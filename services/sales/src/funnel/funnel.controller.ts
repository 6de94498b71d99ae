import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { FunnelQueryDto, FunnelReportDto } from './dto/funnel.dto';
import { FunnelService } from './funnel.service';

@ApiTags('reports')
@Controller('reports')
export class FunnelController {
  constructor(private readonly funnel: FunnelService) {}

  @Get('funnel')
  @RequirePermissions('sales:read')
  @ApiOperation({
    summary: 'Pipeline funnel of the opportunities opened in [from, to): per stage count, amount, weighted amount, conversion to a later stage, average days; win rate, cycle time',
  })
  @ApiOkResponse({ type: FunnelReportDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such pipeline' })
  report(@Query() query: FunnelQueryDto): Promise<FunnelReportDto> {
    return this.funnel.report(query);
  }
}
