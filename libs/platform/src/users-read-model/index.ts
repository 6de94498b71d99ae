export * from './user-snapshot';
export * from './users-read-model';
export * from './user.entity';
