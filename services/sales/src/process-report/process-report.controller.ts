import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { ProcessReportDto, ProcessReportQueryDto } from './dto/process-report.dto';
import { ProcessReportService } from './process-report.service';

@ApiTags('reports')
@Controller('reports')
export class ProcessReportController {
  constructor(private readonly report: ProcessReportService) {}

  @Get('process')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Per rep and in total: activities by kind and by opportunity stage, tasks done and overdue, plan completion' })
  @ApiOkResponse({ type: ProcessReportDto })
  process(@Query() query: ProcessReportQueryDto): Promise<ProcessReportDto> {
    return this.report.process(query);
  }
}
