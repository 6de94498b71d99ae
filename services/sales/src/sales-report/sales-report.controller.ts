import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { SalesReportDto, SalesReportQueryDto } from './dto/sales-report.dto';
import { SalesReportService } from './sales-report.service';

/** Sales and financial analysis over orders in the caller's ownership scope. */
@ApiTags('reports')
@Controller('reports')
export class SalesReportController {
  constructor(private readonly report: SalesReportService) {}

  @Get('sales')
  @RequirePermissions('sales:read')
  @ApiOperation({
    summary:
      'Revenue, orders, average deal size and margin (where unit cost is known) of a period by owner, team, product, region or partner, in the reporting currency (exchange rate of each order day); amounts without a rate are listed per currency',
  })
  @ApiOkResponse({ type: SalesReportDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  sales(@Query() query: SalesReportQueryDto): Promise<SalesReportDto> {
    return this.report.sales(query);
  }
}
