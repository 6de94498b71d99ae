import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BaseServiceEnv } from '@crm/platform/config';
import { HealthRegistry, type HealthCheckResult, type HealthContributor } from '@crm/platform/health';
import { UpstreamRegistry, type Upstream } from './upstream-registry';

/** An upstream is ready when its own `/health/ready` answers 200. */
class UpstreamReadiness implements HealthContributor {
  readonly name: string;

  constructor(
    private readonly upstream: Upstream,
    private readonly timeoutMs: number,
  ) {
    this.name = `upstream:${upstream.service}`;
  }

  async check(): Promise<HealthCheckResult> {
    const details: Record<string, unknown> = { url: this.upstream.url };
    try {
      const response = await this.upstream.pool.request({
        method: 'GET',
        path: `${this.upstream.basePath}/health/ready`,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      details.statusCode = response.statusCode;
      const report = await response.body.json().catch(() => undefined);
      if (response.statusCode === 200) return { status: 'up', details };
      return { status: 'down', details: { ...details, report } };
    } catch (error) {
      return { status: 'down', details: { ...details, error: error instanceof Error ? error.message : String(error) } };
    }
  }
}

/** The gateway is ready only when every deployed service is. */
@Injectable()
export class UpstreamHealthRegistrar implements OnModuleInit {
  constructor(
    private readonly upstreams: UpstreamRegistry,
    private readonly health: HealthRegistry,
    private readonly config: BaseServiceEnv,
  ) {}

  onModuleInit(): void {
    // Leave a margin so the upstream's own timeout is reported rather than the registry's generic one.
    const timeoutMs = Math.max(this.config.HEALTH_CHECK_TIMEOUT_MS - 250, 100);
    for (const upstream of this.upstreams.list()) this.health.register(new UpstreamReadiness(upstream, timeoutMs));
  }
}
