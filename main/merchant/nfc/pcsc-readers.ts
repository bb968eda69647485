import fs from 'node:fs';
import { FlashError } from '../../../shared/errors';
import { loadVendorModule } from '../../hardware/load';
import type { CardChannel } from '../boltcard/card-ops';
import type { NfcReaders } from './readers';

/** The parts of nfc-pcsc the counter uses (its reader and card events, raw APDUs). */
interface PcscReader {
  name: string;
  autoProcessing: boolean;
  on(event: 'card', listener: (card: { atr?: Buffer; uid?: string }) => void): void;
  on(event: 'card.off' | 'end', listener: () => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
  close(): void;
}
interface PcscHub {
  on(event: 'reader', listener: (reader: PcscReader) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  close(): void;
}
interface NfcPcscModule {
  NFC: new () => PcscHub;
}

/**
 * Why PC/SC can't be used, in words: the native module missing or not built (Linux needs
 * Debian's libpcsclite-dev to build it), or the pcscd service not running.
 */
export function pcscProblem(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/Cannot find module|MODULE_NOT_FOUND/.test(text))
    return 'the PC/SC library (nfc-pcsc) is not installed with this copy of Flash.';
  if (/libpcsclite|\.node|invalid ELF|NODE_MODULE_VERSION|was compiled against/i.test(text))
    return 'the PC/SC library could not load (on Linux install libpcsclite1; the module must be built for this version of Flash).';
  if (/0x8010001d|Service not available|SCardEstablishContext/i.test(text))
    return 'the smart card service is not running (on Linux: install and start pcscd).';
  return text.slice(0, 200);
}

/**
 * The real readers: nfc-pcsc, loaded on first use like the hardware wallet libraries, so a
 * missing native module only matters to someone who opens Flash Cards. Auto-processing is off:
 * the counter sends its own APDUs (nfc-pcsc would otherwise try an AID select on every card).
 */
export function openPcscReaders(opts: { platform?: NodeJS.Platform; pcscdSocket?: string } = {}): NfcReaders {
  // Measured here: without pcscd, pcsclite's context call spins and never returns, freezing the
  // whole main process. On Linux the daemon's socket tells us first whether it is there.
  const platform = opts.platform ?? process.platform;
  const socket = opts.pcscdSocket ?? process.env['PCSCLITE_CSOCK_NAME'] ?? '/run/pcscd/pcscd.comm';
  if (platform === 'linux' && !fs.existsSync(socket)) {
    throw new FlashError('MERCHANT_NFC_UNAVAILABLE', 'PC/SC is not available.', {
      reason: 'the smart card service is not running (on Linux: install and start pcscd).',
    });
  }
  let mod: NfcPcscModule;
  try {
    mod = loadVendorModule<NfcPcscModule>('nfc-pcsc');
  } catch (err) {
    throw new FlashError('MERCHANT_NFC_UNAVAILABLE', 'PC/SC is not available.', { reason: pcscProblem(err) });
  }
  const hub = new mod.NFC();
  const readers = new Map<string, { reader: PcscReader; present: boolean }>();
  const listeners = new Set<() => void>();
  let problem: string | null = null;
  const notify = () => {
    for (const l of listeners) l();
  };
  hub.on('error', (err) => {
    problem = pcscProblem(err);
    notify();
  });
  hub.on('reader', (reader) => {
    reader.autoProcessing = false;
    const entry = { reader, present: false };
    readers.set(reader.name, entry);
    reader.on('card', () => {
      entry.present = true;
      notify();
    });
    reader.on('card.off', () => {
      entry.present = false;
      notify();
    });
    reader.on('error', () => notify());
    reader.on('end', () => {
      readers.delete(reader.name);
      notify();
    });
    notify();
  });
  return {
    readers: () => {
      if (problem && readers.size === 0)
        throw new FlashError('MERCHANT_NFC_UNAVAILABLE', 'PC/SC is not available.', { reason: problem });
      return [...readers.keys()];
    },
    card() {
      for (const [name, entry] of readers) {
        if (!entry.present) continue;
        const channel: CardChannel = {
          transmit: async (apdu) => new Uint8Array(await entry.reader.transmit(Buffer.from(apdu), 258)),
        };
        return { reader: name, channel };
      }
      return null;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const { reader } of readers.values()) reader.close();
      hub.close();
      listeners.clear();
    },
  };
}
