/**
 * Accounts: types (BIP44/49/84/86), extended keys (SLIP-132), watch-only address derivation,
 * output descriptors (BIP380-386, BIP389 multipath) and gap limits. Pure functions: no I/O.
 */
export * from './types';
export * from './paths';
export * from './gap-limits';
export * from './extended-keys';
export * from './checksum';
export * from './descriptors';
export * from './addresses';
export * from './account';
