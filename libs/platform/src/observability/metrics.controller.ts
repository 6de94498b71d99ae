import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import { register } from 'prom-client';

/** Prometheus scrape endpoint; outside /api/v1 and out of the public API document. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', register.contentType)
  @Header('cache-control', 'no-store')
  scrape(): Promise<string> {
    return register.metrics();
  }
}
