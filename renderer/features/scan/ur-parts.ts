/**
 * What a scanned text says about itself before any decoding: whether it is one part of an
 * animated UR (`ur:type/seq-total/fragment`, BCR-2020-005) and of which type. The parts are put
 * together by main's UR decoder; this only tells which frames to collect.
 */
export interface UrPartInfo {
  type: string;
  seq: number;
  total: number;
}

const MULTI_PART = /^ur:([a-z0-9-]+)\/(\d+)-(\d+)\/[a-z]+$/i;

/** The part's type and sequence when `text` is one part of a multi-part UR; null for anything else. */
export function readUrPart(text: string): UrPartInfo | null {
  const match = MULTI_PART.exec(text.trim());
  if (!match) return null;
  const seq = Number(match[2]);
  const total = Number(match[3]);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(total) || seq < 1 || total < 1) return null;
  return { type: match[1]!.toLowerCase(), seq, total };
}

/**
 * The distinct parts of one animated UR, in the order they were first seen. Showing another
 * UR type starts over: the user moved on to another QR.
 */
export class UrPartSet {
  private readonly seen = new Set<string>();
  private currentType: string | null = null;

  get type(): string | null {
    return this.currentType;
  }

  /** Adds a part; false when it was already there (the camera sees each frame many times). */
  add(part: string, info: UrPartInfo): boolean {
    const normalized = part.trim().toLowerCase();
    if (info.type !== this.currentType) {
      this.seen.clear();
      this.currentType = info.type;
    }
    if (this.seen.has(normalized)) return false;
    this.seen.add(normalized);
    return true;
  }

  get parts(): string[] {
    return [...this.seen];
  }

  /** The parts as the paste boxes take them: one per line. */
  text(): string {
    return this.parts.join('\n');
  }
}
