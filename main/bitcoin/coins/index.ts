export * from './service';
export * from './errors';
export * from './bip329';
export * from './csv';
export * from './fee';
