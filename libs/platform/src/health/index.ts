export * from './health-registry';
export * from './readiness.service';
export * from './health.controller';
export * from './health.module';
