export * from './conditional-requests';
export * from './ids';
export * from './pagination';
export * from './money';
