/**
 * Pure-JavaScript packages the main process loads at start-up, bundled into the main bundle
 * instead of left in node_modules (electron.vite.config.ts; bench/app-process.ts mirrors it).
 * WHY: loaded from node_modules they cost Node's ESM loader a resolve, a read and a compile per
 * file, hundreds of files before the window is ready; bundled, start-up to ready measured 430 ms
 * against 600 ms (issue 15's goal is 0.5 s). Native and WASM packages (better-sqlite3,
 * secp256k1, tiny-secp256k1, Breez, HID/USB/PC-SC), packages loaded later on demand, and ws
 * (optional native add-ons it probes for) stay external.
 */
export const BUNDLED_DEPS = [
  'zod',
  'nostr-tools',
  '@noble/curves',
  '@noble/hashes',
  '@noble/ciphers',
  '@scure/base',
  '@scure/bip32',
  '@scure/bip39',
  'bitcoinjs-lib',
  '@bitcoinerlab/secp256k1',
  'ecpair',
  '@cashu/cashu-ts',
  'openapi-fetch',
] as const;
