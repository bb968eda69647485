export * from './service';
export * from './errors';
export * from './fees';
export * from './coin-select';
export * from './size';
export * from './message';
export { exportPsbt, importPsbt, RBF_SEQUENCE } from './psbt';
