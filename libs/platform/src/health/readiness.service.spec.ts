import { loadConfig } from '../config/load-config';
import { BaseServiceEnv } from '../config/base-service-env';
import { HealthRegistry, type HealthContributor } from './health-registry';
import { ReadinessService } from './readiness.service';

function contributor(name: string, check: HealthContributor['check']): HealthContributor {
  return { name, check };
}

describe('ReadinessService', () => {
  const config = loadConfig(BaseServiceEnv, { HEALTH_CHECK_TIMEOUT_MS: '50', INTERNAL_AUTH_SECRET: 's'.repeat(32) });

  it('is up with no contributors', async () => {
    await expect(new ReadinessService(new HealthRegistry(), config).check()).resolves.toEqual({ status: 'up', checks: {} });
  });

  it('is down when any check is down, throws or does not answer in time, and reports each check', async () => {
    const registry = new HealthRegistry();
    registry.register(contributor('database', async () => ({ status: 'up' })));
    registry.register(contributor('broker', async () => ({ status: 'down', details: { brokers: 0 } })));
    registry.register(contributor('relay', () => Promise.reject(new Error('advisory lock lost'))));
    registry.register(contributor('stuck', () => new Promise(() => undefined)));

    const startedAt = Date.now();
    const report = await new ReadinessService(registry, config).check();

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(report.status).toBe('down');
    expect(report.checks.database.status).toBe('up');
    expect(report.checks.broker).toMatchObject({ status: 'down', details: { brokers: 0 } });
    expect(report.checks.relay).toMatchObject({ status: 'down', details: { error: 'advisory lock lost' } });
    expect(report.checks.stuck).toMatchObject({ status: 'down', details: { error: 'no answer within 50 ms' } });
  });

  it('runs the checks in parallel', async () => {
    const registry = new HealthRegistry();
    const slowUp = async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { status: 'up' as const };
    };
    for (const name of ['a', 'b', 'c', 'd']) registry.register(contributor(name, slowUp));

    const startedAt = Date.now();
    const report = await new ReadinessService(registry, config).check();

    expect(report.status).toBe('up');
    expect(Date.now() - startedAt).toBeLessThan(100);
  });
});
