import { Injectable } from '@nestjs/common';
import { BaseServiceEnv } from '../config/base-service-env';
import { HealthRegistry, type HealthContributor, type HealthStatus } from './health-registry';

export interface CheckReport {
  status: HealthStatus;
  durationMs: number;
  details?: Record<string, unknown>;
}

export interface ReadinessReport {
  status: HealthStatus;
  checks: Record<string, CheckReport>;
}

/**
 * Asks every contributor at once. A check that throws or does not answer within the timeout counts as
 * down, so a stuck dependency makes the service unready instead of making the probe hang.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly config: BaseServiceEnv,
  ) {}

  async check(): Promise<ReadinessReport> {
    const contributors = this.registry.list();
    const reports = await Promise.all(contributors.map((contributor) => runCheck(contributor, this.config.HEALTH_CHECK_TIMEOUT_MS)));
    const checks = Object.fromEntries(contributors.map((contributor, index) => [contributor.name, reports[index]]));
    const status = reports.every((report) => report.status === 'up') ? 'up' : 'down';
    return { status, checks };
  }
}

async function runCheck(contributor: HealthContributor, timeoutMs: number): Promise<CheckReport> {
  const startedAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckReport>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'down', durationMs: timeoutMs, details: { error: `no answer within ${timeoutMs} ms` } }), timeoutMs);
  });
  const checked = contributor.check().then(
    (result): CheckReport => ({ status: result.status, durationMs: elapsed(startedAt), ...(result.details ? { details: result.details } : {}) }),
    (error: unknown): CheckReport => ({ status: 'down', durationMs: elapsed(startedAt), details: { error: error instanceof Error ? error.message : String(error) } }),
  );
  try {
    return await Promise.race([checked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}
