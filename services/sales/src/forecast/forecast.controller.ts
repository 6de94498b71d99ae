import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { ForecastQueryDto, ForecastReportDto } from './dto/forecast.dto';
import { ForecastService } from './forecast.service';

@ApiTags('reports')
@Controller('reports')
export class ForecastController {
  constructor(private readonly forecast: ForecastService) {}

  @Get('forecast')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Forecast of a period by owner and team: closed won, commit, best case, weighted pipeline against quota, with attainment' })
  @ApiOkResponse({ type: ForecastReportDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  report(@Query() query: ForecastQueryDto): Promise<ForecastReportDto> {
    return this.forecast.report(query);
  }
}
