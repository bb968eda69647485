import type { NfcReaders } from '../../../main/merchant/nfc/readers';
import type { SimulatedCard } from './ntag424-card';

/**
 * A simulated PC/SC contactless reader: cards are placed and removed, APDUs reach the card in
 * the field, and the reader answers its own pseudo-APDU GET DATA (FF CA 00 00, PC/SC part 3) with
 * the card's UID, as USB readers such as the ACR122U do.
 */
export interface SimulatedReader {
  name: string;
  card(): SimulatedCard | null;
  place(card: SimulatedCard): void;
  remove(): void;
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  onChange(listener: (card: SimulatedCard | null) => void): () => void;
}

export class NoCardError extends Error {
  constructor() {
    super('no card in the field');
    this.name = 'NoCardError';
  }
}

export function createSimulatedReader(name = 'Flash simulated reader 00 00'): SimulatedReader {
  let current: SimulatedCard | null = null;
  const listeners = new Set<(card: SimulatedCard | null) => void>();
  const notify = () => {
    for (const l of listeners) l(current);
  };
  return {
    name,
    card: () => current,
    place(card) {
      current = card;
      card.activate();
      notify();
    },
    remove() {
      current = null;
      notify();
    },
    async transmit(apdu) {
      const card = current;
      if (!card) throw new NoCardError();
      if (apdu[0] === 0xff && apdu[1] === 0xca && apdu[2] === 0x00)
        return Uint8Array.from([...card.uid, 0x90, 0x00]);
      return card.process(apdu);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The counter's reader interface (main/merchant/nfc/readers.ts) over simulated readers. */
export function simulatedNfcReaders(readers: SimulatedReader[]): NfcReaders {
  const listeners = new Set<() => void>();
  const stops = readers.map((r) =>
    r.onChange(() => {
      for (const l of listeners) l();
    }),
  );
  return {
    readers: () => readers.map((r) => r.name),
    card() {
      const r = readers.find((x) => x.card() !== null);
      return r ? { reader: r.name, channel: { transmit: (apdu) => r.transmit(apdu) } } : null;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const stop of stops) stop();
      listeners.clear();
    },
  };
}
