export * from './internal-credential';
export * from './internal-credential.gate';
export * from './roles';
export * from './principal';
export * from './decorators';
export * from './auth.guard';
export * from './ownership-scope';
export * from './access-token-claims';
