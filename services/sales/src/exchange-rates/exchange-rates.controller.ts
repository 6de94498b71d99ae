import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { ExchangeRateDto, ExchangeRateListDto, ExchangeRateValueDto, ListExchangeRatesQueryDto, PutExchangeRateDto, SalesSettingsDto, UpdateSalesSettingsDto } from './dto/exchange-rate.dto';
import { ExchangeRatesService } from './exchange-rates.service';

/** Exchange rates to the tenant's reporting currency, used by every sales report. */
@ApiTags('exchange-rates')
@Controller('exchange-rates')
export class ExchangeRatesController {
  constructor(private readonly service: ExchangeRatesService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'The reporting currency and every rate to it, by currency and validFrom (with the day the next rate takes over)' })
  @ApiOkResponse({ type: ExchangeRateListDto })
  list(@Query() query: ListExchangeRatesQueryDto): Promise<ExchangeRateListDto> {
    return this.service.list(query.currency);
  }

  @Post()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Set the rate of a currency from a day on (creates it, or replaces the rate of that currency and day)' })
  @ApiOkResponse({ type: ExchangeRateDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'A rate for the reporting currency itself, or not a real date' })
  async post(@Body() body: PutExchangeRateDto, @Res({ passthrough: true }) res: Response): Promise<ExchangeRateDto> {
    const { rate, created } = await this.service.put(body);
    res.status(created ? 201 : 200);
    return rate;
  }

  @Put(':currency/:validFrom')
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Set the rate of a currency valid from a day (idempotent; 201 when new, 200 when replaced)' })
  @ApiOkResponse({ type: ExchangeRateDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto })
  async put(@Param('currency') currency: string, @Param('validFrom') validFrom: string, @Body() body: ExchangeRateValueDto, @Res({ passthrough: true }) res: Response): Promise<ExchangeRateDto> {
    const input = Object.assign(new PutExchangeRateDto(), { currency, validFrom, rate: body.rate });
    const { rate, created } = await this.service.put(input);
    res.status(created ? 201 : 200);
    return rate;
  }

  @Delete(':currency/:validFrom')
  @HttpCode(204)
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Remove a rate; the previous rate of the currency then stays valid' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  remove(@Param('currency') currency: string, @Param('validFrom') validFrom: string): Promise<void> {
    return this.service.remove(currency, validFrom);
  }
}

/** Order-to-cash settings of the tenant: reporting currency and renewal reminder period. */
@ApiTags('exchange-rates')
@Controller('sales-settings')
export class SalesSettingsController {
  constructor(private readonly service: ExchangeRatesService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Reporting currency (default CNY) and renewal reminder days (default 30)' })
  @ApiOkResponse({ type: SalesSettingsDto })
  async get(@Res({ passthrough: true }) res: Response): Promise<SalesSettingsDto> {
    const settings = await this.service.settings();
    res.setHeader('etag', etagOf(settings.version));
    return settings;
  }

  @Put()
  @RequirePermissions('sales:configure')
  @ApiOperation({ summary: 'Change the reporting currency or the renewal reminder days; rates entered for another reporting currency stop applying' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: SalesSettingsDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async put(@Body() body: UpdateSalesSettingsDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<SalesSettingsDto> {
    const settings = await this.service.updateSettings(body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(settings.version));
    return settings;
  }
}
