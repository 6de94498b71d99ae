import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { PaymentForecastDto, PaymentForecastQueryDto } from './dto/payment-forecast.dto';
import { PaymentForecastService } from './payment-forecast.service';

/** Cash expected from contracts' payment schedules, in the caller's ownership scope. */
@ApiTags('reports')
@Controller('reports')
export class PaymentForecastController {
  constructor(private readonly forecast: PaymentForecastService) {}

  @Get('payment-forecast')
  @RequirePermissions('sales:read')
  @ApiOperation({
    summary:
      'Expected receipts by due month (open instalment amounts, from..to), overdue amounts by days past due (1-30, 31-60, 61-90, 90+) with the oldest instalments, per owner; in the reporting currency',
  })
  @ApiOkResponse({ type: PaymentForecastDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  report(@Query() query: PaymentForecastQueryDto): Promise<PaymentForecastDto> {
    return this.forecast.report(query);
  }
}
