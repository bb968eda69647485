import * as ecc from '@bitcoinerlab/secp256k1';
import { initEccLib } from 'bitcoinjs-lib';

/**
 * bitcoinjs-lib's curve code (Taproot payments and PSBT fields), registered once for the
 * process; importing `ecc` from here guarantees it is registered before use.
 *
 * WHY without bitcoinjs's self-test at run time: it pushes its test vectors through noble's
 * constant-time multiplication, which first builds its precomputed tables, 65 ms of every
 * start-up (profiled; issue 15's goal for start-up to ready is 0.5 s). The self-test says
 * whether the library is right, not anything about this machine or user, and the library is
 * pinned: `npm test` runs the same self-test on it (test/unit/ecc-lib.test.ts).
 */
initEccLib(ecc, { DANGER_DO_NOT_VERIFY_ECCLIB: true });

export { ecc };
