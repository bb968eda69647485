import { describe, expect, it } from 'vitest';
import { BridgeCallError } from '../../renderer/app/result';
import { duplicateCosigners } from '../../renderer/features/multisig/duplicate-cosigners';

describe('the vault form names the two cosigners that hold one key', () => {
  it('reads the cosigner numbers main gives with duplicate_key', () => {
    const err = new BridgeCallError({
      code: 'MULTISIG_INVALID',
      message: 'Cosigners 1 and 2 are the same key',
      details: { reason: 'duplicate_key', first: 1, second: 2 },
    });
    expect(duplicateCosigners(err)).toEqual({ first: '1', second: '2' });
  });

  it('leaves every other error to the general message', () => {
    const other = new BridgeCallError({
      code: 'MULTISIG_INVALID',
      message: 'k is larger than n',
      details: { reason: 'threshold' },
    });
    expect(duplicateCosigners(other)).toBeNull();
    expect(duplicateCosigners(new BridgeCallError({ code: 'BAD_INPUT', message: 'x' }))).toBeNull();
    expect(duplicateCosigners(new Error('plain'))).toBeNull();
    expect(duplicateCosigners(null)).toBeNull();
  });
});
