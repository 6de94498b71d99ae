export * from './trace-context';
export * from './request-context.middleware';
export * from './logger';
export * from './nest-logger.adapter';
export * from './route-template';
export * from './http-metrics';
export * from './http-telemetry.middleware';
export * from './metrics.controller';
export * from './observability.module';
// Re-exported so the gateway can read the request context without loading the database layer.
export { currentContext, runWithContext, type RequestContext } from '../database/request-context';
