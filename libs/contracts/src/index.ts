export * from './event-contract';
export * from './gen';
