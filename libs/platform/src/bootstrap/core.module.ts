import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthGuard } from '../auth/auth.guard';
import type { BaseServiceEnv } from '../config/base-service-env';
import { ServiceConfigModule } from '../config/service-config.module';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { createValidationPipe } from '../errors/validation';
import { HealthModule } from '../health/health.module';
import { ObservabilityModule } from '../observability/observability.module';

/**
 * What every service gets: configuration, health, metrics, problem-details errors, DTO validation and the
 * access guard (routes need a signed-in user unless marked `@Public()`).
 */
@Module({})
export class CoreModule {
  static forRoot(serviceName: string, config: BaseServiceEnv): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [ServiceConfigModule.forRoot(serviceName, config), HealthModule, ObservabilityModule],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
