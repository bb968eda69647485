import type { UrProgress } from '../../../shared/contract/scan';
import { readUrPart, UrPartSet } from './ur-parts';

/** What one decoded frame changed: a finished text, progress on an animated UR, or nothing new. */
export type ScanStep =
  | { kind: 'done'; text: string }
  | { kind: 'progress'; type: string; received: number; expected: number }
  | { kind: 'same' };

export interface ScanSessionDeps {
  /** Main's UR decoder: how far the parts go (the bridge's `scan.urProgress`). */
  urProgress: (parts: string[]) => Promise<UrProgress>;
}

/**
 * Turns the texts decoded from camera frames into the one text the field wants. A plain QR
 * (invoice, token, key, single-part UR) is done at once; the parts of an animated UR are kept
 * until main's decoder says they make the whole message. Offers must not overlap (the frame loop
 * awaits each one), so the parts set never changes under a pending call.
 */
export function createScanSession(deps: ScanSessionDeps) {
  const parts = new UrPartSet();
  return {
    async offer(decoded: string): Promise<ScanStep> {
      const text = decoded.trim();
      if (text === '') return { kind: 'same' };
      const info = readUrPart(text);
      if (!info) return { kind: 'done', text };
      if (!parts.add(text, info)) return { kind: 'same' };
      const progress = await deps.urProgress(parts.parts);
      if (progress.complete) return { kind: 'done', text: parts.text() };
      return {
        kind: 'progress',
        type: info.type,
        received: progress.received,
        // Before the decoder accepted a part, the part's own header is the best total to show.
        expected: progress.expected > 0 ? progress.expected : info.total,
      };
    },
  };
}

export type ScanSession = ReturnType<typeof createScanSession>;
