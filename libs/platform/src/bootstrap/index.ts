export * from './service-definition';
export * from './openapi';
export * from './core.module';
export * from './http-pipeline';
export * from './graceful-shutdown';
export * from './create-service';
export * from './run-service-process';
