import { describe, expect, it } from 'vitest';
import { soundForChange } from '../../renderer/features/merchant/counter-sounds';

describe('counter sounds', () => {
  it('chimes once when a sale is paid, also through processing', () => {
    expect(soundForChange('waiting', 'paid')).toBe('paid');
    expect(soundForChange('waiting', 'processing')).toBe('paid');
    expect(soundForChange('processing', 'paid')).toBeNull();
    expect(soundForChange('paid', 'paid')).toBeNull();
  });

  it('calls the cashier for a partial, late or over payment, and sounds low for a failed sale', () => {
    expect(soundForChange('waiting', 'partial')).toBe('attention');
    expect(soundForChange('expired', 'paidLate')).toBe('attention');
    expect(soundForChange('waiting', 'paidOver')).toBe('attention');
    expect(soundForChange('partial', 'expiredPartial')).toBe('attention');
    expect(soundForChange('waiting', 'expired')).toBe('refused');
    expect(soundForChange('processing', 'invalid')).toBe('refused');
  });

  it('stays quiet while a sale only waits', () => {
    expect(soundForChange(null, 'waiting')).toBeNull();
    expect(soundForChange('waiting', 'waiting')).toBeNull();
  });
});
