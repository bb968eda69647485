import { z } from 'zod';

/**
 * Scanning QR codes with the camera. Decoding images happens in the renderer; an animated UR
 * (a PSBT or a signer's account split over many QR frames) is put together by main's UR decoder,
 * the same one that later reads the pasted or scanned text, so "complete" means the same thing.
 */

/** One UR part as a QR holds it (`ur:type/seq-total/…`); bounded so a frame cannot flood main. */
const UrPart = z.string().trim().min(4).max(4000).regex(/^ur:/i);

export const UrProgress = z.object({
  /** The UR type of the parts read so far, e.g. `crypto-psbt`; '' before any part was accepted. */
  type: z.string(),
  /** Distinct fragments the decoder has solved so far. */
  received: z.number().int().nonnegative(),
  /** Fragments the whole message has (1 for a single-part UR, 0 before any part was accepted). */
  expected: z.number().int().nonnegative(),
  /** The decoder has the whole message: the parts read so far are the payload. */
  complete: z.boolean(),
});
export type UrProgress = z.infer<typeof UrProgress>;

export const scanMethods = {
  /** How far the UR parts scanned so far go; changes nothing stored. */
  'scan.urProgress': {
    input: z.object({ parts: z.array(UrPart).min(1).max(1000) }).strict(),
    output: UrProgress,
  },
} as const;
