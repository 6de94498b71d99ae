import { Injectable } from '@nestjs/common';

export type HealthStatus = 'up' | 'down';

export interface HealthCheckResult {
  status: HealthStatus;
  details?: Record<string, unknown>;
}

/** Something readiness depends on: the database, the broker, the outbox relay. */
export interface HealthContributor {
  readonly name: string;
  check(): Promise<HealthCheckResult>;
}

/** Modules register what they depend on; `/health/ready` asks every contributor. */
@Injectable()
export class HealthRegistry {
  private readonly contributors = new Map<string, HealthContributor>();

  register(contributor: HealthContributor): void {
    this.contributors.set(contributor.name, contributor);
  }

  list(): HealthContributor[] {
    return [...this.contributors.values()];
  }
}
