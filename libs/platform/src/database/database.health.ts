import type { DataSource } from 'typeorm';
import type { HealthCheckResult, HealthContributor } from '../health/health-registry';

export class DatabaseHealth implements HealthContributor {
  readonly name = 'database';

  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<HealthCheckResult> {
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', details: { error: (error as Error).message } };
    }
  }
}
