export * from './auth';
export * from './bootstrap';
export * from './config';
export * from './database';
export * from './errors';
export * from './health';
export * from './messaging';
export * from './observability';
