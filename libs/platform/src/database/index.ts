export * from './request-context';
export * from './data-source.factory';
export * from './database.module';
export * from './database.health';
export * from './embedded-postgres';
export * from './tenant-scope';
export * from './tenant-transactions';
export * from './unique-violation';
