export * from './base-service-env';
export * from './config-error';
export * from './env-decorators';
export * from './load-config';
export * from './service-config.module';
