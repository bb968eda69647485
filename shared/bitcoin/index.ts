export * from './address';
export * from './uri';
