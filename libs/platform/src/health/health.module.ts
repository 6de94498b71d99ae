import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health-registry';
import { ReadinessService } from './readiness.service';

/** Global so any module (database, messaging, gateway upstreams) can register what readiness depends on. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [HealthRegistry, ReadinessService],
  exports: [HealthRegistry],
})
export class HealthModule {}
