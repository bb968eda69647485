import type { CardChannel } from '../boltcard/card-ops';

/**
 * Contactless readers as the counter sees them: which readers are plugged in, and the card in a
 * reader's field (with a channel for its APDUs, valid until the card leaves). The real one is
 * PC/SC through nfc-pcsc (./pcsc-readers.ts); tests pass the simulated reader of test/stack/nfc.
 */
export interface NfcReaders {
  readers(): string[];
  card(): { reader: string; channel: CardChannel } | null;
  /** Called whenever a reader or a card comes or goes. */
  onChange(listener: () => void): () => void;
  close(): void;
}
