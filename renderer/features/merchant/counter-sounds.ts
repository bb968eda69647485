import type { SaleState } from '../../../shared/contract/merchant';
import { saleTone } from './merchant-text';

/**
 * Sounds for a noisy shop: the cashier hears a sale paid, one that needs them (partly paid,
 * paid late or over) and one that went wrong, without looking at the screen.
 */
export type CounterSound = 'paid' | 'attention' | 'refused';

const SOUNDS_KEY = 'flash.merchant.sounds';

/** Which sound a sale's change of state calls for; null when it calls for none. */
export function soundForChange(previous: SaleState | null, next: SaleState): CounterSound | null {
  if (previous === next) return null;
  if (next === 'partial' || next === 'paidLate' || next === 'paidOver' || next === 'expiredPartial')
    return 'attention';
  if (saleTone(next) === 'ok')
    // Processing then settled is one payment: one chime.
    return previous !== null && saleTone(previous) === 'ok' ? null : 'paid';
  if (saleTone(next) === 'bad') return 'refused';
  return null;
}

/** On unless the manager turned them off (a preference of this screen only, kept with it). */
export function soundsOn(): boolean {
  try {
    return localStorage.getItem(SOUNDS_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setSoundsOn(on: boolean): void {
  try {
    localStorage.setItem(SOUNDS_KEY, on ? 'on' : 'off');
  } catch {
    // No storage (a locked-down browser): sounds stay on for this session.
  }
}

/** Notes as [frequency Hz, length ms]: rising for paid, a double beep for attention, low for refused. */
const NOTES: Record<CounterSound, [number, number][]> = {
  paid: [
    [880, 120],
    [1320, 260],
  ],
  attention: [
    [660, 140],
    [660, 140],
  ],
  refused: [[220, 420]],
};

export function playCounterSound(sound: CounterSound): void {
  if (!soundsOn()) return;
  const Ctx = typeof window === 'undefined' ? undefined : window.AudioContext;
  if (!Ctx) return;
  try {
    const ctx = new Ctx();
    let at = ctx.currentTime;
    for (const [frequency, ms] of NOTES[sound]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + ms / 1000);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + ms / 1000);
      at += ms / 1000 + 0.04;
    }
    setTimeout(() => void ctx.close().catch(() => undefined), (at - ctx.currentTime) * 1000 + 200);
  } catch {
    // No audio device: the big states on screen still say it.
  }
}
