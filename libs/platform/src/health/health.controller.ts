import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import type { Response } from 'express';
import { ReadinessService, type ReadinessReport } from './readiness.service';

/** Probes for orchestrators; outside /api/v1 and out of the public API document. */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** The process is running and serving HTTP. */
  @Get('live')
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  /** Every dependency answered: 200 with the checks, else 503 with the same body. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    const report = await this.readiness.check();
    res.status(report.status === 'up' ? 200 : 503).setHeader('cache-control', 'no-store');
    return report;
  }
}
