export * from './domain-error';
export * from './standard-errors';
export * from './body-parser-errors';
export * from './problem-details';
export * from './problem-mapper';
export * from './problem-response';
export * from './problem-details.filter';
export * from './validation';
