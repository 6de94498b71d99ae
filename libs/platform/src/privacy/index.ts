export * from './personal-data-holder';
export * from './personal-data-holders.provider';
