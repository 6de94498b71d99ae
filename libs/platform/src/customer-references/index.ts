export * from './customer-references';
