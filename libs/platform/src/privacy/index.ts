export * from './personal-data-holder';
export * from './personal-data-holders.provider';
export * from './personal-data-run';
